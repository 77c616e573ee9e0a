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

/** What the inbox's list is narrowed to. */
export interface ListFilter {
  assignee?: 'me' | 'unassigned' | 'all' | string;
  status?: 'open' | 'pending' | 'closed' | 'all';
  q?: string;
  limit?: number;
}

/**
 * A search box's words as a full-text query of prefixes (`refund:* & order:*`), or null when it has none.
 * Only letters and digits reach the query, so no input can be a tsquery syntax error.
 */
export function searchWords(q: string | undefined): { raw: string; query: string } | null {
  const words = (q ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8);
  if (!words?.length) return null;
  return { raw: (q ?? '').trim(), query: words.map((w) => `${w}:*`).join(' & ') };
}

const ADJECTIVES = ['Amber', 'Azure', 'Brisk', 'Calm', 'Coral', 'Crimson', 'Dusky', 'Gentle', 'Golden', 'Hazel', 'Indigo', 'Jolly', 'Lively', 'Lucky', 'Misty', 'Olive', 'Quiet', 'Rosy', 'Rusty', 'Silver', 'Sunny', 'Swift', 'Teal', 'Witty'];
const ANIMALS = ['Badger', 'Bison', 'Crane', 'Dolphin', 'Falcon', 'Ferret', 'Finch', 'Fox', 'Gecko', 'Heron', 'Ibis', 'Koala', 'Lynx', 'Marten', 'Otter', 'Owl', 'Panda', 'Puffin', 'Raven', 'Seal', 'Stoat', 'Tapir', 'Walrus', 'Wren'];

/**
 * The name an operator knows a visitor by: the contact's name or email, else a name made from the
 * visitor's id ("Amber Otter"), the same every time, so that two anonymous visitors are told apart.
 */
export function displayName(contact: { name?: string | null; email?: string | null } | null, id: string): string {
  if (contact?.name) return contact.name;
  if (contact?.email) return contact.email;
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  return `${ADJECTIVES[h % ADJECTIVES.length]} ${ANIMALS[Math.floor(h / ADJECTIVES.length) % ANIMALS.length]}`;
}

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

  /**
   * The inbox's list, newest activity first, as one operator sees it: filtered by assignee (`me`,
   * `unassigned`, `all`) and status (`open`, `pending`, `closed`, `all`), searched over the contact's
   * name, email and location and the messages' text (full text, prefix matches), unread counted from
   * this operator's own read cursor (none on a closed conversation).
   */
  async list(workspaceId: string, viewer: { agentId: string | null }, filter: ListFilter = {}): Promise<Row[]> {
    const params: unknown[] = [workspaceId, viewer.agentId, Math.min(filter.limit ?? 100, 500)];
    const where = ['c.workspace_id = $1'];
    if (filter.status && filter.status !== 'all') where.push(`c.status = $${params.push(filter.status)}`);
    if (filter.assignee === 'me') where.push('c.assignee_id = $2');
    else if (filter.assignee === 'unassigned') where.push('c.assignee_id is null');
    else if (filter.assignee && filter.assignee !== 'all') where.push(`c.assignee_id = $${params.push(filter.assignee)}`);
    const words = searchWords(filter.q);
    let match = 'null::text';
    if (words) {
      const like = `$${params.push(`%${words.raw.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)}`;
      const ts = `to_tsquery('simple', $${params.push(words.query)})`;
      where.push(`(k.name ilike ${like} or k.email ilike ${like} or k.location ilike ${like} or k.external_id ilike ${like}
        or exists (select 1 from messages m where m.conversation_id = c.id and to_tsvector('simple', m.content) @@ ${ts}))`);
      match = `(select m.content from messages m where m.conversation_id = c.id and to_tsvector('simple', m.content) @@ ${ts} order by m.seq desc limit 1)`;
    }
    const rows = await this.db.query(
      `select c.id, c.status, c.chat_status, c.menu_id::int as menu_id, c.category, c.assignee_id, c.agent_id, c.session_id, c.contact_id, c.rating,
         to_char(c.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at,
         to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
         case when c.status = 'closed' then 0 else (select count(*)::int from messages m where m.conversation_id = c.id and m.author = 'visitor'
           and m.seq > case when $2::text is null then c.operator_read_seq
             else coalesce((select r.seq from conversation_reads r where r.conversation_id = c.id and r.agent_id = $2), 0) end) end as unread_count,
         (select json_build_object('content', m.content, 'author', m.author, 'author_name', m.author_name, 'internal', m.internal, 'attachment', f.name, 'created_at', to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
            from messages m left join files f on f.id = m.file_id where m.conversation_id = c.id order by m.seq desc limit 1) as last_message,
         case when k.id is null then null else json_build_object('name', k.name, 'email', k.email, 'verified', k.verified, 'email_verified', k.email_verified, 'location', k.location) end as contact,
         (select coalesce(mn.names->>c.lang, mn.names->>'en', (select v from jsonb_each_text(mn.names) as x(l, v) limit 1)) from menus mn where mn.id = c.menu_id) as topic,
         (select s.page_url from sessions s where s.id = c.session_id) as page_url,
         (select a.name from agents a where a.id = c.assignee_id) as assignee_name,
         ${match} as match
       from conversations c left join contacts k on k.id = c.contact_id
       where ${where.join(' and ')} order by c.updated_at desc, c.created_at desc limit $3`,
      params,
    );
    return rows.map((r) => ({ ...r, name: displayName(r.contact, r.contact_id ?? r.session_id) }));
  }

  async detail(workspaceId: string, id: string): Promise<Row> {
    const c = await this.byId(workspaceId, id);
    const contact = await this.sessions.contact(c.contact_id);
    const [session] = await this.db.query('select id, data, segments, page_url from sessions where id = $1', [c.session_id]);
    const [extra] = await this.db.query(
      `select (select coalesce(mn.names->>$2, mn.names->>'en', (select v from jsonb_each_text(mn.names) as x(l, v) limit 1)) from menus mn where mn.id = $3) as topic,
         (select a.name from agents a where a.id = $4) as assignee_name,
         coalesce((select json_agg(json_build_object('question', coalesce(q.display_text->>$2, q.display_text->>'en', (select v from jsonb_each_text(q.display_text) as x(l, v) limit 1)), 'answer', sa.answer) order by q.position, q.id)
           from survey_answers sa join survey_questions q on q.id = sa.question_id where sa.conversation_id = $1), '[]') as survey,
         coalesce((select json_agg(json_build_object('kind', r.kind, 'score', r.score, 'comment', r.comment) order by r.created_at) from survey_responses r where r.conversation_id = $1), '[]') as scores`,
      [c.id, c.lang ?? 'en', c.menu_id, c.assignee_id],
    );
    // The contact's other conversations (an anonymous visitor's: those of the same session), newest first.
    const others = await this.db.query(
      `select o.id, o.status, to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
         (select m.content from messages m where m.conversation_id = o.id and not m.internal order by m.seq desc limit 1) as last_message
       from conversations o where o.workspace_id = $1 and o.id <> $2 and (case when $3::text is null then o.session_id = $4 else o.contact_id = $3 end)
       order by o.created_at desc limit 20`,
      [workspaceId, c.id, c.contact_id, c.session_id],
    );
    return {
      id: c.id,
      name: displayName(contact, c.contact_id ?? c.session_id),
      status: c.status,
      chat_status: c.chat_status,
      menu_id: c.menu_id === null ? null : Number(c.menu_id),
      topic: extra!.topic,
      lang: c.lang,
      rating: c.rating,
      feedback: c.feedback,
      survey: extra!.survey,
      scores: extra!.scores,
      category: c.category,
      variables: c.variables,
      fields: c.fields,
      form_id: c.form_id,
      assignee_id: c.assignee_id,
      assignee_name: extra!.assignee_name,
      agent_id: c.agent_id,
      contact: contact ?? { name: null, email: null, phone: null, company: null, external_id: null, verified: false, email_verified: false, custom_data: {} },
      session: session ?? null,
      tickets: [],
      notifications: c.notifications ?? [],
      others,
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
