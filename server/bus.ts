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

/**
 * Several processes on one PostgreSQL: NOTIFY carries the event's id (a
 * payload stays far under NOTIFY's 8 kB limit), each process LISTENs and
 * loads the row, then hands it to its own streams.
 */
export async function pgBus(db: Db): Promise<Bus> {
  const { default: pg } = await import('pg');
  const listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  await listener.query(`listen ${CHANNEL}`);
  const local = new LocalBus();
  // Loads run one after another, so that events reach the streams in the order they were notified.
  let queue = Promise.resolve();
  listener.on('notification', (note) => {
    const id = Number(note.payload);
    if (!Number.isSafeInteger(id)) return;
    queue = queue
      .then(async () => {
        const [row] = await db.query<StreamEvent>('select * from stream_events where id = $1', [id]);
        if (row) await local.publish(row);
      })
      .catch((error) => console.error('chat-widget: could not load a notified event', error));
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
      // Notified in the transaction: PostgreSQL delivers notifications in commit order, so in id order.
      async notify(q, events) {
        for (const e of events) await q.query('select pg_notify($1, $2)', [CHANNEL, String(e.id)]);
      },
    },
    subscribe: (fn) => local.subscribe(fn),
    async close() {
      await listener.end();
      await local.close();
    },
  };
}
