import { EventEmitter } from 'node:events';
import type { Db, Row } from './db/db.js';

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
    subscribe: (fn) => local.subscribe(fn),
    async close() {
      await listener.end();
      await local.close();
    },
  };
}
