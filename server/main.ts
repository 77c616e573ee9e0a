import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { LocalBus, pgBus, type Bus } from './bus.js';
import { openDb } from './db/db.js';
import { demoWorkspace } from './seed.js';

const env = process.env;
const port = Number(env.PORT ?? 8787);
const host = env.HOST ?? '127.0.0.1';
const dataDir = resolve(env.DATA_DIR ?? '.data');

const db = await openDb(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir });
const bus: Bus = db.kind === 'pg' ? await pgBus(db) : new LocalBus();
const demo = await demoWorkspace(db, env);
const app = await buildApp({ db, bus, logger: env.LOG === '1', demoPublicKey: demo.publicKey, smtpUrl: env.SMTP_URL || undefined, mailFrom: env.MAIL_FROM || undefined });
await app.listen({ port, host });

const base = `http://${host}:${port}`;
console.log(`chat-widget reference server (${db.kind === 'pg' ? 'PostgreSQL' : `PGlite in ${dataDir}`})

  demo page        ${base}/
  one script tag   ${base}/script-tag
  operator inbox   ${base}/inbox
  widget API       ${base}/api/widget

  widget public key    ${demo.publicKey}
  operator secret key  ${demo.operatorKey}
  identity secret      ${demo.identitySecret}
`);

const stop = async () => {
  await app.close();
  await bus.close();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
