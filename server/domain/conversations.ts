import type { Db, Queryable, Row } from '../db/db.js';
import { notFound } from '../http/errors.js';
import { newId } from './ids.js';
import type { Session, Sessions } from './sessions.js';
import { forOperators, forVisitor, type Emit, type Stream } from './stream.js';

/**
 * Which conversations a visitor's session may reach, and which is its current one, are SQL functions
 * (migration 011: visitor_conversations, visitor_current_conversation), written once and used by every
 * query below and by the message path (visitor_message). A contact's conversation belongs to whoever
 * the session holds now (read from its row, not from a cached look-up); only an anonymous one goes by
 * session. After identify switches the session from visitor A to B, A's conversations no longer match.
 */

/** What a new conversation may be opened with, besides its session (columns of `conversations`). */
export interface OpenWith {
  fields?: Row;
  menu_id?: number | string;
  lang?: string;
  chat_status?: string;
  trigger_id?: number | null;
  ticket_id?: string | null;
  email?: string | null;
  cobrowsable?: boolean;
  custom_data?: Row;
}
const JSON_COLUMNS = new Set(['fields', 'custom_data']);

/** Conversations: the one place that opens them, and how visitors and operators reach them. */
export class Conversations {
  constructor(readonly stream: Stream, readonly sessions: Sessions) {}

  get db(): Db {
    return this.stream.db;
  }

  /**
   * Opens a conversation for the session (its contact and agent as the session holds them): the SOLE
   * creator of conversations, in the caller's transaction, announced to the operators.
   */
  async open(q: Queryable, emit: Emit, session: Pick<Session, 'id' | 'workspace_id' | 'contact_id' | 'agent_id'>, attrs: OpenWith = {}): Promise<Row> {
    const keys = Object.keys(attrs).filter((k) => attrs[k as keyof OpenWith] !== undefined) as (keyof OpenWith)[];
    const [c] = await q.query(
      `insert into conversations (id, workspace_id, session_id, contact_id, agent_id, assignee_id${keys.map((k) => `, ${k}`).join('')})
       values ($1, $2, $3, $4, $5, $5${keys.map((_k, i) => `, $${i + 6}`).join('')}) returning *`,
      [newId('cnv'), session.workspace_id, session.id, session.contact_id, session.agent_id, ...keys.map((k) => (JSON_COLUMNS.has(k) ? JSON.stringify(attrs[k]) : attrs[k]))],
    );
    emit(forOperators(c!, 'conversation.created', { conversation: { id: c!.id, status: c!.status, ...(attrs.chat_status ? { chat_status: c!.chat_status } : {}) } }));
    return c!;
  }

  /**
   * The visitor's current conversation: the newest of its contact (when identified) or of its session.
   * The contact is the one the session holds now (read from its row, not from a cached look-up).
   */
  async current(session: Session, q: Queryable = this.db): Promise<Row | null> {
    const [row] = await q.query('select * from visitor_current_conversation($1)', [session.id]);
    return row ?? null;
  }

  /** A conversation the visitor may reach, or 404. */
  async ofVisitor(session: Session, id: string, q: Queryable = this.db): Promise<Row> {
    const [c] = await q.query('select * from visitor_conversations($1) where id = $2', [session.id, id]);
    if (!c) throw notFound(`Chat ${id}`);
    return c;
  }

  /** The visitor's chat that is still going on (not finished, dismissed or closed), if any. */
  async ongoing(session: Session): Promise<Row | null> {
    const [c] = await this.db.query(
      `select * from visitor_conversations($1) where chat_status not in ('finished', 'dismissed') and status <> 'closed' order by created_at desc limit 1`,
      [session.id],
    );
    return c ?? null;
  }

  /** A conversation of this workspace, or 404 (another workspace's is as unknown as a missing one). */
  async byId(workspaceId: string, id: string, q: Queryable = this.db): Promise<Row> {
    const [row] = await q.query('select * from conversations where id = $1 and workspace_id = $2', [id, workspaceId]);
    if (!row) throw notFound(`Conversation ${id}`);
    return row;
  }

  async list(workspaceId: string, limit: number): Promise<Row[]> {
    return this.db.query(
      `select c.id, c.status, c.chat_status, c.menu_id::int as menu_id, c.category, c.assignee_id, c.agent_id,
         to_char(c.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at,
         to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
         (select count(*)::int from messages m where m.conversation_id = c.id and m.author = 'visitor' and m.seq > c.operator_read_seq) as unread_count,
         (select json_build_object('content', m.content, 'author', m.author, 'internal', m.internal) from messages m where m.conversation_id = c.id order by m.seq desc limit 1) as last_message,
         (select json_build_object('name', k.name, 'email', k.email, 'verified', k.verified, 'email_verified', k.email_verified) from contacts k where k.id = c.contact_id) as contact
       from conversations c where c.workspace_id = $1 order by c.updated_at desc, c.created_at desc limit $2`,
      [workspaceId, limit],
    );
  }

  async detail(workspaceId: string, id: string): Promise<Row> {
    const c = await this.byId(workspaceId, id);
    const contact = await this.sessions.contact(c.contact_id);
    const [session] = await this.db.query('select id, data, segments, page_url from sessions where id = $1', [c.session_id]);
    return {
      id: c.id,
      status: c.status,
      chat_status: c.chat_status,
      menu_id: c.menu_id === null ? null : Number(c.menu_id),
      lang: c.lang,
      rating: c.rating,
      feedback: c.feedback,
      category: c.category,
      variables: c.variables,
      fields: c.fields,
      form_id: c.form_id,
      assignee_id: c.assignee_id,
      agent_id: c.agent_id,
      contact: contact ?? { name: null, email: null, phone: null, company: null, external_id: null, verified: false, email_verified: false, custom_data: {} },
      session: session ?? null,
      tickets: [],
      notifications: c.notifications ?? [],
      created_at: c.created_at.toISOString?.() ?? String(c.created_at),
      updated_at: c.updated_at.toISOString?.() ?? String(c.updated_at),
    };
  }

  /** An operator sets the status or the assignee; the visitor hears a status change. */
  async update(workspaceId: string, id: string, patch: { status?: string; assignee_id?: string | null }): Promise<Row> {
    return this.stream.write(async (q, emit) => {
      const c = await this.byId(workspaceId, id, q);
      if (patch.assignee_id) {
        const [agent] = await q.query('select id from agents where id = $1 and workspace_id = $2', [patch.assignee_id, workspaceId]);
        if (!agent) throw notFound(`Agent ${patch.assignee_id}`);
      }
      const [row] = await q.query(
        `update conversations set status = coalesce($2, status), assignee_id = case when $3::boolean then $4 else assignee_id end, updated_at = now()
         where id = $1 returning id, status, assignee_id`,
        [c.id, patch.status ?? null, 'assignee_id' in patch, patch.assignee_id ?? null],
      );
      emit(forOperators(c, 'conversation.updated', { conversation: row }));
      if (patch.status && patch.status !== c.status) {
        emit(forVisitor(c, 'conversation.status', { conversation_id: c.id, status: row!.status }));
      }
      return row!;
    });
  }
}
