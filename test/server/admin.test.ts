import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { Admin } from '../../server/domain/admin.js';
import { call, clockAt, startServer, uuid, visitor, type TestServer } from './helpers.js';

// The server's clock: noon UTC today, moved forward by `shift` (the grace period's end), never the wall clock's hour.
const noon = clockAt('12:00');
let shift = 0;
const now = () => new Date(noon().getTime() + shift);

let server: TestServer;
let admin: Admin;
before(async () => {
  server = await startServer({ now, sessionsPerMinute: 10_000 });
  admin = new Admin(server.db, now);
});
after(() => server.close());

/** A workspace made as the CLI makes it: its first admin's key, and the secrets answered once. */
const workspace = (name = 'Acme') => admin.createWorkspace({ name, admin: { name: 'Ada Admin', email: `ada-${uuid()}@acme.example` } });
const as = (key: string) => ({
  get: (path: string) => call(server.base, 'GET', `/api/agent${path}`, { token: key }),
  post: (path: string, body?: unknown) => call(server.base, 'POST', `/api/agent${path}`, { token: key, body }),
  patch: (path: string, body?: unknown) => call(server.base, 'PATCH', `/api/agent${path}`, { token: key, body }),
  delete: (path: string) => call(server.base, 'DELETE', `/api/agent${path}`, { token: key }),
});
const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');
const jwt = (secret: string, claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('10m').sign(new TextEncoder().encode(secret));
const identify = async (publicKey: string, body: unknown) => {
  const v = await visitor(server.base, publicKey);
  return call(server.base, 'POST', '/api/widget/identify', { token: v.session.token, body });
};

describe('GET/PATCH /api/agent/workspace', () => {
  it('an admin reads and changes the workspace; the identity secret is never in it; the widget obeys the new origins', async () => {
    const ws = await workspace();
    const me = as(ws.operator_key);
    const read = await me.get('/workspace');
    assert.equal(read.status, 200);
    assert.equal(read.body.workspace.name, 'Acme');
    assert.equal(read.body.workspace.public_key, ws.public_key);
    assert.doesNotMatch(JSON.stringify(read.body), new RegExp(ws.identity_secret));

    const changed = await me.patch('/workspace', { name: 'Acme Ltd', allowed_origins: ['https://shop.acme.example'], require_verification: true, languages: ['en', 'fr'] });
    assert.equal(changed.status, 200);
    assert.deepEqual(
      { ...changed.body.workspace, id: undefined, created_at: undefined, public_key: undefined },
      { id: undefined, created_at: undefined, public_key: undefined, name: 'Acme Ltd', allowed_origins: ['https://shop.acme.example'], require_verification: true, languages: ['en', 'fr'], business_hours: {}, time_zone: 'UTC', previous_identity_secret_until: null },
    );
    const refused = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.public_key }, headers: { origin: 'https://other.example' } });
    assert.equal(refused.status, 403);
    const allowed = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.public_key }, headers: { origin: 'https://shop.acme.example' } });
    assert.equal(allowed.status, 200);
    // Verification is now required: an unproven identify is refused.
    const unproven = await call(server.base, 'POST', '/api/widget/identify', { token: allowed.body.session.token, body: { email: 'v@example.com' }, headers: { origin: 'https://shop.acme.example' } });
    assert.equal(unproven.status, 401);
    assert.equal(unproven.body.error.code, 'verification_required');
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const ws = await workspace('Unchanged');
    const me = as(ws.operator_key);
    const cases: [unknown, RegExp][] = [
      [{ allowed_origins: ['https://acme.example/'] }, /body\/allowed_origins\/0 "https:\/\/acme.example\/" is not an origin/],
      [{ allowed_origins: ['acme.example'] }, /body\/allowed_origins\/0/],
      [{ allowed_origins: [] }, /body\/allowed_origins/],
      [{ languages: ['English'] }, /body\/languages\/0 "English" is not a language code/],
      [{ name: '   ' }, /body\/name is empty/],
      [{ require_verification: 'yes' }, /body\/require_verification/],
      [{ identity_secret: 'mine' }, /unknown property "identity_secret"/],
      [{}, /body/],
    ];
    for (const [body, message] of cases) {
      const res = await me.patch('/workspace', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'invalid_request');
      assert.match(res.body.error.message, message);
    }
    const read = await me.get('/workspace');
    assert.equal(read.body.workspace.name, 'Unchanged');
    assert.deepEqual(read.body.workspace.allowed_origins, ['*']);
    assert.deepEqual(read.body.workspace.languages, ['en']);
  });
});

describe('/api/agent/operators', () => {
  it('adds operators with their own key, name and role; an agent may work but not administer (403)', async () => {
    const ws = await workspace();
    const me = as(ws.operator_key);
    const added = await me.post('/operators', { name: 'Bea Agent', email: 'bea@acme.example', avatar_url: 'https://acme.example/bea.png' });
    assert.equal(added.status, 201);
    assert.equal(added.body.operator.role, 'agent');
    assert.match(added.body.key, /^sk_/);
    const bea = as(added.body.key);
    assert.deepEqual((await bea.get('/me')).body.agent, { id: added.body.operator.id, name: 'Bea Agent' });

    const listed = await me.get('/operators');
    assert.deepEqual(listed.body.operators.map((o: { name: string; role: string }) => [o.name, o.role]), [['Ada Admin', 'admin'], ['Bea Agent', 'agent']]);
    // No key leaves again: not in the list.
    assert.doesNotMatch(JSON.stringify(listed.body), new RegExp(added.body.key));

    for (const res of [
      await bea.get('/workspace'), await bea.patch('/workspace', { name: 'Mine' }), await bea.get('/operators'), await bea.post('/operators', { name: 'Eve' }),
      await bea.delete(`/operators/${ws.operator.id}`), await bea.post(`/operators/${ws.operator.id}/key`), await bea.post('/identity-secret', {}),
    ]) {
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'forbidden');
    }
    assert.equal((await me.get('/workspace')).body.workspace.name, 'Acme');
  });

  it('refuses bad operators (400 naming the field), a taken email (409), unknown ids and other workspaces\' operators (404)', async () => {
    const ws = await workspace();
    const other = await workspace('Other');
    const me = as(ws.operator_key);
    const bad: [unknown, RegExp][] = [
      [{ name: 'X', email: 'not-an-email' }, /body\/email "not-an-email" is not an email address/],
      [{ name: 'X', avatar_url: 'http://acme.example/x.png' }, /body\/avatar_url must be an https:\/\/ address/],
      [{ name: 'X', role: 'owner' }, /body\/role/],
      [{ name: '' }, /body\/name/],
      [{ email: 'x@acme.example' }, /missing "name"/],
    ];
    for (const [body, message] of bad) {
      const res = await me.post('/operators', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.error.message, message);
    }
    await me.post('/operators', { name: 'Cy', email: 'cy@acme.example' });
    const taken = await me.post('/operators', { name: 'Cy again', email: 'CY@acme.example' });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, 'email_taken');
    assert.equal((await me.get('/operators')).body.operators.length, 2);

    for (const res of [await me.delete('/operators/ag_nobody'), await me.post('/operators/ag_nobody/key'), await me.delete(`/operators/${other.operator.id}`), await me.post(`/operators/${other.operator.id}/key`)]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
    }
    // The other workspace's admin still works.
    assert.equal((await as(other.operator_key).get('/me')).status, 200);
    const grace = await me.post('/identity-secret', { grace_hours: -1 });
    assert.equal(grace.status, 400);
    assert.match(grace.body.error.message, /body\/grace_hours/);
  });

  it('rotating a key answers the new one once; the old one stops working at once', async () => {
    const ws = await workspace();
    const bea = await as(ws.operator_key).post('/operators', { name: 'Bea' });
    const rotated = await as(ws.operator_key).post(`/operators/${bea.body.operator.id}/key`);
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.key, bea.body.key);
    assert.equal((await as(bea.body.key).get('/me')).status, 401);
    assert.equal((await as(rotated.body.key).get('/me')).body.agent.name, 'Bea');
    // An admin rotating their own key.
    const own = await as(ws.operator_key).post(`/operators/${ws.operator.id}/key`);
    assert.equal((await as(ws.operator_key).get('/me')).status, 401);
    assert.equal((await as(own.body.key).get('/workspace')).status, 200);
  });

  it('each operator\'s replies carry their own name as the visitor sees it; a removed operator\'s stay, signed, and their key stops working', async () => {
    const ws = await workspace();
    const me = as(ws.operator_key);
    const bea = await me.post('/operators', { name: 'Bea from Billing' });
    const v = await visitor(server.base, ws.public_key);
    await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: 'My invoice is wrong' } });
    const [conv] = (await me.get('/conversations')).body.conversations;
    assert.equal((await me.post(`/conversations/${conv.id}/messages`, { content: 'Let me fetch Bea.' })).status, 201);
    assert.equal((await as(bea.body.key).post(`/conversations/${conv.id}/messages`, { content: 'Hi, Bea here: fixed.' })).status, 201);

    const seen = async () => (await call(server.base, 'GET', '/api/widget/messages', { token: v.session.token })).body.messages.map((m: { content: string; author_name: string | null }) => [m.author_name, m.content]);
    const expected = [[null, 'My invoice is wrong'], ['Ada Admin', 'Let me fetch Bea.'], ['Bea from Billing', 'Hi, Bea here: fixed.']];
    const before = await seen();
    assert.deepEqual(before.slice(1), expected.slice(1));

    const removed = await me.delete(`/operators/${bea.body.operator.id}`);
    assert.equal(removed.status, 200);
    assert.equal(removed.body.removed.name, 'Bea from Billing');
    assert.equal((await as(bea.body.key).get('/me')).status, 401);
    assert.deepEqual(await seen(), before);
    assert.deepEqual((await me.get('/operators')).body.operators.map((o: { name: string }) => o.name), ['Ada Admin']);
  });

  it('the last admin cannot be removed (409); with a second admin they can', async () => {
    const ws = await workspace();
    const me = as(ws.operator_key);
    const last = await me.delete(`/operators/${ws.operator.id}`);
    assert.equal(last.status, 409);
    assert.equal(last.body.error.code, 'last_admin');
    assert.match(last.body.error.message, /Ada Admin is the workspace's last admin/);
    assert.equal((await me.get('/me')).status, 200);

    const second = await me.post('/operators', { name: 'Zed', role: 'admin' });
    assert.equal((await as(second.body.key).delete(`/operators/${ws.operator.id}`)).status, 200);
    assert.equal((await me.get('/me')).status, 401);
    assert.equal((await as(second.body.key).delete(`/operators/${second.body.operator.id}`)).status, 409);
  });
});

describe('POST /api/agent/identity-secret', () => {
  it('answers the new secret once; both verify until the grace period ends, then only the new one', async () => {
    const ws = await workspace();
    const me = as(ws.operator_key);
    const old = ws.identity_secret;
    const asked = now().getTime();
    const rotated = await me.post('/identity-secret', { grace_hours: 24 });
    const answered = now().getTime();
    assert.equal(rotated.status, 200);
    const fresh = rotated.body.identity_secret as string;
    assert.notEqual(fresh, old);
    const until = Date.parse(rotated.body.previous_valid_until);
    assert.ok(until >= asked + 24 * 3_600_000 && until <= answered + 24 * 3_600_000, `the grace period ends 24 h after the rotation, not at ${rotated.body.previous_valid_until}`);
    const read = await me.get('/workspace');
    assert.equal(read.body.workspace.previous_identity_secret_until, rotated.body.previous_valid_until);
    assert.doesNotMatch(JSON.stringify(read.body), new RegExp(`${fresh}|${old}`));

    // In the grace period: a visitor signed by the site with either secret is verified (hash and JWT).
    for (const secret of [old, fresh]) {
      const byHash = await identify(ws.public_key, { external_id: 'u1', user_hash: hmac(secret, 'u1') });
      assert.equal(byHash.status, 200);
      assert.equal(byHash.body.verified, true);
      const byJwt = await identify(ws.public_key, { jwt: await jwt(secret, { external_id: 'u1' }) });
      assert.equal(byJwt.status, 200);
      assert.equal(byJwt.body.verified, true);
    }
    assert.equal((await identify(ws.public_key, { external_id: 'u1', user_hash: hmac('some other secret', 'u1') })).status, 401);

    // 25 hours later: only the new one.
    shift += 25 * 3_600_000;
    try {
      const late = await identify(ws.public_key, { external_id: 'u1', user_hash: hmac(old, 'u1') });
      assert.equal(late.status, 401);
      assert.equal(late.body.error.code, 'invalid_identity_hash');
      const lateJwt = await identify(ws.public_key, { jwt: await jwt(old, { external_id: 'u1' }) });
      assert.equal(lateJwt.status, 401);
      assert.equal(lateJwt.body.error.code, 'invalid_identity_token');
      assert.equal((await identify(ws.public_key, { external_id: 'u1', user_hash: hmac(fresh, 'u1') })).body.verified, true);
      assert.equal((await me.get('/workspace')).body.workspace.previous_identity_secret_until, null);
    } finally {
      shift -= 25 * 3_600_000;
    }
  });

  it('with grace_hours 0 the previous secret stops verifying at once', async () => {
    const ws = await workspace();
    const rotated = await as(ws.operator_key).post('/identity-secret', { grace_hours: 0 });
    assert.equal(rotated.body.previous_valid_until, null);
    assert.equal((await identify(ws.public_key, { external_id: 'u2', user_hash: hmac(ws.identity_secret, 'u2') })).status, 401);
    assert.equal((await identify(ws.public_key, { external_id: 'u2', user_hash: hmac(rotated.body.identity_secret, 'u2') })).status, 200);
  });
});
