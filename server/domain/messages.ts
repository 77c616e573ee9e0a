import type { Db, Queryable, Row } from '../db/db.js';
import { HttpError } from '../http/errors.js';
import type { Page } from '../http/schemas.js';
import type { Conversations } from './conversations.js';
import { newId } from './ids.js';
import type { Session } from './sessions.js';
import { forOperators, forVisitor, type Emit, type Stream } from './stream.js';

/** The columns a message is stored with, besides its id, workspace and conversation. */
interface NewMessage {
  author: 'visitor' | 'agent' | 'bot' | 'system';
  content: string;
  author_id?: string | null;
  author_name?: string | null;
  internal?: boolean;
  data?: Row | null;
  client_id?: string;
  session_id?: string;
  file_id?: string | null;
}

/** What a visitor sends: a message, into a chat named or the current conversation. */
export interface VisitorInput {
  client_id: string;
  content: string;
  conversation_fields?: Row;
  conversation_id?: string;
  file_id?: string;
}

/** A visitor's message as stored (`created` false: this client id was stored before). */
export interface VisitorStored {
  message: Row;
  created: boolean;
  chatStatus: string;
}

/** A visitor's message waiting for the next batch (Messages.visitor). */
interface Waiting {
  session: Session;
  input: VisitorInput;
  resolve: (stored: VisitorStored) => void;
  reject: (error: unknown) => void;
}

/** The most messages one batch writes. */
const MAX_BATCH = 100;

/** A page of messages and where the pages beside it start. */
export interface MessagePage {
  messages: Row[];
  cursor: string;
  earlier: string | null;
  later: string | null;
}

/** Messages of conversations: every author's, the history each side reads, read cursors and typing. */
export class Messages {
  constructor(readonly stream: Stream, readonly conversations: Conversations) {}

  get db(): Db {
    return this.stream.db;
  }

  /** Stores a message in the caller's transaction; returns it in the shape of `chat_message_json` (migration 003). */
  async insert(q: Queryable, c: Row, m: NewMessage): Promise<Row> {
    const values: Row = { ...m, ...(m.data !== undefined ? { data: m.data === null ? null : JSON.stringify(m.data) } : {}) };
    const keys = Object.keys(values).filter((k) => values[k] !== undefined);
    const [row] = await q.query<{ m: Row }>(
      `with ins as (insert into messages (id, workspace_id, conversation_id${keys.map((k) => `, ${k}`).join('')})
         values ($1, $2, $3${keys.map((_k, i) => `, $${i + 4}`).join('')}) returning *)
       select chat_message_json(ins) as m from ins`,
      [newId('msg'), c.workspace_id, c.id, ...keys.map((k) => values[k])],
    );
    return row!.m;
  }

  /** A message both sides see (bot answers, system confirmations). */
  async #shared(c: Row, m: NewMessage): Promise<void> {
    await this.stream.write(async (q, emit) => {
      const message = await this.insert(q, c, m);
      emit(forOperators(c, 'message', { message }));
      emit(forVisitor(c, 'message', { message }));
    });
  }

  /** A page of the visitor's current conversation (empty without one). */
  async visitorHistory(session: Session, page: Page): Promise<MessagePage> {
    const conversation = await this.conversations.current(session);
    if (!conversation) return { messages: [], cursor: String(page.after ?? 0), earlier: null, later: null };
    return this.page(conversation.id, page, false);
  }

  /**
   * A page of a conversation's messages, in order, in the shape of `chat_message_json` (migration 003);
   * notes only for operators. The newest `limit` unless `before` or `after` a position; says where the
   * next older and newer pages start (null: there is none). One more row than asked tells whether there is.
   */
  async page(conversationId: string, page: Page, internal: boolean): Promise<MessagePage> {
    const visible = internal ? '' : 'and not m.internal';
    const forward = page.after !== undefined;
    // Forward from `after`; else back from `before` (from the end without it).
    const rows = await this.db.query<{ seq: string | number; m: Row }>(
      `select m.seq, chat_message_json(m) as m from messages m where m.conversation_id = $1 ${visible}
         and ${forward ? 'm.seq > $3' : 'm.seq < coalesce($3, 9223372036854775807)'}
       order by m.seq ${forward ? 'asc' : 'desc'} limit $2`,
      [conversationId, page.limit + 1, page.after ?? page.before ?? null],
    );
    const more = rows.length > page.limit;
    if (more) rows.pop();
    if (!forward) rows.reverse();
    const first = rows[0];
    const last = rows.at(-1);
    // Past the end the page asked for: one row more said so; on the other side, one query asks.
    const earlier = first && (forward ? page.after! > 0 && (await this.#any(conversationId, visible, '<', first.seq)) : more);
    const later = last && (forward ? more : page.before !== undefined && (await this.#any(conversationId, visible, '>', last.seq)));
    return {
      messages: rows.map((r) => r.m),
      cursor: String(last?.seq ?? page.after ?? 0),
      earlier: earlier ? String(first.seq) : null,
      later: later ? String(last.seq) : null,
    };
  }

  /** Whether the conversation has a message (that the reader sees) before or after a position. */
  async #any(conversationId: string, visible: string, side: '<' | '>', seq: string | number): Promise<boolean> {
    const [row] = await this.db.query(`select exists (select 1 from messages m where m.conversation_id = $1 ${visible} and m.seq ${side} $2) as x`, [conversationId, seq]);
    return !!row?.['x'];
  }

  /** Every message of a conversation, in order (what a transcript or an export needs, never a route). */
  async of(conversationId: string, options: { after: number; limit: number; internal: boolean }): Promise<Row[]> {
    const rows = await this.db.query<{ m: Row }>(
      `select chat_message_json(m) as m from messages m where m.conversation_id = $1 and m.seq > $2 ${options.internal ? '' : 'and not m.internal'} order by m.seq limit $3`,
      [conversationId, options.after, options.limit],
    );
    return rows.map((r) => r.m);
  }

  async operatorHistory(workspaceId: string, id: string, page: Page): Promise<MessagePage> {
    await this.conversations.byId(workspaceId, id);
    return this.page(id, page, true);
  }

  async unreadForVisitor(session: Session): Promise<number> {
    const conversation = await this.conversations.current(session);
    if (!conversation) return 0;
    const [row] = await this.db.query(
      `select count(*)::int as n from messages where conversation_id = $1 and not internal and author <> 'visitor' and seq > $2`,
      [conversation.id, conversation.visitor_read_seq],
    );
    return row!.n;
  }

  /**
   * Stores a visitor message once per client id of the session (a retry gets the stored one back), in
   * the chat named, else the current conversation, opened when there is none or it is over.
   * Group commit: the messages that arrive while a batch is being written wait for it to finish and
   * then go in together, one statement and one transaction (migration 015); the first one alone goes
   * at once. PGlite runs one statement at a time, so one batch runs at a time there; PostgreSQL's pool
   * runs a few side by side.
   */
  visitor(session: Session, input: VisitorInput): Promise<VisitorStored> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ session, input, resolve, reject });
      this.#drain();
    });
  }

  readonly #waiting: Waiting[] = [];
  #writing = 0;
  #soon: NodeJS.Immediate | undefined;
  get #lanes(): number {
    return this.db.kind === 'pg' ? 4 : 1;
  }

  #drain(): void {
    if (this.#soon || this.#writing >= this.#lanes || !this.#waiting.length) return;
    // After the requests already read in this turn of the event loop, so that they join this batch.
    this.#soon = setImmediate(() => {
      this.#soon = undefined;
      while (this.#writing < this.#lanes && this.#waiting.length) {
        const batch = this.#waiting.splice(0, MAX_BATCH);
        this.#writing++;
        void this.#batch(batch, false).finally(() => {
          this.#writing--;
          this.#drain();
        });
      }
    });
  }

  /**
   * Writes a batch; each waiting request is answered once it is committed (or refused). A batch that
   * fails as a whole (another process stored one of its client ids first, or something else) is written
   * again one message at a time (`alone`), so that a race is answered with the stored message and a
   * failure fails only its own request.
   */
  async #batch(batch: Waiting[], alone: boolean): Promise<void> {
    let results: Row[];
    try {
      results = await this.stream.write(async (q, emit) => {
        // By session (each one's messages in the order they came): batches running side by side (PostgreSQL) lock
        // the conversations they write in the same order, so never each other's in a cycle.
        const ordered = batch.map((w, i) => ({ w, i })).sort((a, b) => (a.w.session.id < b.w.session.id ? -1 : a.w.session.id > b.w.session.id ? 1 : a.i - b.i));
        const items = ordered.map(({ w: { session, input } }) => ({
          session: session.id, client_id: input.client_id, content: input.content, conversation: input.conversation_id ?? null, file: input.file_id ?? null, id: newId('msg'),
        }));
        const store = async (list: Row[]) => (await q.query<{ r: Row[] }>('select visitor_messages($1::jsonb) as r', [JSON.stringify(list)]))[0]!.r;
        const results = await store(items);
        // No conversation going on for some: the one creator opens one per session (with the session as it is
        // now), then their messages go in, in the same transaction.
        const opening = results.flatMap((r, k) => (r.open ? [k] : []));
        if (opening.length) {
          const opened = new Map<string, string>();
          for (const k of opening) {
            const { session, input } = ordered[k]!.w;
            if (opened.has(session.id)) continue;
            const s = results[k]!.session as Row;
            const c = await this.conversations.open(q, emit, { ...session, contact_id: s.contact_id, agent_id: s.agent_id }, { fields: input.conversation_fields ?? {} });
            opened.set(session.id, c.id);
          }
          const stored = await store(opening.map((k) => ({ ...items[k], conversation: opened.get(ordered[k]!.w.session.id) })));
          opening.forEach((k, j) => (results[k] = stored[j]!));
        }
        for (const r of results) {
          if (!r.message) continue;
          emit(forOperators(r.conversation, 'message', { message: r.message }));
          emit(forVisitor(r.conversation, 'message', { message: r.message }));
        }
        const byArrival: Row[] = [];
        ordered.forEach(({ i }, k) => (byArrival[i] = results[k]!));
        return byArrival;
      });
    } catch (error) {
      if (alone) return batch[0]!.reject(error);
      for (const w of batch) await this.#batch([w], true);
      return;
    }
    batch.forEach((w, i) => {
      const r = results[i]!;
      if (r.stored) w.resolve({ message: r.stored, created: false, chatStatus: r.chat_status });
      else if (r.message) w.resolve({ message: r.message, created: true, chatStatus: r.conversation.chat_status });
      else if (r.missing) w.reject(new HttpError(404, 'not_found', `Chat ${w.input.conversation_id} was not found`));
      else if (r.finished) w.reject(new HttpError(409, 'chat_finished', `Chat ${w.input.conversation_id} is finished or dismissed; create a new chat`));
      else w.reject(new Error(`visitor_messages gave no answer for this message: ${JSON.stringify(r)}`));
    });
  }

  /** An operator's reply or internal note; the first reply of a person moves a waiting chat to assigned. */
  async operator(workspaceId: string, conversationId: string, author: { id: string | null; name: string | null }, input: { content: string; internal?: boolean }): Promise<Row> {
    return this.stream.write(async (q, emit) => {
      let c = await this.conversations.byId(workspaceId, conversationId, q);
      const internal = input.internal ?? false;
      const message = await this.insert(q, c, { author: 'agent', author_id: author.id, author_name: author.name, content: input.content, internal });
      await q.query('update conversations set updated_at = now(), operator_read_seq = $2 where id = $1', [c.id, message.seq]);
      if (author.id) await readUpTo(q, c.id, author.id, message.seq);
      emit(forOperators(c, 'message', { message }));
      if (internal) return message;
      emit(forVisitor(c, 'message', { message }));
      const [agent] = author.id ? await q.query<{ person: boolean }>(`select kind = 'person' as person from agents where id = $1`, [author.id]) : [];
      if ((agent?.person ?? true) && ['queued', 'va_assigned'].includes(c.chat_status)) {
        [c] = await q.query(
          `update conversations set chat_status = 'assigned', assigned_at = now(), assignee_id = coalesce(assignee_id, $2) where id = $1 returning *`,
          [c.id, author.id],
        ) as [Row];
        emit(forVisitor(c, 'chat.member_joined', { chat_id: c.id, member: { id: author.id, name: author.name, type: 'agent' } }));
        emit(forVisitor(c, 'chat.updated', { chat_id: c.id, status: c.chat_status }));
        emit(forOperators(c, 'conversation.updated', { conversation: { id: c.id, status: c.status, chat_status: c.chat_status, assignee_id: c.assignee_id } }));
      }
      return message;
    });
  }

  /** A message from the system (a booking confirmed...), seen by the visitor and the operators. */
  async system(conversation: Row, content: string, data: Row | null = null): Promise<void> {
    await this.#shared(conversation, { author: 'system', content, data });
  }

  /** The virtual agent's answer in a chat it holds. */
  async bot(conversation: Row, content: string, data: Row | null, name = 'Virtual agent'): Promise<void> {
    await this.#shared(conversation, { author: 'bot', author_name: name, content, data });
  }

  /** A note for the operators only (a `>cs @mention`), in the caller's transaction. */
  async note(q: Queryable, emit: Emit, c: Row, m: { author_name: string; content: string; data: Row }): Promise<Row> {
    const message = await this.insert(q, c, { author: 'system', internal: true, ...m });
    emit(forOperators(c, 'message', { message }));
    return message;
  }

  /** Typing indicators: stored like every realtime event (so they fan out across processes), shown for a few seconds. */
  async visitorTyping(session: Session, typing: boolean): Promise<boolean> {
    const conversation = await this.conversations.current(session);
    if (!conversation) return false;
    await this.stream.emit(forOperators(conversation, 'typing', { conversation_id: conversation.id, typing, who: 'visitor' }));
    return true;
  }

  /** An operator's verdict on an AI answer (good, wrong, or none); the team's inboxes hear it. 404 for a message that is not one. */
  async verdict(workspaceId: string, conversationId: string, messageId: string, verdict: 'good' | 'wrong' | null, by: string | null): Promise<Row> {
    const c = await this.conversations.byId(workspaceId, conversationId);
    return this.stream.write(async (q, emit) => {
      const [row] = await q.query(
        `update messages set data = jsonb_set(jsonb_set(data, '{ai,verdict}', coalesce(to_jsonb($3::text), 'null'::jsonb)), '{ai,verdict_by}', coalesce(to_jsonb($4::text), 'null'::jsonb))
          where conversation_id = $1 and id = $2 and author = 'bot' and data ? 'ai' and data->'ai' ? 'answer_id' returning chat_message_json(messages.*) as message`,
        [c.id, messageId, verdict, verdict ? by : null],
      );
      if (!row) throw new HttpError(404, 'not_found', `Message ${messageId} is not an AI answer of conversation ${conversationId}`);
      emit(forOperators(c, 'message.updated', { message: row.message }));
      return row.message;
    });
  }

  /** An operator is typing: the visitor sees it, and so do the operator's teammates (two never answer at once unawares). */
  async operatorTyping(workspaceId: string, conversationId: string, agent: { id: string | null; name: string | null }, typing: boolean): Promise<void> {
    const c = await this.conversations.byId(workspaceId, conversationId);
    await this.stream.write(async (_q, emit) => {
      emit(forVisitor(c, 'typing', { chat_id: c.id, typing, name: agent.name }));
      emit(forOperators(c, 'operator.typing', { agent_id: agent.id, name: agent.name, typing }));
    });
  }

  async markReadByVisitor(session: Session): Promise<void> {
    const conversation = await this.conversations.current(session);
    if (!conversation) return;
    await this.db.query(`update conversations set visitor_read_seq = coalesce((select max(seq) from messages where conversation_id = $1), 0) where id = $1`, [conversation.id]);
  }

  /**
   * An operator read the conversation: their own unread count goes to zero (conversation_reads; a key
   * with no agent moves the workspace's cursor), and the visitor sees "Seen" under their messages.
   */
  async markReadByOperator(workspaceId: string, id: string, agentId: string | null = null): Promise<void> {
    const c = await this.conversations.byId(workspaceId, id);
    await this.stream.write(async (q, emit) => {
      const [last] = await q.query(
        `update conversations set operator_read_seq = coalesce((select max(seq) from messages where conversation_id = $1), 0) where id = $1
         returning operator_read_seq as seq, (select id from messages where conversation_id = $1 and author = 'visitor' order by seq desc limit 1) as message_id`,
        [id],
      );
      if (agentId) await readUpTo(q, id, agentId, last!.seq);
      if (last?.message_id) emit(forVisitor(c, 'read', { chat_id: c.id, message_id: last.message_id }));
    });
  }
}

/** Moves an operator's read cursor of a conversation forward (never back). */
const readUpTo = (q: Queryable, conversationId: string, agentId: string, seq: number | string) =>
  q.query(
    `insert into conversation_reads (conversation_id, agent_id, seq) values ($1, $2, $3)
     on conflict (conversation_id, agent_id) do update set seq = greatest(conversation_reads.seq, excluded.seq)`,
    [conversationId, agentId, seq],
  );
