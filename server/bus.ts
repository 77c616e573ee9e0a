import { EventEmitter } from 'node:events';
import type { Db, Queryable, Row } from './db/db.js';

/** One realtime event, as stored in `stream_events`. */
export interface StreamEvent {
  id: number;
  workspace_id: string;
  session_id: string | null;
  contact_id: string | null;
  conversation_id: string | null;
  type: string;
  visitor: boolean;
  operator: boolean;
  payload: Row;
}

/** Fans stored events out to the streams of every server process. */
export interface Bus {
  publish(event: StreamEvent): Promise<void>;
  /**
   * Several processes: the write's transaction goes through these, so that event ids follow commit order
   * (a stream sends only ids above the last it sent, so an id committed after a higher one would be lost).
   * `lock` runs before the events are stored, `notify` after; `publish` is then not called.
   */
  inTransaction?: {
    lock(q: Queryable, workspaceIds: string[]): Promise<void>;
    notify(q: Queryable, events: StreamEvent[]): Promise<void>;
  };
  subscribe(listener: (event: StreamEvent) => void): () => void;
  close(): Promise<void>;
}

/** One process (PGlite): events go straight to this process's streams. */
export class LocalBus implements Bus {
  readonly #emitter = new EventEmitter().setMaxListeners(0);
  async publish(event: StreamEvent): Promise<void> {
    this.#emitter.emit('event', event);
  }
  subscribe(listener: (event: StreamEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }
  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
  }
}

const CHANNEL = 'chat_widget_events';
/** The advisory lock class of a workspace's event writers (the key's second half is the workspace id's hash). */
const EVENT_LOCK = 0x5e7e;

/** The most event ids one notification carries (ids of up to 19 digits and commas: under 8 kB). */
const NOTIFY_IDS = 400;

/**
 * Several processes on one PostgreSQL: NOTIFY carries the events' ids (a
 * payload stays far under NOTIFY's 8 kB limit), each process LISTENs and
 * loads the rows, then hands them to its own streams.
 */
export async function pgBus(db: Db): Promise<Bus> {
  const { default: pg } = await import('pg');
  const listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  await listener.query(`listen ${CHANNEL}`);
  const local = new LocalBus();
  // Loads run one after another, so that events reach the streams in the order they were notified; the ids
  // notified while one load runs are loaded together by the next (one query however many events arrive).
  let waiting: number[] = [];
  let loading = false;
  const load = async () => {
    loading = true;
    try {
      while (waiting.length) {
        const ids = waiting;
        waiting = [];
        const rows = await db.query<StreamEvent>('select * from stream_events where id = any($1::bigint[])', [ids]);
        const byId = new Map(rows.map((r) => [Number(r.id), r]));
        for (const id of ids) {
          const row = byId.get(id);
          if (row) await local.publish(row);
        }
      }
    } catch (error) {
      console.error('chat-widget: could not load notified events', error);
    } finally {
      loading = false;
    }
  };
  listener.on('notification', (note) => {
    const ids = (note.payload ?? '').split(',').map(Number).filter(Number.isSafeInteger);
    if (!ids.length) return;
    waiting.push(...ids);
    if (!loading) void load();
  });
  return {
    async publish(event) {
      await db.query('select pg_notify($1, $2)', [CHANNEL, String(event.id)]);
    },
    inTransaction: {
      // One writer of a workspace's events at a time, from its first event id until its commit: ids are
      // taken in commit order. Held only for the end of a write (events are stored last), released at commit.
      async lock(q, workspaceIds) {
        for (const id of [...new Set(workspaceIds)].sort()) await q.query('select pg_advisory_xact_lock($1, hashtext($2))', [EVENT_LOCK, id]);
      },
      // Notified in the transaction: PostgreSQL delivers notifications in commit order, so in id order. One
      // notification per write, its ids comma-separated (a few hundred per payload, far under NOTIFY's 8 kB).
      async notify(q, events) {
        for (let i = 0; i < events.length; i += NOTIFY_IDS) {
          await q.query('select pg_notify($1, $2)', [CHANNEL, events.slice(i, i + NOTIFY_IDS).map((e) => e.id).join(',')]);
        }
      },
    },
    subscribe: (fn) => local.subscribe(fn),
    async close() {
      await listener.end();
      await local.close();
    },
  };
}
