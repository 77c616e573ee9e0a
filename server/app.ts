import { readFile } from 'node:fs/promises';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { createTransport } from 'nodemailer';
import type { Bus } from './bus.js';
import { ROOT as PROJECT_ROOT } from './paths.js';
import { pendingMigrations, type Db } from './db/db.js';
import { Admin } from './domain/admin.js';
import { Bookings } from './domain/bookings.js';
import { Calls } from './domain/calls.js';
import { Chats } from './domain/chats.js';
import { Cobrowse } from './domain/cobrowse.js';
import { Company } from './domain/company.js';
import { Content } from './domain/content.js';
import { AiSettings } from './domain/ai/settings.js';
import { AiAgent } from './domain/ai/agent.js';
import { Knowledge } from './domain/ai/knowledge.js';
import { CannedReplies } from './domain/canned.js';
import { ContentEditor } from './domain/content-editor.js';
import { Conversations } from './domain/conversations.js';
import { CsCommands } from './domain/cs-commands.js';
import { Email } from './domain/email.js';
import { Feedback } from './domain/feedback.js';
import { Files } from './domain/files.js';
import { Identity } from './domain/identity.js';
import { Messages } from './domain/messages.js';
import { Presence } from './domain/presence.js';
import { Sessions } from './domain/sessions.js';
import { Stream } from './domain/stream.js';
import { Tickets } from './domain/tickets.js';
import { systemClock, type Clock } from './http/clock.js';
import { serveDist } from './http/dist.js';
import { HttpError, installErrorHandling } from './http/errors.js';
import { frameworkErrors, installInputChecks } from './http/input.js';
import { endStreams } from './http/sse.js';
import { MESSAGES_PER_MINUTE, SESSIONS_PER_MINUTE } from './http/rate-limits.js';
import { agentRoutes } from './routes/agent.js';
import { widgetRoutes } from './routes/widget.js';

export interface AppOptions {
  db: Db;
  bus: Bus;
  /** Fastify's logger: false (none), true (JSON at info), or its options (level, stream...). */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /** Which proxies to believe about the visitor's address (X-Forwarded-For): Fastify's `trustProxy` (hops, addresses or CIDRs, or true). */
  trustProxy?: boolean | number | string;
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
  /** Serve the demo pages (/, /script-tag, /demo/) (default true); a production start without DEMO=1 does not, and / goes to the inbox. */
  demoPages?: boolean;
  /** Where transcripts are mailed (e.g. smtp://127.0.0.1:2525); without it they wait in the outbox. */
  smtpUrl?: string;
  mailFrom?: string;
  /** What time it is for decisions (business hours, free slots, "in the past"); tests set it. Default: the system clock. */
  now?: Clock;
}

const ROOT = `${PROJECT_ROOT}/`;

/** A strict Content-Security-Policy: no inline script or style, no eval. The demo page and inbox are served with it. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
/** The inbox's: the same, and the visitors' files it fetches with the operator's key shown from blob: addresses. */
export const INBOX_CSP = STRICT_CSP.replace("img-src 'self' data: https:", "img-src 'self' data: https: blob:");

/** The domain, each service built once over one database and one bus; the route plugins receive it. */
export type Services = ReturnType<typeof buildServices>;

export function buildServices(options: Pick<AppOptions, 'db' | 'bus' | 'smtpUrl' | 'mailFrom' | 'now'>) {
  const stream = new Stream(options.db, options.bus);
  const sessions = new Sessions(options.db, options.bus);
  const company = new Company(options.db, options.now ?? systemClock);
  const conversations = new Conversations(stream, sessions);
  const messages = new Messages(stream, conversations);
  const content = new Content(options.db);
  const files = new Files(options.db, company);
  const aiSettings = new AiSettings(options.db);
  const knowledge = new Knowledge(options.db, aiSettings);
  const ai = new AiAgent(stream, conversations, messages, company, aiSettings, knowledge);
  const mailer = options.smtpUrl ? createTransport(options.smtpUrl) : null;
  return {
    stream, sessions, company, conversations, messages, content, files,
    identity: new Identity(stream, sessions, options.now ?? systemClock),
    admin: new Admin(options.db, options.now ?? systemClock),
    presence: new Presence(stream),
    chats: new Chats(stream, conversations, messages, company, content, files, ai),
    aiAgent: ai,
    knowledge,
    feedback: new Feedback(options.db, conversations, company),
    email: new Email(stream, conversations, messages, company, files, mailer, options.mailFrom),
    editor: new ContentEditor(options.db, company),
    canned: new CannedReplies(options.db),
    ai: aiSettings,
    tickets: new Tickets(stream, conversations),
    calls: new Calls(stream, company),
    bookings: new Bookings(stream, conversations, messages, company),
    cobrowse: new Cobrowse(stream, conversations, company),
    csCommands: new CsCommands(stream, sessions, conversations, messages),
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: (options.logger ? { ...(options.logger === true ? {} : options.logger), serializers: { req: requestForLog } } : false) as FastifyServerOptions['logger'],
    trustProxy: typeof options.trustProxy === 'number' ? hops(options.trustProxy) : (options.trustProxy ?? false),
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    frameworkErrors,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, allowUnionTypes: true } },
  });
  const services = buildServices(options);
  // Background work on the database (indexing the help center) ends before the app does.
  app.addHook('onClose', () => Promise.all([services.knowledge.idle(), services.aiAgent.idle()]).then(() => {}));
  installErrorHandling(app);
  // NUL characters, unpaired surrogates and malformed URLs refused for every route below.
  installInputChecks(app);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', `Too many requests: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
  await app.register(widgetRoutes, {
    prefix: '/api/widget', services, heartbeatMs: options.heartbeatMs,
    messagesPerMinute: options.messagesPerMinute ?? MESSAGES_PER_MINUTE, sessionsPerMinute: options.sessionsPerMinute ?? SESSIONS_PER_MINUTE,
  });
  await app.register(agentRoutes, { prefix: '/api/agent', services, heartbeatMs: options.heartbeatMs });
  // Alive (the process answers) and ready (the database answers, every migration applied): for a load balancer or an orchestrator.
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    try {
      const missing = await pendingMigrations(options.db);
      if (missing.length) return reply.status(503).send({ ready: false, reason: `migrations not applied: ${missing.join(', ')}` });
      return { ready: true };
    } catch (error) {
      return reply.status(503).send({ ready: false, reason: `database unreachable: ${(error as Error).message}` });
    }
  });
  // A shutdown ends the open streams first (their clients reconnect elsewhere or later), then waits for requests in flight.
  app.addHook('preClose', async () => {
    endStreams(app);
  });
  if (options.pages !== false) await pages(app, options.demoPages === false ? null : (options.demoPublicKey ?? ''));
  return app;
}

/** Trust the `n` nearest proxies' X-Forwarded-For entries, no more. */
const hops = (n: number) => (_address: string, hop: number) => hop < n;

/** A request as the log shows it: never a token from the query (files, streams), never a body or a header. */
const requestForLog = (request: { method: string; url: string; ip: string }) => ({
  method: request.method,
  url: request.url.replace(/([?&](?:token|key|session_token)=)[^&]*/g, '$1[hidden]'),
  ip: request.ip,
});

async function pages(app: FastifyInstance, demoPublicKey: string | null): Promise<void> {
  await serveDist(app, `${ROOT}dist`);
  // The inbox's script, built by this package (server/rollup.config.mjs), brotli/gzip when asked.
  await app.register(fastifyStatic, { root: `${ROOT}server/public`, prefix: '/assets/', decorateReply: false, preCompressed: true });
  const page = async (file: string) => (await readFile(`${ROOT}${file}`, 'utf8')).replaceAll('%DEMO_PUBLIC_KEY%', demoPublicKey ?? '');
  app.get('/inbox', async (_request, reply) => {
    reply.header('content-security-policy', INBOX_CSP).type('text/html; charset=utf-8');
    return page('server/inbox/index.html');
  });
  if (demoPublicKey === null) {
    app.get('/', async (_request, reply) => reply.redirect('/inbox'));
    return;
  }
  await app.register(fastifyStatic, { root: `${ROOT}demo`, prefix: '/demo/', decorateReply: false });
  app.get('/', async (_request, reply) => {
    reply.header('content-security-policy', STRICT_CSP).type('text/html; charset=utf-8');
    return page('index.html');
  });
  app.get('/script-tag', async (_request, reply) => {
    reply.header('content-security-policy', STRICT_CSP).type('text/html; charset=utf-8');
    return page('demo/script-tag.html');
  });
}
