import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from './app.js';
import { LocalBus, pgBus, type Bus } from './bus.js';
import { openDb } from './db/db.js';
import { demoWorkspace } from './seed.js';

/**
 * The server's entry: `node server/main.ts` (development, through tsx) or
 * `server/build/main.js` (production, `npm run serve`, the `chat-widget-server` bin).
 * With a subcommand (`migrate`, `workspace create`...) it is the admin CLI instead.
 * Its environment is README's table ("Deploying").
 */
const env = process.env;
const argv = process.argv.slice(2);
if (argv.length && argv[0] !== 'serve') {
  const { runCli } = await import('./cli.js');
  process.exit(await runCli(argv, env));
}

const began = performance.now();
const port = Number(env.PORT ?? 8787);
const host = env.HOST ?? '127.0.0.1';
const dataDir = resolve(env.DATA_DIR ?? '.data');

/** TRUST_PROXY: a number of proxy hops, `true`, or addresses/CIDRs (comma-separated) whose X-Forwarded-For is believed. */
function trustProxy(value: string | undefined): boolean | number | string | undefined {
  if (!value || value === 'false') return undefined;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** LOG: `0` none; else JSON lines on stdout at LOG_LEVEL (default info): request ids, never bodies, tokens or keys. */
const logger = env.LOG === '0' ? false : { level: env.LOG_LEVEL ?? 'info' };

const db = await openDb(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir });
const bus: Bus = db.kind === 'pg' ? await pgBus(db) : new LocalBus();
// The demo workspace only when asked (`npm start` asks; a production start seeds nothing).
const demo = env.DEMO === '1' ? await demoWorkspace(db, env) : null;
const app = await buildApp({
  db, bus, logger, trustProxy: trustProxy(env.TRUST_PROXY), demoPublicKey: demo?.publicKey ?? '', demoPages: !!demo,
  smtpUrl: env.SMTP_URL || undefined, mailFrom: env.MAIL_FROM || undefined,
});
await app.listen({ port, host });

const base = `http://${host}:${port}`;
const [{ n: workspaces }] = (await db.query('select count(*)::int as n from workspaces')) as [{ n: number }];
const lines = [`chat-widget server up in ${Math.round(performance.now() - began)} ms (${db.kind === 'pg' ? 'PostgreSQL' : `PGlite in ${dataDir}`}, process ${process.pid})`, ''];
if (demo) {
  lines.push(`  demo page        ${base}/`, `  one script tag   ${base}/script-tag`, `  operator inbox   ${base}/inbox`);
}
lines.push(`  widget API       ${base}/api/widget`, `  operator API     ${base}/api/agent`, `  health           ${base}/healthz, ${base}/readyz`, '');
if (demo?.created) {
  lines.push(
    '  The demo workspace was just created. Its secrets are shown this once: store them now.',
    `  widget public key    ${demo.publicKey}`,
    `  operator secret key  ${demo.operatorKey}`,
    `  identity secret      ${demo.identitySecret}`,
    '',
  );
} else if (demo) {
  lines.push(`  demo widget key  ${demo.publicKey}`, `  (its operator key was shown when it was created; for a new one, stop the server and run: npm run admin -- operator rotate-key ${demo.agentId})`, '');
} else if (!workspaces) {
  lines.push(
    '  No workspace yet. Create the first one (it prints its keys once):',
    '    npx chat-widget-server workspace create --name "My site" --origins https://www.example.com',
    '  (with PGlite, stop the server first: its data directory is one process\'s at a time)',
    '',
  );
}
console.log(lines.join('\n'));

/** SHUTDOWN_TIMEOUT_MS: how long a shutdown waits for requests in flight before it stops anyway. */
const shutdownBound = Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down: no new connections; open streams told to reconnect');
  setTimeout(() => {
    app.log.error(`shutdown took over ${shutdownBound} ms: stopping anyway`);
    process.exit(1);
  }, shutdownBound).unref();
  await app.close();
  await bus.close();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
