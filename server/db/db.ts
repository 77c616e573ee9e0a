import { readdir, readFile, mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../paths.js';

export type Row = Record<string, any>;

/** What a route needs of the database: parameterised queries, in or out of a transaction. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'pg';
  /** Runs `fn` in one transaction: all of it is stored, or none. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** The PostgreSQL connection string, for the LISTEN/NOTIFY bus (pg only). */
  readonly url?: string;
}

/** The file that says which process has a PGlite data dir open. */
export const LOCK_FILE = 'chat-widget.lock';
const held = new Set<string>();

/** Thrown when another live process has the PGlite data dir open. */
export class DataDirInUse extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `The data directory ${dataDir} is in use by process ${pid} (the server?). PGlite allows one process at a time: ` +
        `stop that process first, or use PostgreSQL (DATABASE_URL), which several processes may share. ` +
        `If no such process runs, delete ${join(dataDir, LOCK_FILE)}.`,
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data dir for this process (PGlite itself does not stop a second
 * process from opening it, which would corrupt it): a lock file with our pid,
 * refused while another live process holds it; a stale one (its process gone)
 * is taken over. Returns the release.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  if (held.has(path)) throw new DataDirInUse(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      held.add(path);
      return async () => {
        held.delete(path);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      // Our own pid in a lock we do not hold: left by an earlier run that had the same pid (a container's pid 1).
      if (pid > 0 && pid !== process.pid && alive(pid)) throw new DataDirInUse(dataDir, pid);
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not take ${path}: another process is opening the data directory at the same time`);
}

/** PGlite: embedded PostgreSQL in WASM. `dataDir` undefined means in memory. One process at a time per data dir (see lockDataDir). */
export async function openPglite(dataDir?: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  // pgvector, for the AI agent's embeddings (created when a workspace first uses them).
  const { vector } = await import('@electric-sql/pglite-pgvector');
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const release = dataDir ? await lockDataDir(dataDir) : async () => {};
  let pg: InstanceType<typeof PGlite>;
  try {
    pg = dataDir ? new PGlite(dataDir, { extensions: { vector } }) : new PGlite({ extensions: { vector } });
    await pg.waitReady;
  } catch (error) {
    await release();
    throw error;
  }
  return {
    kind: 'pglite',
    async query(sql, params) {
      return (await pg.query(sql, params as any[])).rows as any[];
    },
    async tx(fn) {
      return pg.transaction((t) => fn({ query: async (sql, params) => (await t.query(sql, params as any[])).rows as any[] }));
    },
    async exec(sql) {
      await pg.exec(sql);
    },
    async close() {
      await pg.close();
      await release();
    },
  };
}

/** A real PostgreSQL through `pg`. */
export async function openPostgres(url: string): Promise<Db> {
  const { default: pg } = await import('pg');
  // bigint columns (sequences, counts) as numbers: ours stay far below 2^53.
  pg.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    kind: 'pg',
    url,
    async query(sql, params) {
      return (await pool.query(sql, params as any[])).rows;
    },
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const out = await fn({ query: async (sql, params) => (await client.query(sql, params as any[])).rows });
        await client.query('commit');
        return out;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}

const MIGRATIONS = `${MIGRATIONS_DIR}/`;

const migrationFiles = async () => (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();

/** The migrations this code has that the database has not applied (empty when ready). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const [table] = await db.query("select to_regclass('schema_migrations') is not null as exists");
  const done = table!.exists ? new Set((await db.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name)) : new Set();
  return (await migrationFiles()).filter((name) => !done.has(name));
}

/** A PostgreSQL advisory lock's key: processes that start together apply each migration once, one after another. */
const MIGRATION_LOCK = 727_274_001;

/** Applies the migrations not applied yet, each in its own transaction. */
export async function migrate(db: Db): Promise<string[]> {
  const applied: string[] = [];
  if (db.kind === 'pg') {
    // Several processes may start at once on one database: each migration under a lock, checked again inside it.
    const locked = async (fn: (q: Queryable) => Promise<void>) =>
      db.tx(async (q) => {
        await q.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
        await fn(q);
      });
    await locked((q) => q.query('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())').then(() => {}));
    for (const name of await pendingMigrations(db)) {
      const sql = await readFile(join(MIGRATIONS, name), 'utf8');
      await locked(async (q) => {
        if ((await q.query('select 1 from schema_migrations where name = $1', [name])).length) return;
        await q.query(sql);
        await q.query('insert into schema_migrations (name) values ($1)', [name]);
        applied.push(name);
      });
    }
    return applied;
  }
  await db.exec('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
  for (const name of await pendingMigrations(db)) {
    const sql = await readFile(join(MIGRATIONS, name), 'utf8');
    await db.exec(`begin;\n${sql}\ninsert into schema_migrations (name) values ('${name.replace(/'/g, "''")}');\ncommit;`);
    applied.push(name);
  }
  return applied;
}

/** The database the environment asks for: `DATABASE_URL` (PostgreSQL), else PGlite in `dataDir` (or memory). */
export async function openDb(options: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  const db = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options.dataDir);
  await migrate(db);
  return db;
}
