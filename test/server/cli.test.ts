import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { buildApp } from '../../server/app.js';
import { LocalBus } from '../../server/bus.js';
import { runCli } from '../../server/cli.js';
import { openDb } from '../../server/db/db.js';
import { call, visitor } from './helpers.js';
import { startStubModel } from './stub-model.js';

// The CLI on PGlite in a data dir of its own, then a server on that same dir (as a self-hoster runs them: one after the other).
let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'chat-widget-cli-'));
});
after(() => rm(dataDir, { recursive: true, force: true }));

/** Runs the CLI as `chat-widget-server ...argv` would; answers its exit code and what it printed. */
async function cli(...argv: string[]) {
  return cliWith({}, ...argv);
}

async function cliWith(env: Record<string, string>, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { DATA_DIR: dataDir, ...env }, { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) });
  return { code, out, err };
}

/** The value printed after `label` (the secrets, under "Shown once, store it now"). */
const printed = (out: string, label: string) => {
  const found = new RegExp(`^ +${label} +(\\S+)`, 'm').exec(out);
  assert.ok(found, `"${label}" in:\n${out}`);
  return found[1]!;
};

/** A server on the CLI's data dir, for as long as `run` takes. */
async function withServer(run: (base: string) => Promise<void>) {
  const db = await openDb({ dataDir });
  const bus = new LocalBus();
  const app = await buildApp({ db, bus, pages: false });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    await run(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
  } finally {
    await app.close();
    await bus.close();
    await db.close();
  }
}

describe('the admin CLI', () => {
  it('creates a workspace and operators whose printed keys work against a server started afterwards on the same data dir', async () => {
    const migrated = await cli('migrate');
    assert.equal(migrated.code, 0, migrated.err);
    assert.match(migrated.out, /Applied \d+ migration\(s\).*014_admin\.sql/);
    assert.match((await cli('migrate')).out, /up to date/);

    const made = await cli('workspace', 'create', '--name', 'Acme', '--origins', 'https://acme.example,https://www.acme.example', '--admin-name', 'Ada', '--admin-email', 'ada@acme.example');
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /Created workspace "Acme" \(ws_\w+\)/);
    assert.match(made.out, /Shown once, store it now:/);
    const workspaceId = /\((ws_\w+)\)/.exec(made.out)![1]!;
    const publicKey = printed(made.out, 'widget public key');
    const secret = printed(made.out, 'identity secret');
    const adaKey = printed(made.out, 'operator key');

    const bea = await cli('operator', 'add', '--workspace', workspaceId, '--name', 'Bea Martin', '--email', 'bea@acme.example');
    assert.equal(bea.code, 0, bea.err);
    assert.match(bea.out, /Added operator ag_\w+ +agent +Bea Martin <bea@acme.example>/);
    const beaKey = printed(bea.out, 'operator key');
    const set = await cli('workspace', 'set', workspaceId, '--require-verification', 'true', '--languages', 'en,fr', '--hours', 'mon-fri 09:00-17:00, sat 10:00-13:00', '--time-zone', 'Europe/Paris');
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /opening hours +mon 09:00-17:00, tue 09:00-17:00, wed 09:00-17:00, thu 09:00-17:00, fri 09:00-17:00, sat 10:00-13:00 \(Europe\/Paris\)/);

    // Listing never shows a secret again.
    const listed = await cli('workspace', 'list');
    assert.match(listed.out, /Acme +\(2 operators\)/);
    assert.match(listed.out, /allowed origins +https:\/\/acme.example, https:\/\/www.acme.example/);
    for (const s of [secret, adaKey, beaKey]) assert.ok(!listed.out.includes(s));
    const operators = await cli('operator', 'list', '--workspace', workspaceId);
    assert.match(operators.out, /admin +Ada <ada@acme.example>\n.*agent +Bea Martin/);

    await withServer(async (base) => {
      assert.deepEqual((await call(base, 'GET', '/api/agent/me', { token: beaKey })).body.agent.name, 'Bea Martin');
      const settings = (await call(base, 'GET', '/api/agent/workspace', { token: adaKey })).body.workspace;
      assert.equal(settings.require_verification, true);
      assert.deepEqual(settings.languages, ['en', 'fr']);
      assert.deepEqual(settings.business_hours.sat, [['10:00', '13:00']]);
      assert.equal((await call(base, 'GET', '/api/agent/workspace', { token: beaKey })).status, 403);
      const v = await visitor(base, publicKey);
      const who = await call(base, 'POST', '/api/widget/identify', { token: v.session.token, body: { external_id: 'u1', user_hash: createHmac('sha256', secret).update('u1').digest('hex') } });
      assert.equal(who.body.verified, true);

      // While the server holds the PGlite data dir, the CLI refuses clearly instead of corrupting it.
      const busy = await cli('workspace', 'list');
      assert.equal(busy.code, 1);
      assert.match(busy.err, /in use by process \d+ .*stop that process first, or use PostgreSQL \(DATABASE_URL\)/);
    });

    // Rotations and removal, then the server again.
    const rotated = await cli('operator', 'rotate-key', /(ag_\w+) +agent/.exec(bea.out)![1]!);
    assert.equal(rotated.code, 0, rotated.err);
    const beaNewKey = printed(rotated.out, 'operator key');
    const secretRotated = await cli('identity-secret', 'rotate', '--workspace', workspaceId, '--grace-hours', '0');
    assert.equal(secretRotated.code, 0, secretRotated.err);
    assert.match(secretRotated.out, /The previous one no longer verifies/);
    const newSecret = printed(secretRotated.out, 'identity secret');
    const adaId = /(ag_\w+) +admin +Ada/.exec(operators.out)![1]!;
    const last = await cli('operator', 'remove', adaId);
    assert.equal(last.code, 1);
    assert.match(last.err, /Ada is the workspace's last admin and cannot be removed/);

    await withServer(async (base) => {
      assert.equal((await call(base, 'GET', '/api/agent/me', { token: beaKey })).status, 401);
      assert.equal((await call(base, 'GET', '/api/agent/me', { token: beaNewKey })).status, 200);
      const v = await visitor(base, publicKey);
      const old = await call(base, 'POST', '/api/widget/identify', { token: v.session.token, body: { external_id: 'u1', user_hash: createHmac('sha256', secret).update('u1').digest('hex') } });
      assert.equal(old.status, 401);
      const fresh = await call(base, 'POST', '/api/widget/identify', { token: v.session.token, body: { external_id: 'u1', user_hash: createHmac('sha256', newSecret).update('u1').digest('hex') } });
      assert.equal(fresh.body.verified, true, JSON.stringify(fresh.body));
    });
  });

  it('refuses an unknown command or option with the usage on stderr (exit 2), and bad values naming the option (exit 1)', async () => {
    for (const argv of [['frobnicate'], ['workspace', 'delete', 'ws_1'], ['workspace', 'create', '--name', 'X', '--colour', 'red'], ['workspace', 'create'], ['operator', 'remove'], ['workspace', 'set', 'ws_1', '--require-verification', 'maybe'], ['identity-secret', 'rotate', '--workspace', 'ws_1', '--grace-hours', 'soon']]) {
      const res = await cli(...argv);
      assert.equal(res.code, 2, argv.join(' '));
      assert.equal(res.out, '');
      assert.match(res.err, /Usage: chat-widget-server <command>/);
    }
    assert.match((await cli('workspace', 'create', '--name', 'X', '--colour', 'red')).err, /Unknown option --colour for "workspace create"/);
    const origin = await cli('workspace', 'create', '--name', 'X', '--origins', 'https://x.example/shop');
    assert.equal(origin.code, 1);
    assert.match(origin.err, /--origins \(entry 1\) "https:\/\/x.example\/shop" is not an origin/);
    const hours = await cli('workspace', 'set', 'ws_nope', '--hours', 'mon 9-17');
    assert.equal(hours.code, 1);
    assert.match(hours.err, /--hours "9-17" is not a span of time like 09:00-17:00/);
    const unknown = await cli('operator', 'add', '--workspace', 'ws_nope', '--name', 'Y');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /No workspace has the id "ws_nope"/);
    const help = await cli('help');
    assert.equal(help.code, 0);
    assert.match(help.out, /identity-secret rotate --workspace ID/);
  });

  it('ai set, show, test and remove: the AI agent\'s model, its key from the environment and never printed', async () => {
    const stub = await startStubModel();
    try {
      const made = await cli('workspace', 'create', '--name', 'Models');
      const workspaceId = /\((ws_\w+)\)/.exec(made.out)![1]!;
      const key = 'sk-from-the-environment-42';
      const set = await cliWith({ AI_API_KEY: key }, 'ai', 'set', '--workspace', workspaceId, '--provider', 'openai', '--base-url', `${stub.url}/v1`, '--model', 'plain');
      assert.equal(set.code, 0, set.err);
      assert.match(set.out, /uses OpenAI-compatible plain at http:\/\/127\.0\.0\.1:\d+\/v1, with a key/);
      const shown = await cli('ai', 'show', '--workspace', workspaceId);
      assert.match(shown.out, /with a key/);
      const tested = await cli('ai', 'test', '--workspace', workspaceId);
      assert.equal(tested.code, 0, tested.err);
      assert.match(tested.out, /The model answered "Returns are free/);
      assert.equal(stub.requests.at(-1)!.headers.authorization, `Bearer ${key}`);
      assert.ok(![set, shown, tested].some((r) => (r.out + r.err).includes(key)), 'the key is never printed');
      const wrong = await cli('ai', 'set', '--workspace', workspaceId, '--provider', 'gemini', '--base-url', 'https://x.example', '--model', 'm');
      assert.equal(wrong.code, 2);
      assert.match(wrong.err, /--provider must be openai/);
      // An embedding model, then the help center embedded (none yet: nothing to embed).
      const embedding = await cli('ai', 'set', '--workspace', workspaceId, '--provider', 'openai', '--base-url', `${stub.url}/v1`, '--model', 'plain', '--embedding-model', 'stub-embed', '--min-similarity', '0.3');
      assert.equal(embedding.code, 0, embedding.err);
      assert.match(embedding.out, /embeddings from stub-embed \(a source by meaning from similarity 0\.3\)[\s\S]*ai index --workspace/);
      const indexed = await cli('ai', 'index', '--workspace', workspaceId);
      assert.equal(indexed.code, 0, indexed.err);
      assert.match(indexed.out, /0 of 0 help-center sections have an embedding from stub-embed \(0 new\)|no pgvector/);
      const badSimilarity = await cli('ai', 'set', '--workspace', workspaceId, '--provider', 'openai', '--base-url', `${stub.url}/v1`, '--model', 'plain', '--min-similarity', '2');
      assert.equal(badSimilarity.code, 2);
      assert.match(badSimilarity.err, /--min-similarity must be a number between 0 and 1/);
      assert.equal((await cli('ai', 'remove', '--workspace', workspaceId)).code, 0);
      assert.match((await cli('ai', 'show', '--workspace', workspaceId)).out, /No AI model/);
    } finally {
      await stub.close();
    }
  });
});
