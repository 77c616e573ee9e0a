import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { call, startServer, visitor, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer({ sessionsPerMinute: 10_000 });
});
after(() => server.close());

const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');
const jwt = (secret: string, claims: Record<string, unknown>, exp: number | string = '10m') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(secret));
const identify = (token: string, body: unknown) => call(server.base, 'POST', '/api/widget/identify', { token, body });
const contacts = async (workspaceId: string) => server.db.query('select external_id, email, name, verified from contacts where workspace_id = $1 order by created_at', [workspaceId]);

describe('POST /api/widget/identify', () => {
  it('plain identify attaches an unverified contact', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const res = await identify(v.session.token, { email: 'ada@example.com', name: 'Ada Lovelace', company: 'Example API Co', id: 'user_123' });
    assert.equal(res.status, 200);
    assert.equal(res.body.verified, false);
    assert.deepEqual(await contacts(ws.workspaceId), [{ external_id: 'user_123', email: 'ada@example.com', name: 'Ada Lovelace', verified: false }]);
  });

  it('verifies user_hash (of external_id, else of email) and email_hash, in constant time', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const ok = await identify(v.session.token, { external_id: 'u1', email: 'a@example.com', user_hash: hmac(ws.identitySecret, 'u1') });
    assert.equal(ok.body.verified, true);
    const byEmail = await identify((await visitor(server.base, ws.publicKey)).session.token, { email: 'b@example.com', user_hash: hmac(ws.identitySecret, 'b@example.com') });
    assert.equal(byEmail.body.verified, true);
    const emailHash = await identify((await visitor(server.base, ws.publicKey)).session.token, { email: 'c@example.com', email_hash: hmac(ws.identitySecret, 'c@example.com') });
    assert.equal(emailHash.body.verified, true);
  });

  it('refuses a bad HMAC and stores nothing', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const bad = await identify(v.session.token, { external_id: 'u1', user_hash: hmac('wrong secret', 'u1') });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error.code, 'invalid_identity_hash');
    assert.match(bad.body.error.message, /HMAC-SHA256 of external_id/);
    const badEmail = await identify(v.session.token, { email: 'x@example.com', email_hash: 'abc' });
    assert.equal(badEmail.status, 401);
    assert.deepEqual(await contacts(ws.workspaceId), []);
  });

  it('accepts a JWT (HS256 with exp) and refuses an expired or forged one', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const good = await identify(v.session.token, { jwt: await jwt(ws.identitySecret, { external_id: 'j1', email: 'j@example.com', name: 'Jay' }) });
    assert.equal(good.status, 200);
    assert.equal(good.body.verified, true);
    assert.equal(good.body.contact.name, 'Jay');
    const expired = await identify(v.session.token, { jwt: await jwt(ws.identitySecret, { external_id: 'j2' }, Math.floor(Date.now() / 1000) - 60) });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'identity_token_expired');
    const forged = await identify(v.session.token, { jwt: await jwt('not the secret', { external_id: 'j3' }) });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, 'invalid_identity_token');
    const noExp = await identify(v.session.token, { jwt: await new SignJWT({ external_id: 'j4' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(ws.identitySecret)) });
    assert.equal(noExp.status, 401);
    assert.equal((await contacts(ws.workspaceId)).length, 1);
  });

  it('a workspace that requires verification refuses a plain identify with 401', async () => {
    const ws = await server.workspace({ requireVerification: true });
    const v = await visitor(server.base, ws.publicKey);
    const res = await identify(v.session.token, { email: 'ada@example.com' });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'verification_required');
    assert.deepEqual(await contacts(ws.workspaceId), []);
    const ok = await identify(v.session.token, { email: 'ada@example.com', user_hash: hmac(ws.identitySecret, 'ada@example.com') });
    assert.equal(ok.status, 200);
  });

  it('refuses malformed identities', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    assert.equal((await identify(v.session.token, { email: 'not an email' })).status, 400);
    assert.equal((await identify(v.session.token, {})).status, 400);
    assert.equal((await identify(v.session.token, { avatar_url: 'javascript:alert(1)', name: 'x' })).status, 400);
    assert.equal((await identify(v.session.token, { name: 5 })).status, 400);
  });

  it('an identity token is minted only for a verified visitor and identifies on another site', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    assert.deepEqual((await call(server.base, 'POST', '/api/widget/identity-token', { token: v.session.token })).body, { token: null, expires_in: 0 });
    await identify(v.session.token, { external_id: 'u9', email: 'nine@example.com', user_hash: hmac(ws.identitySecret, 'u9') });
    const minted = await call(server.base, 'POST', '/api/widget/identity-token', { token: v.session.token });
    assert.equal(minted.body.expires_in, 600);
    const elsewhere = await visitor(server.base, ws.publicKey);
    const res = await identify(elsewhere.session.token, { jwt: minted.body.token });
    assert.equal(res.status, 200);
    assert.equal(res.body.verified, true);
    assert.equal(res.body.contact.external_id, 'u9');
  });

  it('switching identity shows nothing of the previous visitor\'s conversation', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    await identify(v.session.token, { external_id: 'alice', user_hash: hmac(ws.identitySecret, 'alice') });
    await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: crypto.randomUUID(), content: 'Alice private' } });
    const switched = await identify(v.session.token, { external_id: 'bob', user_hash: hmac(ws.identitySecret, 'bob') });
    assert.equal(switched.body.conversation, null);
    const history = await call(server.base, 'GET', '/api/widget/messages', { token: v.session.token });
    assert.deepEqual(history.body.messages, []);
    // Alice, on another device, still has her conversation.
    const device = await visitor(server.base, ws.publicKey);
    await identify(device.session.token, { external_id: 'alice', user_hash: hmac(ws.identitySecret, 'alice') });
    const hers = await call(server.base, 'GET', '/api/widget/messages', { token: device.session.token });
    assert.deepEqual(hers.body.messages.map((m: { content: string }) => m.content), ['Alice private']);
  });
});
