import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Bus, StreamEvent } from '../bus.js';

export interface StreamOptions {
  /** The last event id the client has (Last-Event-ID); events after it are replayed. */
  after: number;
  backlog: (after: number) => Promise<StreamEvent[]>;
  matches: (event: StreamEvent) => boolean;
  /** The `data:` of an event; null leaves the event out. */
  serialize: (event: StreamEvent) => string | null;
  heartbeatMs?: number;
  onClose?: () => void;
}

/** The streams each server holds open, to end when it shuts down. */
const open = new WeakMap<object, Set<ServerResponse>>();

/**
 * Ends every stream `app` holds (a shutdown): each client reconnects after its `retry` with
 * Last-Event-ID, to this process once it is back or to another one, and misses nothing.
 */
export function endStreams(app: FastifyInstance): number {
  // Keyed by the HTTP server: a route's Fastify instance is a child of the app's (plugins), its server the same.
  const streams = open.get(app.server);
  if (!streams) return 0;
  const n = streams.size;
  for (const res of streams) res.end();
  streams.clear();
  return n;
}

/** The id a client resumes from: the Last-Event-ID header, else `?last_event_id=`. */
export function lastEventId(request: FastifyRequest): number | null {
  const header = request.headers['last-event-id'];
  const query = (request.query as { last_event_id?: string }).last_event_id;
  const raw = (Array.isArray(header) ? header[0] : header) ?? query;
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/**
 * Serves Server-Sent Events: first what was stored after `after`, then live
 * events from the bus, in order and without duplicates (live events that
 * arrive while the backlog is read wait, then go out if newer).
 */
export async function serveStream(bus: Bus, request: FastifyRequest, reply: FastifyReply, options: StreamOptions): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const streams = open.get(request.server.server) ?? new Set<ServerResponse>();
  open.set(request.server.server, streams);
  streams.add(res);
  let lastSent = options.after;
  let live = false;
  const waiting: StreamEvent[] = [];
  const send = (e: StreamEvent) => {
    if (e.id <= lastSent) return;
    lastSent = e.id;
    const data = options.serialize(e);
    if (data !== null) res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${data}\n\n`);
  };
  // `matches` is asked in delivery order, as each event goes out (it may hold state, such as a visitor
  // stream's current contact): events that arrive while the backlog is read wait unasked.
  const unsubscribe = bus.subscribe((e) => {
    if (!live) waiting.push(e);
    else if (e.id > lastSent && options.matches(e)) send(e);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    streams.delete(res);
    clearInterval(heartbeat);
    unsubscribe();
    options.onClose?.();
  };
  request.raw.on('close', close);
  res.on('close', close);
  try {
    for (const e of await options.backlog(options.after)) send(e);
    for (const e of waiting.sort((a, b) => a.id - b.id)) if (e.id > lastSent && options.matches(e)) send(e);
    live = true;
    // Tell the client the stream is open, with the cursor it is at.
    res.write(`event: ready\ndata: {"cursor":${lastSent}}\n\n`);
  } catch (error) {
    request.log.error(error);
    res.end();
    close();
  }
}
