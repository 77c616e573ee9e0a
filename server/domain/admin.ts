import type { Db, Queryable, Row } from '../db/db.js';
import { systemClock, type Clock } from '../http/clock.js';
import { HttpError } from '../http/errors.js';
import { randomToken, sha256 } from './identity.js';
import { newId } from './ids.js';

/**
 * Workspaces and their operators, managed without SQL: by the admin CLI
 * (server/cli.ts) and by an admin operator through the operator API
 * (server/routes/admin.ts). Secrets (operator keys, the identity secret) are
 * answered once, when made, and never again: operator keys are stored hashed,
 * and the identity secret is read by nothing that answers a request.
 *
 * Bad input is an HttpError 400 naming the field (the CLI prints its message);
 * an unknown workspace or operator a 404.
 */

export type Role = 'admin' | 'agent';

export interface WorkspaceView {
  id: string;
  name: string;
  /** The widget public key (not a secret: it is in the site's page). */
  public_key: string | null;
  allowed_origins: string[];
  require_verification: boolean;
  languages: string[];
  /** Opening hours ({"mon": [["09:00", "17:00"]], ...}; none: always open) in `time_zone` (set by PUT /settings or the CLI). */
  business_hours: Record<string, [string, string][]>;
  time_zone: string;
  /** Until when the previous identity secret still verifies (a rotation's grace period), else null. */
  previous_identity_secret_until: string | null;
  created_at: string;
}

export interface OperatorView {
  id: string;
  name: string;
  email: string | null;
  avatar_url: string | null;
  role: Role;
  created_at: string;
}

export interface WorkspaceChange {
  name?: string;
  allowed_origins?: string[];
  require_verification?: boolean;
  languages?: string[];
}

export interface NewOperator {
  name: string;
  email?: string | null;
  avatar_url?: string | null;
  role?: Role;
}

/** The longest grace period of an identity secret rotation: 30 days. */
export const MAX_GRACE_HOURS = 720;
export const DEFAULT_GRACE_HOURS = 24;

const bad = (message: string) => new HttpError(400, 'invalid_request', message);
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || !name.trim()) throw bad(`${field} is empty: give a name`);
  if (name.length > 200) throw bad(`${field} is too long: at most 200 characters`);
  return name.trim();
}

/** `*` (any origin) or scheme://host[:port] as a browser sends it in Origin. */
export function checkOrigins(origins: unknown, field = 'allowed_origins'): string[] {
  if (!Array.isArray(origins) || origins.length === 0) throw bad(`${field} is empty: list at least one origin (https://example.com), or * for any`);
  if (origins.length > 100) throw bad(`${field} has too many entries: at most 100`);
  return origins.map((o, i) => {
    if (o === '*') return o;
    let origin: string | null = null;
    try {
      if (typeof o === 'string') origin = new URL(o).origin;
    } catch {
      /* not a URL */
    }
    if (!origin || origin === 'null' || origin !== o) {
      throw bad(`${field}/${i} ${JSON.stringify(o)} is not an origin: write it as the browser sends it, scheme://host[:port] without a path or trailing slash (https://example.com), or * for any`);
    }
    return origin;
  });
}

function checkLanguages(languages: unknown): string[] {
  if (!Array.isArray(languages) || languages.length === 0) throw bad('languages is empty: list at least one language code (en, fr...)');
  languages.forEach((l, i) => {
    if (typeof l !== 'string' || !LANGUAGE.test(l)) throw bad(`languages/${i} ${JSON.stringify(l)} is not a language code (en, fr, pt-BR...)`);
  });
  return [...new Set(languages as string[])];
}

function checkOperator(input: NewOperator): Required<NewOperator> {
  const email = input.email ?? null;
  if (email !== null && (typeof email !== 'string' || !EMAIL.test(email) || email.length > 320)) throw bad(`email ${JSON.stringify(email)} is not an email address`);
  const avatar = input.avatar_url ?? null;
  if (avatar !== null && (typeof avatar !== 'string' || !/^https:\/\/\S+$/.test(avatar) || avatar.length > 2048)) throw bad('avatar_url must be an https:// address');
  const role = input.role ?? 'agent';
  if (role !== 'admin' && role !== 'agent') throw bad(`role ${JSON.stringify(role)} is not admin or agent`);
  return { name: checkName(input.name), email, avatar_url: avatar, role };
}

const operatorView = (row: Row): OperatorView => ({
  id: row.id, name: row.name, email: row.email, avatar_url: row.avatar_url, role: row.role, created_at: new Date(row.created_at).toISOString(),
});

const OPERATOR_COLUMNS = 'id, name, email, avatar_url, role, created_at';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Opening hours written as a person would: "mon-fri 09:00-17:00, sat 10:00-13:00 14:00-16:00"
 * (days or a range of days, then one or more spans; "none": always open), as business_hours.
 */
export function parseHours(text: string, field = 'hours'): Record<string, [string, string][]> {
  const hours: Record<string, [string, string][]> = {};
  if (text.trim().toLowerCase() === 'none') return hours;
  const time = '([01][0-9]|2[0-3]):[0-5][0-9]|24:00';
  const spanPattern = new RegExp(`^(${time})-(${time})$`);
  for (const part of text.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
    const [days, ...spans] = part.split(/\s+/);
    const range = /^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?$/.exec(days!.toLowerCase());
    if (!range || !spans.length) throw bad(`${field} "${part}" is not "DAY[-DAY] HH:MM-HH:MM ..." (e.g. mon-fri 09:00-17:00)`);
    const from = DAYS.indexOf(range[1] as (typeof DAYS)[number]);
    const to = DAYS.indexOf((range[2] ?? range[1]) as (typeof DAYS)[number]);
    if (to < from) throw bad(`${field} "${days}" runs backwards: write the days from Monday to Sunday (mon-fri)`);
    for (const span of spans) {
      const m = spanPattern.exec(span);
      if (!m) throw bad(`${field} "${span}" is not a span of time like 09:00-17:00`);
      const [open, close] = span.split('-') as [string, string];
      if (open >= close) throw bad(`${field} "${span}" closes before it opens`);
      for (let d = from; d <= to; d++) (hours[DAYS[d]!] ??= []).push([open, close]);
    }
  }
  if (!Object.keys(hours).length) throw bad(`${field} is empty: write e.g. "mon-fri 09:00-17:00", or "none" for always open`);
  return hours;
}

export class Admin {
  constructor(
    readonly db: Db,
    /** What time it is: when a rotation's grace period ends. */
    readonly now: Clock = systemClock,
  ) {}

  /**
   * A new workspace: its widget public key, identity secret, and a first admin
   * operator with their key. The secrets are in the answer only.
   */
  async createWorkspace(input: { name: string; allowed_origins?: string[]; admin?: { name: string; email?: string | null } }) {
    const name = checkName(input.name);
    const origins = input.allowed_origins === undefined ? ['*'] : checkOrigins(input.allowed_origins);
    const admin = checkOperator({ name: input.admin?.name ?? 'Admin', email: input.admin?.email ?? null, role: 'admin' });
    const id = newId('ws');
    const publicKey = `pk_${randomToken(18)}`;
    const identitySecret = randomToken(32);
    const { operator, key } = await this.db.tx(async (q) => {
      await q.query('insert into workspaces (id, name, identity_secret, allowed_origins) values ($1, $2, $3, $4)', [id, name, identitySecret, origins]);
      await q.query('insert into widget_keys (key, workspace_id, agent_id) values ($1, $2, null)', [publicKey, id]);
      return this.#insertOperator(q, id, admin);
    });
    return { workspace: await this.workspace(id), public_key: publicKey, identity_secret: identitySecret, operator, operator_key: key };
  }

  async listWorkspaces(): Promise<(WorkspaceView & { operators: number })[]> {
    const rows = await this.db.query(`select w.*, ${this.#publicKey}, (select count(*)::int from agents a where a.workspace_id = w.id and a.kind = 'person') as operators
      from workspaces w order by w.created_at, w.id`);
    return rows.map((r) => ({ ...this.#workspaceView(r), operators: r.operators }));
  }

  async workspace(id: string): Promise<WorkspaceView> {
    const [row] = await this.db.query(`select w.*, ${this.#publicKey} from workspaces w where w.id = $1`, [id]);
    if (!row) throw new HttpError(404, 'not_found', `No workspace has the id ${JSON.stringify(id)}`);
    return this.#workspaceView(row);
  }

  /** Changes a workspace's name, allowed origins, verification and languages (hours: PUT /settings). */
  async updateWorkspace(id: string, change: WorkspaceChange): Promise<WorkspaceView> {
    const set: Record<string, unknown> = {};
    if (change.name !== undefined) set.name = checkName(change.name);
    if (change.allowed_origins !== undefined) set.allowed_origins = checkOrigins(change.allowed_origins);
    if (change.require_verification !== undefined) {
      if (typeof change.require_verification !== 'boolean') throw bad('require_verification must be true or false');
      set.require_verification = change.require_verification;
    }
    if (change.languages !== undefined) set.languages = checkLanguages(change.languages);
    await this.workspace(id);
    const keys = Object.keys(set);
    if (keys.length) {
      await this.db.query(`update workspaces set ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} where id = $1`, [id, ...keys.map((k) => set[k])]);
    }
    return this.workspace(id);
  }

  async operators(workspaceId: string): Promise<OperatorView[]> {
    await this.workspace(workspaceId);
    const rows = await this.db.query(`select ${OPERATOR_COLUMNS} from agents where workspace_id = $1 and kind = 'person' order by created_at, name`, [workspaceId]);
    return rows.map(operatorView);
  }

  /** A new operator with their own key (answered once). */
  async addOperator(workspaceId: string, input: NewOperator): Promise<{ operator: OperatorView; key: string }> {
    const checked = checkOperator(input);
    await this.workspace(workspaceId);
    return this.db.tx((q) => this.#insertOperator(q, workspaceId, checked));
  }

  /**
   * Removes an operator: their keys stop working, their messages stay (signed
   * with their name), their conversations become unassigned. The workspace's
   * last admin cannot be removed (409). `workspaceId` null: any workspace (the CLI).
   */
  async removeOperator(workspaceId: string | null, agentId: string): Promise<OperatorView> {
    return this.db.tx(async (q) => {
      const agent = await this.#operator(q, workspaceId, agentId, true);
      if (agent.role === 'admin') {
        const [{ admins }] = (await q.query(`select count(*)::int as admins from agents where workspace_id = $1 and kind = 'person' and role = 'admin'`, [agent.workspace_id])) as [{ admins: number }];
        if (admins <= 1) {
          throw new HttpError(409, 'last_admin', `${agent.name} is the workspace's last admin and cannot be removed: make another operator an admin first (add one with role admin)`);
        }
      }
      await q.query('delete from operator_keys where agent_id = $1', [agent.id]);
      await q.query('delete from agents where id = $1', [agent.id]);
      return operatorView(agent);
    });
  }

  /** A new key for an operator (answered once); their previous keys stop working at once. */
  async rotateOperatorKey(workspaceId: string | null, agentId: string): Promise<{ operator: OperatorView; key: string }> {
    return this.db.tx(async (q) => {
      const agent = await this.#operator(q, workspaceId, agentId, true);
      const key = `sk_${randomToken(24)}`;
      await q.query('delete from operator_keys where agent_id = $1', [agent.id]);
      await q.query('insert into operator_keys (key_hash, workspace_id, agent_id) values ($1, $2, $3)', [sha256(key), agent.workspace_id, agent.id]);
      return { operator: operatorView(agent), key };
    });
  }

  /**
   * A new identity secret (answered once). The one it replaces keeps verifying
   * for `graceHours` (default 24; 0 ends it at once), so visitors signed in with
   * it stay signed in while the site switches over. Only the one it replaces:
   * a second rotation within a grace period ends the older secret's at once.
   */
  async rotateIdentitySecret(workspaceId: string, graceHours: number = DEFAULT_GRACE_HOURS): Promise<{ identity_secret: string; previous_valid_until: string | null }> {
    if (typeof graceHours !== 'number' || !Number.isFinite(graceHours) || graceHours < 0 || graceHours > MAX_GRACE_HOURS) {
      throw bad(`grace_hours must be a number of hours from 0 to ${MAX_GRACE_HOURS}`);
    }
    const secret = randomToken(32);
    const until = graceHours > 0 ? new Date(this.now().getTime() + graceHours * 3_600_000) : null;
    const [row] = await this.db.query(
      `update workspaces set previous_identity_secret = case when $3::timestamptz is null then null else identity_secret end,
         previous_identity_secret_until = $3, identity_secret = $2 where id = $1 returning id`,
      [workspaceId, secret, until?.toISOString() ?? null],
    );
    if (!row) throw new HttpError(404, 'not_found', `No workspace has the id ${JSON.stringify(workspaceId)}`);
    return { identity_secret: secret, previous_valid_until: until?.toISOString() ?? null };
  }

  // The workspace's widget key (the first one that routes to no particular agent).
  readonly #publicKey = `(select k.key from widget_keys k where k.workspace_id = w.id and k.agent_id is null order by k.key limit 1) as public_key`;

  #workspaceView(row: Row): WorkspaceView {
    const until = row.previous_identity_secret_until ? new Date(row.previous_identity_secret_until) : null;
    return {
      id: row.id,
      name: row.name,
      public_key: row.public_key ?? null,
      allowed_origins: row.allowed_origins,
      require_verification: row.require_verification,
      languages: row.languages,
      business_hours: row.business_hours,
      time_zone: row.time_zone,
      previous_identity_secret_until: until && until > this.now() ? until.toISOString() : null,
      created_at: new Date(row.created_at).toISOString(),
    };
  }

  async #operator(q: Queryable, workspaceId: string | null, agentId: string, lock = false): Promise<Row> {
    const [row] = await q.query(
      `select ${OPERATOR_COLUMNS}, workspace_id from agents where id = $1 and kind = 'person' and ($2::text is null or workspace_id = $2)${lock ? ' for update' : ''}`,
      [agentId, workspaceId],
    );
    if (!row) throw new HttpError(404, 'not_found', `No operator has the id ${JSON.stringify(agentId)}${workspaceId ? ' in this workspace' : ''}`);
    return row;
  }

  async #insertOperator(q: Queryable, workspaceId: string, op: Required<NewOperator>): Promise<{ operator: OperatorView; key: string }> {
    if (op.email) {
      const [taken] = await q.query('select 1 from agents where workspace_id = $1 and lower(email) = lower($2)', [workspaceId, op.email]);
      if (taken) throw new HttpError(409, 'email_taken', `Another operator of this workspace has the email ${op.email}`);
    }
    const key = `sk_${randomToken(24)}`;
    const [row] = await q
      .query(
        `insert into agents (id, workspace_id, name, kind, email, avatar_url, role) values ($1, $2, $3, 'person', $4, $5, $6) returning ${OPERATOR_COLUMNS}`,
        [newId('ag'), workspaceId, op.name, op.email, op.avatar_url, op.role],
      )
      .catch((error: { code?: string }) => {
        // Added at the same moment by another request (the unique index agents_email).
        if (error.code === '23505') throw new HttpError(409, 'email_taken', `Another operator of this workspace has the email ${op.email}`);
        throw error;
      });
    await q.query('insert into operator_keys (key_hash, workspace_id, agent_id) values ($1, $2, $3)', [sha256(key), workspaceId, row!.id]);
    return { operator: operatorView(row!), key };
  }
}
