import { randomInt } from 'node:crypto';
import type { Db, Row } from '../db/db.js';
import { HttpError, notFound } from '../http/errors.js';
import type { Company } from './company.js';
import type { Conversations } from './conversations.js';
import { newId } from './ids.js';
import type { Session } from './sessions.js';
import { operatorEvent, type Stream } from './stream.js';

const CODE_MINUTES = 10;

/** Co-browsing: a code the visitor reads out, the recording of their page, and the operator watching it. */
export class Cobrowse {
  constructor(readonly stream: Stream, readonly conversations: Conversations, readonly company: Company) {}

  get db(): Db {
    return this.stream.db;
  }

  /** A six-digit code, valid ten minutes, that the visitor reads to an operator. */
  async code(session: Session) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expires = new Date(this.company.now().getTime() + CODE_MINUTES * 60_000);
    const conversation = await this.conversations.current(session);
    const [row] = await this.db.query(
      `insert into cobrowse_sessions (id, workspace_id, session_id, conversation_id, code, code_expires_at, status) values ($1, $2, $3, $4, $5, $6, 'waiting') returning id`,
      [newId('cob'), session.workspace_id, session.id, conversation?.id ?? null, code, expires],
    );
    return { id: row!.id as string, code, expires_at: expires.toISOString() };
  }

  /** The visitor agreed: recording starts (on the session of the code, or a new one). */
  async start(session: Session, id?: string) {
    const conversation = await this.conversations.current(session);
    const row = await this.stream.write(async (q, emit) => {
      let [c] = id ? await q.query('select * from cobrowse_sessions where id = $1 and session_id = $2', [id, session.id]) : [];
      if (id && !c) throw notFound(`Co-browsing session ${id}`);
      if (c) {
        [c] = await q.query(`update cobrowse_sessions set status = 'live', started_at = now() where id = $1 returning *`, [c.id]);
      } else {
        [c] = await q.query(
          `insert into cobrowse_sessions (id, workspace_id, session_id, conversation_id, status, started_at) values ($1, $2, $3, $4, 'live', now()) returning *`,
          [newId('cob'), session.workspace_id, session.id, conversation?.id ?? null],
        );
      }
      emit(operatorEvent(session.workspace_id, c!.conversation_id, 'cobrowse.started', { cobrowse: { id: c!.id, code: c!.code } }));
      return c!;
    });
    return { id: row.id as string, status: 'live' };
  }

  async #own(session: Session, id: string): Promise<Row> {
    const [c] = await this.db.query('select * from cobrowse_sessions where id = $1 and session_id = $2', [id, session.id]);
    if (!c) throw notFound(`Co-browsing session ${id}`);
    return c;
  }

  async record(session: Session, id: string, events: unknown[]) {
    const c = await this.#own(session, id);
    if (c.status !== 'live') throw new HttpError(409, `cobrowse_${c.status}`, `Co-browsing session ${id} is ${c.status}`);
    await this.stream.write(async (q, emit) => {
      const [last] = await q.query(
        `insert into cobrowse_events (cobrowse_id, payload) select $1, value from jsonb_array_elements($2::jsonb) returning id`,
        [id, JSON.stringify(events)],
      ).then((rows) => rows.slice(-1));
      emit(operatorEvent(session.workspace_id, c.conversation_id, 'cobrowse.events', { cobrowse_id: id, last: Number(last?.id ?? 0) }));
    });
    return { stored: events.length };
  }

  async stop(session: Session, id: string) {
    const c = await this.#own(session, id);
    await this.stream.write(async (q, emit) => {
      await q.query(`update cobrowse_sessions set status = 'ended', ended_at = now() where id = $1`, [c.id]);
      emit(operatorEvent(session.workspace_id, c.conversation_id, 'cobrowse.ended', { cobrowse_id: c.id }));
    });
    return { id: c.id, status: 'ended' };
  }

  /** An operator finds a session by the code the visitor read out (while valid) or by conversation. */
  async find(workspaceId: string, by: { code?: string; conversation_id?: string }) {
    const [c] = by.code
      ? await this.db.query('select * from cobrowse_sessions where workspace_id = $1 and code = $2 order by created_at desc limit 1', [workspaceId, by.code])
      : await this.db.query(`select * from cobrowse_sessions where workspace_id = $1 and conversation_id = $2 and status <> 'ended' order by created_at desc limit 1`, [workspaceId, by.conversation_id]);
    if (!c) throw notFound(by.code ? `Co-browsing code ${by.code}` : `A co-browsing session of conversation ${by.conversation_id}`);
    if (by.code && new Date(c.code_expires_at).getTime() < this.company.now().getTime() && c.status === 'waiting') {
      throw new HttpError(410, 'code_expired', `Code ${by.code} has expired (codes are valid ${CODE_MINUTES} minutes); ask the visitor for a new one`);
    }
    return { id: c.id, status: c.status, conversation_id: c.conversation_id, started_at: c.started_at ? new Date(c.started_at).toISOString() : null };
  }

  async events(workspaceId: string, id: string, after: number) {
    const [c] = await this.db.query('select id, status from cobrowse_sessions where id = $1 and workspace_id = $2', [id, workspaceId]);
    if (!c) throw notFound(`Co-browsing session ${id}`);
    const rows = await this.db.query('select id, payload from cobrowse_events where cobrowse_id = $1 and id > $2 order by id limit 2000', [id, after]);
    return { status: c.status, events: rows.map((r) => r.payload), last: rows.length ? Number(rows.at(-1)!.id) : after };
  }
}
