import { randomUUID } from 'node:crypto';
import type { Bus, StreamEvent } from './bus.js';
import type { Db, Queryable, Row } from './db/db.js';
import { HttpError, notFound } from './errors.js';
import type { VerifiedIdentity } from './identity.js';

const SESSION_CACHE_MS = 5_000;

export const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '')}`;

export interface Workspace {
  id: string;
  name: string;
  identity_secret: string;
  require_verification: boolean;
  allowed_origins: string[];
}

export interface Session {
  id: string;
  workspace_id: string;
  agent_id: string | null;
  contact_id: string | null;
  data: Row;
  segments: string[];
}

type NewEvent = Omit<StreamEvent, 'id'>;
type Emit = (event: NewEvent) => void;

/**
 * The chat domain over the database and the bus: every write runs in one
 * transaction, records its realtime events in `stream_events`, and publishes
 * them once committed.
 */
export class Chat {
  /**
   * Session look-ups by token hash, kept a few seconds: every widget request
   * authenticates, and this saves a query on each. A process drops its own
   * entry when the session's identity changes, and every process drops it when
   * the `session.switched` event reaches it through the bus. What decides who
   * sees what reads the session's contact afresh anyway: the current
   * conversation (history, unread), chats by id, message writes, and streams.
   */
  readonly #sessions = new Map<string, { at: number; value: { session: Session; workspace: Workspace } }>();

  constructor(readonly db: Db, readonly bus: Bus) {
    bus.subscribe((e) => {
      if (e.type === 'session.switched' && e.session_id) this.forgetSession(e.session_id);
    });
  }

  /** Runs `fn` in a transaction; the events it emits are stored with it and published after commit. */
  async write<T>(fn: (q: Queryable, emit: Emit) => Promise<T>): Promise<T> {
    const stored: StreamEvent[] = [];
    const result = await this.db.tx(async (q) => {
      const pending: NewEvent[] = [];
      const out = await fn(q, (e) => pending.push(e));
      for (const e of pending) {
        const [row] = await q.query<StreamEvent>(
          `insert into stream_events (workspace_id, session_id, contact_id, conversation_id, type, visitor, operator, payload)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
          [e.workspace_id, e.session_id, e.contact_id, e.conversation_id, e.type, e.visitor, e.operator, JSON.stringify(e.payload)],
        );
        stored.push(row!);
      }
      return out;
    });
    for (const e of stored) await this.bus.publish(e);
    return result;
  }

  // ---- keys and sessions ----

  async workspaceByPublicKey(key: string): Promise<{ workspace: Workspace; agent: Row | null }> {
    const [row] = await this.db.query(
      `select w.*, k.agent_id, a.name as agent_name from widget_keys k join workspaces w on w.id = k.workspace_id
       left join agents a on a.id = k.agent_id where k.key = $1`,
      [key],
    );
    if (!row) throw new HttpError(401, 'invalid_public_key', 'The widget public key is not known; copy it from the workspace settings');
    const { agent_id, agent_name, ...workspace } = row;
    return { workspace: workspace as Workspace, agent: agent_id ? { id: agent_id, name: agent_name } : null };
  }

  async sessionByToken(tokenHash: string): Promise<{ session: Session; workspace: Workspace }> {
    const hit = this.#sessions.get(tokenHash);
    if (hit && Date.now() - hit.at < SESSION_CACHE_MS) return hit.value;
    const value = await this.#loadSession(tokenHash);
    if (this.#sessions.size > 10_000) this.#sessions.clear();
    this.#sessions.set(tokenHash, { at: Date.now(), value });
    return value;
  }

  /** Forgets cached look-ups of a session (its identity changed). */
  forgetSession(sessionId: string): void {
    for (const [key, entry] of this.#sessions) if (entry.value.session.id === sessionId) this.#sessions.delete(key);
  }

  async #loadSession(tokenHash: string): Promise<{ session: Session; workspace: Workspace }> {
    const [row] = await this.db.query(
      `select s.id, s.workspace_id, s.agent_id, s.contact_id, s.data, s.segments,
              w.name, w.identity_secret, w.require_verification, w.allowed_origins
       from sessions s join workspaces w on w.id = s.workspace_id where s.token_hash = $1`,
      [tokenHash],
    );
    if (!row) throw new HttpError(401, 'invalid_session', 'The session token is not valid; create a session with POST /api/widget/sessions');
    const session: Session = { id: row.id, workspace_id: row.workspace_id, agent_id: row.agent_id, contact_id: row.contact_id, data: row.data, segments: row.segments };
    const workspace: Workspace = { id: row.workspace_id, name: row.name, identity_secret: row.identity_secret, require_verification: row.require_verification, allowed_origins: row.allowed_origins };
    return { session, workspace };
  }

  async createSession(workspace: Workspace, agentId: string | null, tokenHash: string, info: { locale?: string; page_url?: string }): Promise<Session> {
    const id = newId('ses');
    await this.db.query(
      `insert into sessions (id, workspace_id, agent_id, token_hash, locale, page_url) values ($1, $2, $3, $4, $5, $6)`,
      [id, workspace.id, agentId, tokenHash, info.locale ?? null, info.page_url ?? null],
    );
    return { id, workspace_id: workspace.id, agent_id: agentId, contact_id: null, data: {}, segments: [] };
  }

  async touchSession(sessionId: string, pageUrl?: string): Promise<void> {
    await this.db.query('update sessions set last_seen_at = now(), page_url = coalesce($2, page_url) where id = $1', [sessionId, pageUrl ?? null]);
  }

  async contact(contactId: string | null): Promise<Row | null> {
    if (!contactId) return null;
    const [row] = await this.db.query('select * from contacts where id = $1', [contactId]);
    return row ?? null;
  }

  /** The contact the session holds now, read from the database (not the cached look-up). */
  async sessionContact(sessionId: string): Promise<string | null> {
    const [row] = await this.db.query<{ contact_id: string | null }>('select contact_id from sessions where id = $1', [sessionId]);
    return row?.contact_id ?? null;
  }

  /**
   * Attaches an identity to the session: finds the contact the identity names
   * (by what it proves, when verified), enriches the session's current contact
   * when it is the same person, or creates a new one.
   *
   * Identifying as a different person than the session's current contact (a
   * different external id; a proven email other than the one it holds; or, for
   * a verified contact, a proof of another kind that nothing links to it) never
   * merges into it nor reads from it: the session moves to that person's own
   * contact (existing or new), and `switched` is true. The same person again,
   * or details added to a contact without proof, enrich it as before. An
   * anonymous session that identifies keeps its conversations (they join the
   * contact).
   *
   * Emails: a proven email (email_verified) is never overwritten by an
   * unproven one; an unproven email (a user_hash of the external id proves that
   * id only) is stored as a detail only while the contact has no proven email,
   * with email_verified false, so operators never see it as verified.
   *
   * Emits `session.switched` (to the session itself) whenever the contact the
   * session holds changes: its open streams swap their filter to the new
   * contact (see GET /stream).
   */
  async identify(session: Session, who: VerifiedIdentity): Promise<{ contact: Row; switched: boolean }> {
    return this.write(async (q, emit) => {
      // Whom the session holds now: the row, locked, not a cached look-up.
      const [now] = await q.query<{ contact_id: string | null }>('select contact_id from sessions where id = $1 for update', [session.id]);
      const [current] = now?.contact_id ? await q.query('select * from contacts where id = $1', [now.contact_id]) : [];
      // A verified identity is looked up only by what it proves.
      const byExternal = who.external_id !== null && (who.external_id_verified || !who.verified);
      const byEmail = !byExternal && who.email !== null && (who.email_verified || !who.verified);
      let [contact] = byExternal
        ? await q.query('select * from contacts where workspace_id = $1 and external_id = $2', [session.workspace_id, who.external_id])
        : byEmail
          ? await q.query('select * from contacts where workspace_id = $1 and external_id is null and email = $2 order by created_at limit 1', [session.workspace_id, who.email])
          : [];
      const differs =
        current !== undefined &&
        (who.external_id && current.external_id
          ? who.external_id !== current.external_id
          : who.email_verified && who.email && current.email
            ? who.email !== current.email
            : current.verified && who.verified);
      if (!contact && current && !differs) contact = current;
      if (!contact) {
        [contact] = await q.query(
          `insert into contacts (id, workspace_id, external_id, email, name, phone, company, avatar_url, custom_data, verified, email_verified)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *`,
          [newId('con'), session.workspace_id, who.external_id, who.email, who.name, who.phone, who.company, who.avatar_url, JSON.stringify(who.custom_data), who.verified, who.email_verified],
        );
      } else {
        // An unverified identify never overwrites what a verified one set.
        if (contact.verified && !who.verified) {
          throw new HttpError(401, 'verification_required', 'This contact was identified with a verified identity; send user_hash, email_hash or jwt to change it');
        }
        [contact] = await q.query(
          `update contacts set external_id = coalesce(external_id, $9),
             email = case when $10 then $2 when email_verified then email else coalesce($2, email) end,
             email_verified = email_verified or $10,
             name = coalesce($3, name), phone = coalesce($4, phone),
             company = coalesce($5, company), avatar_url = coalesce($6, avatar_url), custom_data = custom_data || $7::jsonb,
             verified = verified or $8 where id = $1 returning *`,
          [contact.id, who.email, who.name, who.phone, who.company, who.avatar_url, JSON.stringify(who.custom_data), who.verified, who.external_id, who.email_verified],
        );
      }
      const previous = now?.contact_id ?? null;
      await q.query('update sessions set contact_id = $2 where id = $1', [session.id, contact!.id]);
      this.forgetSession(session.id);
      // An anonymous visitor's conversations become the contact's; a previous person's stay theirs.
      if (!previous) await q.query('update conversations set contact_id = $2 where session_id = $1 and contact_id is null', [session.id, contact!.id]);
      emit({ workspace_id: session.workspace_id, session_id: null, contact_id: null, conversation_id: null, type: 'contact.updated', visitor: false, operator: true, payload: { contact } });
      const switched = previous !== null && previous !== contact!.id;
      if (previous !== contact!.id) {
        emit({ workspace_id: session.workspace_id, session_id: session.id, contact_id: contact!.id, conversation_id: null, type: 'session.switched', visitor: true, operator: false, payload: { switched } });
      }
      return { contact: contact!, switched };
    });
  }

  // ---- conversations and messages ----

  /**
   * The visitor's current conversation: the newest of its contact (when identified) or of its session.
   * The contact is the one the session holds now (read from its row, not from a cached look-up).
   */
  async currentConversation(session: Session, q: Queryable = this.db): Promise<Row | null> {
    const [row] = await q.query(
      `with s as (select contact_id from sessions where id = $2)
       (select c.* from conversations c where c.workspace_id = $1 and c.contact_id = (select contact_id from s)
        union all
        select c.* from conversations c where c.session_id = $2 and c.contact_id is null and (select contact_id from s) is null)
       order by created_at desc limit 1`,
      [session.workspace_id, session.id],
    );
    return row ?? null;
  }

  async visitorHistory(session: Session, after: number, limit: number): Promise<Row[]> {
    const conversation = await this.currentConversation(session);
    if (!conversation) return [];
    return this.messagesOf(conversation.id, { after, limit, internal: false });
  }

  /** Messages of a conversation in the shape of `chat_message_json` (migration 003); notes only for operators. */
  async messagesOf(conversationId: string, options: { after: number; limit: number; internal: boolean }): Promise<Row[]> {
    const rows = await this.db.query<{ m: Row }>(
      `select chat_message_json(m) as m from messages m where m.conversation_id = $1 and m.seq > $2 ${options.internal ? '' : 'and not m.internal'} order by m.seq limit $3`,
      [conversationId, options.after, options.limit],
    );
    return rows.map((r) => r.m);
  }

  async unreadForVisitor(session: Session): Promise<number> {
    const conversation = await this.currentConversation(session);
    if (!conversation) return 0;
    const [row] = await this.db.query(
      `select count(*)::int as n from messages where conversation_id = $1 and not internal and author <> 'visitor' and seq > $2`,
      [conversation.id, conversation.visitor_read_seq],
    );
    return row!.n;
  }

  /**
   * Stores a visitor message once per client id, creating the conversation on
   * the first one: one call of `chat_visitor_message` (migration 002), then its
   * events are published.
   */
  async visitorMessage(
    session: Session,
    input: { client_id: string; content: string; conversation_fields?: Row; conversation_id?: string; file_id?: string },
  ): Promise<{ message: Row; created: boolean; chatStatus: string }> {
    const run = () =>
      this.db.query<{ r: { created: boolean; message: Row; events: StreamEvent[]; chat_status: string } }>(
        'select chat_visitor_message($1, $2, $3, $4, $5, $6) as r',
        [session.id, input.client_id, input.content, JSON.stringify(input.conversation_fields ?? {}), input.conversation_id ?? null, input.file_id ?? null],
      );
    let rows;
    try {
      rows = await run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Two requests raced with one client id: the other stored it; answer with that one.
      if (code === '23505') rows = await run();
      else if (code === 'P0002') throw notFound(`Chat ${input.conversation_id}`);
      else if (code === 'P0001') throw new HttpError(409, 'chat_finished', `Chat ${input.conversation_id} is finished or dismissed; create a new chat`);
      else throw error;
    }
    const { created, message, events, chat_status } = rows[0]!.r;
    for (const e of events) await this.bus.publish(e);
    return { message, created, chatStatus: chat_status };
  }

  /** An operator's reply or internal note: one call of `chat_operator_message` (migration 002). */
  async operatorMessage(workspaceId: string, conversationId: string, author: { id: string | null; name: string | null }, input: { content: string; internal?: boolean }): Promise<Row> {
    const [row] = await this.db.query<{ r: { message: Row; events: StreamEvent[] } | null }>('select chat_operator_message($1, $2, $3, $4, $5, $6) as r', [
      workspaceId, conversationId, author.id, author.name, input.content, input.internal ?? false,
    ]);
    if (!row?.r) throw notFound(`Conversation ${conversationId}`);
    for (const e of row.r.events) await this.bus.publish(e);
    return row.r.message;
  }

  #operatorEvent(conversation: Row, type: string, payload: Row): NewEvent {
    return { workspace_id: conversation.workspace_id, session_id: null, contact_id: null, conversation_id: conversation.id, type, visitor: false, operator: true, payload };
  }

  /** A message from the system (a booking confirmed...), seen by the visitor and the operators. */
  async systemMessage(conversation: Row, content: string, data: Row | null = null): Promise<void> {
    await this.write(async (q, emit) => {
      const [m] = await q.query<{ m: Row }>(
        `with ins as (insert into messages (id, workspace_id, conversation_id, author, content, data) values ($1, $2, $3, 'system', $4, $5) returning *)
         select chat_message_json(ins) as m from ins`,
        [newId('msg'), conversation.workspace_id, conversation.id, content, data ? JSON.stringify(data) : null],
      );
      emit(this.#operatorEvent(conversation, 'message', { message: m!.m }));
      emit({ workspace_id: conversation.workspace_id, session_id: conversation.session_id, contact_id: conversation.contact_id, conversation_id: conversation.id, type: 'message', visitor: true, operator: false, payload: { message: m!.m } });
    });
  }

  /** Typing indicators: stored like every realtime event (so they fan out across processes), shown for a few seconds. */
  async visitorTyping(session: Session, typing: boolean): Promise<boolean> {
    const conversation = await this.currentConversation(session);
    if (!conversation) return false;
    await this.write(async (_q, emit) => emit(this.#operatorEvent(conversation, 'typing', { conversation_id: conversation.id, typing, who: 'visitor' })));
    return true;
  }

  async operatorTyping(workspaceId: string, conversationId: string, name: string | null, typing: boolean): Promise<void> {
    const c = await this.conversationFor(workspaceId, conversationId);
    await this.write(async (_q, emit) =>
      emit({ workspace_id: workspaceId, session_id: c.session_id, contact_id: c.contact_id, conversation_id: c.id, type: 'typing', visitor: true, operator: false, payload: { chat_id: c.id, typing, name } }),
    );
  }

  async markReadByVisitor(session: Session): Promise<void> {
    const conversation = await this.currentConversation(session);
    if (!conversation) return;
    await this.db.query(`update conversations set visitor_read_seq = coalesce((select max(seq) from messages where conversation_id = $1), 0) where id = $1`, [conversation.id]);
  }

  /** A conversation of this workspace, or 404 (another workspace's is as unknown as a missing one). */
  async conversationFor(workspaceId: string, id: string, q: Queryable = this.db): Promise<Row> {
    const [row] = await q.query('select * from conversations where id = $1 and workspace_id = $2', [id, workspaceId]);
    if (!row) throw notFound(`Conversation ${id}`);
    return row;
  }

  async listConversations(workspaceId: string, limit: number): Promise<Row[]> {
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

  async conversationDetail(workspaceId: string, id: string): Promise<Row> {
    const c = await this.conversationFor(workspaceId, id);
    const contact = await this.contact(c.contact_id);
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

  async operatorHistory(workspaceId: string, id: string, after: number, limit: number): Promise<Row[]> {
    await this.conversationFor(workspaceId, id);
    return this.messagesOf(id, { after, limit, internal: true });
  }

  async updateConversation(workspaceId: string, id: string, patch: { status?: string; assignee_id?: string | null }): Promise<Row> {
    return this.write(async (q, emit) => {
      const c = await this.conversationFor(workspaceId, id, q);
      if (patch.assignee_id) {
        const [agent] = await q.query('select id from agents where id = $1 and workspace_id = $2', [patch.assignee_id, workspaceId]);
        if (!agent) throw notFound(`Agent ${patch.assignee_id}`);
      }
      const [row] = await q.query(
        `update conversations set status = coalesce($2, status), assignee_id = case when $3::boolean then $4 else assignee_id end, updated_at = now()
         where id = $1 returning id, status, assignee_id`,
        [c.id, patch.status ?? null, 'assignee_id' in patch, patch.assignee_id ?? null],
      );
      emit(this.#operatorEvent(c, 'conversation.updated', { conversation: row }));
      if (patch.status && patch.status !== c.status) {
        emit({ workspace_id: workspaceId, session_id: c.session_id, contact_id: c.contact_id, conversation_id: c.id, type: 'conversation.status', visitor: true, operator: false, payload: { conversation_id: c.id, status: row!.status } });
      }
      return row!;
    });
  }

  /** An operator read the conversation: the visitor sees "Seen" under their messages up to the last one. */
  async markReadByOperator(workspaceId: string, id: string): Promise<void> {
    const c = await this.conversationFor(workspaceId, id);
    await this.write(async (q, emit) => {
      const [last] = await q.query(
        `update conversations set operator_read_seq = coalesce((select max(seq) from messages where conversation_id = $1), 0) where id = $1
         returning (select id from messages where conversation_id = $1 and author = 'visitor' order by seq desc limit 1) as message_id`,
        [id],
      );
      if (last?.message_id) {
        emit({ workspace_id: workspaceId, session_id: c.session_id, contact_id: c.contact_id, conversation_id: c.id, type: 'read', visitor: true, operator: false, payload: { chat_id: c.id, message_id: last.message_id } });
      }
    });
  }

  // ---- presence ----

  async available(workspaceId: string, q: Queryable = this.db): Promise<boolean> {
    const [row] = await q.query(
      `select exists(select 1 from agents where workspace_id = $1 and kind = 'person' and last_seen_at > now() - interval '90 seconds') as available`,
      [workspaceId],
    );
    return row!.available;
  }

  /** An operator comes online or goes offline; visitors hear when the workspace's availability changes. */
  async agentPresence(workspaceId: string, agentId: string, online: boolean): Promise<boolean> {
    return this.write(async (q, emit) => {
      const before = await this.available(workspaceId, q);
      await q.query(`update agents set last_seen_at = ${online ? 'now()' : 'null'} where id = $1 and workspace_id = $2`, [agentId, workspaceId]);
      const after = await this.available(workspaceId, q);
      if (before !== after) {
        emit({ workspace_id: workspaceId, session_id: null, contact_id: null, conversation_id: null, type: 'availability', visitor: true, operator: true, payload: { available: after } });
      }
      return after;
    });
  }

  async streamCursor(workspaceId: string): Promise<number> {
    const [row] = await this.db.query('select coalesce(max(id), 0)::int as id from stream_events where workspace_id = $1', [workspaceId]);
    return row!.id;
  }

  /**
   * Stored events after `after` that this audience may see, oldest first. For a
   * visitor: the rule of `visitorMaysee`, with the contact the session holds now
   * (the caller reads it afresh), plus the session's own `session.switched`.
   */
  async backlog(filter: { workspaceId: string; after: number; visitor?: { sessionId: string; contactId: string | null } }, limit = 1000): Promise<StreamEvent[]> {
    if (filter.visitor) {
      return this.db.query<StreamEvent>(
        `select * from stream_events where workspace_id = $1 and id > $2 and visitor
           and (case when type = 'session.switched' or contact_id is null then session_id = $3 or session_id is null
                     else contact_id = $4 end)
         order by id limit $5`,
        [filter.workspaceId, filter.after, filter.visitor.sessionId, filter.visitor.contactId, limit],
      );
    }
    return this.db.query<StreamEvent>('select * from stream_events where workspace_id = $1 and id > $2 and operator order by id limit $3', [filter.workspaceId, filter.after, limit]);
  }
}

/**
 * Whether a stored event is for this visitor, given the contact the session
 * holds NOW (callers pass it fresh: the stream swaps it on `session.switched`).
 * An event of a contact's conversation goes to the sessions holding that
 * contact, never by its old session alone (after a switch from A to B, A's
 * events no longer reach the session); an anonymous conversation's event goes
 * to its session; one with neither (availability) to every visitor.
 */
export function visitorMaysee(e: StreamEvent, session: { workspace_id: string; id: string; contact_id: string | null }): boolean {
  if (!e.visitor || e.workspace_id !== session.workspace_id) return false;
  if (e.type === 'session.switched') return e.session_id === session.id;
  if (e.contact_id !== null) return e.contact_id === session.contact_id;
  return e.session_id === null || e.session_id === session.id;
}
