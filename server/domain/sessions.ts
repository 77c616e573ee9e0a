import type { Bus } from '../bus.js';
import type { Db, Row } from '../db/db.js';
import { HttpError } from '../http/errors.js';
import { newId } from './ids.js';

const SESSION_CACHE_MS = 5_000;

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

export interface Operator {
  workspaceId: string;
  agentId: string | null;
  agentName: string | null;
  /** What the key's operator may do: admins also manage the workspace and its operators (null: a key of no operator). */
  role: 'admin' | 'agent' | null;
}

/** Who calls: widget keys, visitor sessions (by token hash), operator keys; and what a session carries. */
export class Sessions {
  /**
   * Session look-ups by token hash, kept a few seconds: every widget request
   * authenticates, and this saves a query on each. A process drops its own
   * entry when the session's identity changes, and every process drops it when
   * the `session.switched` event reaches it through the bus. What decides who
   * sees what reads the session's contact afresh anyway: the current
   * conversation (history, unread), chats by id, message writes, and streams.
   */
  readonly #sessions = new Map<string, { at: number; value: { session: Session; workspace: Workspace } }>();

  constructor(readonly db: Db, bus: Bus) {
    bus.subscribe((e) => {
      if (e.type === 'session.switched' && e.session_id) this.forget(e.session_id);
    });
  }

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

  async byToken(tokenHash: string): Promise<{ session: Session; workspace: Workspace }> {
    const hit = this.#sessions.get(tokenHash);
    if (hit && Date.now() - hit.at < SESSION_CACHE_MS) return hit.value;
    const value = await this.#load(tokenHash);
    if (this.#sessions.size > 10_000) this.#sessions.clear();
    this.#sessions.set(tokenHash, { at: Date.now(), value });
    return value;
  }

  /** Forgets cached look-ups of a session (its identity changed). */
  forget(sessionId: string): void {
    for (const [key, entry] of this.#sessions) if (entry.value.session.id === sessionId) this.#sessions.delete(key);
  }

  async #load(tokenHash: string): Promise<{ session: Session; workspace: Workspace }> {
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

  async create(workspace: Workspace, agentId: string | null, tokenHash: string, info: { locale?: string; page_url?: string }): Promise<Session> {
    const id = newId('ses');
    await this.db.query(
      `insert into sessions (id, workspace_id, agent_id, token_hash, locale, page_url) values ($1, $2, $3, $4, $5, $6)`,
      [id, workspace.id, agentId, tokenHash, info.locale ?? null, info.page_url ?? null],
    );
    return { id, workspace_id: workspace.id, agent_id: agentId, contact_id: null, data: {}, segments: [] };
  }

  async touch(sessionId: string, pageUrl?: string): Promise<void> {
    await this.db.query('update sessions set last_seen_at = now(), page_url = coalesce($2, page_url) where id = $1', [sessionId, pageUrl ?? null]);
  }

  async contact(contactId: string | null): Promise<Row | null> {
    if (!contactId) return null;
    const [row] = await this.db.query('select * from contacts where id = $1', [contactId]);
    return row ?? null;
  }

  /** The contact the session holds now, read from the database (not the cached look-up). */
  async currentContact(sessionId: string): Promise<string | null> {
    const [row] = await this.db.query<{ contact_id: string | null }>('select contact_id from sessions where id = $1', [sessionId]);
    return row?.contact_id ?? null;
  }

  /** Visitor data: `data` is merged, `segments` replaced (the Convot reference's session:data and session:segments). */
  async setData(sessionId: string, data: Row | undefined, segments: string[] | undefined): Promise<Row> {
    const [row] = await this.db.query(
      'update sessions set data = data || $2::jsonb, segments = coalesce($3, segments) where id = $1 returning data, segments',
      [sessionId, JSON.stringify(data ?? {}), segments ?? null],
    );
    return row!;
  }

  /** An analytics event the widget reports (opened, closed...). */
  async track(session: Session, name: string, data: Row | undefined): Promise<void> {
    await this.db.query('insert into widget_events (workspace_id, session_id, name, data) values ($1, $2, $3, $4)', [session.workspace_id, session.id, name, JSON.stringify(data ?? {})]);
  }

  /** The workspace and agent an operator key (by its hash) stands for. */
  async operatorByKey(keyHash: string): Promise<Operator> {
    const [row] = await this.db.query(
      `select k.workspace_id, k.agent_id, a.name as agent_name, a.role from operator_keys k left join agents a on a.id = k.agent_id where k.key_hash = $1`,
      [keyHash],
    );
    if (!row) throw new HttpError(401, 'invalid_operator_key', 'The operator key is not known');
    return { workspaceId: row.workspace_id, agentId: row.agent_id, agentName: row.agent_name, role: row.role ?? null };
  }
}
