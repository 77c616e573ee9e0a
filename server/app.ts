import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { Bus } from './bus.js';
import { systemClock, type Clock } from './clock.js';
import { Chat } from './chat.js';
import type { Db } from './db/db.js';
import { HttpError, installErrorHandling } from './errors.js';
import { frameworkErrors, installInputChecks } from './http/input.js';
import { agentRoutes } from './routes/agent.js';
import { Lifecycle } from './lifecycle.js';
import { createTransport, type Transporter } from 'nodemailer';
import { widgetRoutes } from './routes/widget.js';
import { serveDist } from './http/dist.js';

export interface AppOptions {
  db: Db;
  bus: Bus;
  logger?: boolean;
  /** Messages one visitor session may send per minute (default 120). */
  messagesPerMinute?: number;
  /** Sessions one address may create per minute (default 60). */
  sessionsPerMinute?: number;
  /** SSE keep-alive interval. */
  heartbeatMs?: number;
  /** Serve the demo page, the built widget and the inbox (default true). */
  pages?: boolean;
  /** The demo page's widget key, written into index.html. */
  demoPublicKey?: string;
  /** Where transcripts are mailed (e.g. smtp://127.0.0.1:2525); without it they wait in the outbox. */
  smtpUrl?: string;
  mailFrom?: string;
  /** What time it is for decisions (business hours, free slots, "in the past"); tests set it. Default: the system clock. */
  now?: Clock;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A strict Content-Security-Policy: no inline script or style, no eval. The demo page and inbox are served with it. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
    frameworkErrors,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, allowUnionTypes: true } },
  });
  const chat = new Chat(options.db, options.bus);
  const mailer: Transporter | null = options.smtpUrl ? createTransport(options.smtpUrl) : null;
  const lifecycle = new Lifecycle(chat, mailer, options.mailFrom, options.now ?? systemClock);
  installErrorHandling(app);
  // NUL characters, unpaired surrogates and malformed URLs refused for every route below.
  installInputChecks(app);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', `Too many requests: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
  await app.register(widgetRoutes, { prefix: '/api/widget', chat, lifecycle, messagesPerMinute: options.messagesPerMinute ?? 120, sessionsPerMinute: options.sessionsPerMinute ?? 60, heartbeatMs: options.heartbeatMs });
  await app.register(agentRoutes, { prefix: '/api/agent', chat, lifecycle, heartbeatMs: options.heartbeatMs });
  app.get('/healthz', async () => ({ ok: true }));
  if (options.pages !== false) await pages(app, options.demoPublicKey ?? '');
  return app;
}

async function pages(app: FastifyInstance, demoPublicKey: string): Promise<void> {
  await serveDist(app, `${ROOT}dist`);
  await app.register(fastifyStatic, { root: `${ROOT}demo`, prefix: '/demo/', decorateReply: false });
  const page = async (file: string) => (await readFile(`${ROOT}${file}`, 'utf8')).replaceAll('%DEMO_PUBLIC_KEY%', demoPublicKey);
  app.get('/', async (_request, reply) => {
    reply.header('content-security-policy', STRICT_CSP).type('text/html; charset=utf-8');
    return page('index.html');
  });
  app.get('/script-tag', async (_request, reply) => {
    reply.header('content-security-policy', STRICT_CSP).type('text/html; charset=utf-8');
    return page('demo/script-tag.html');
  });
  app.get('/inbox', async (_request, reply) => {
    reply.header('content-security-policy', STRICT_CSP).type('text/html; charset=utf-8');
    return page('server/inbox/index.html');
  });
}
