import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { call, openSse, startServer, visitor, type TestServer } from './helpers.js';

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

describe('identity switches in place (issue 12)', () => {
  const send = (token: string, content: string) => call(server.base, 'POST', '/api/widget/messages', { token, body: { client_id: crypto.randomUUID(), content } });
  const history = async (token: string) => (await call(server.base, 'GET', '/api/widget/messages', { token })).body.messages.map((m: { content: string }) => m.content);
  const conversationOf = async (workspaceId: string, externalId: string) =>
    (await server.db.query<{ id: string }>('select c.id from conversations c join contacts k on k.id = c.contact_id where c.workspace_id = $1 and k.external_id = $2', [workspaceId, externalId]))[0]!.id;
  const reply = (ws: { operatorKey: string }, conversationId: string, content: string) =>
    call(server.base, 'POST', `/api/agent/conversations/${conversationId}/messages`, { token: ws.operatorKey, body: { content } });
  const stream = (token: string, lastEventId: number) => openSse(`${server.base}/api/widget/stream?token=${encodeURIComponent(token)}&last_event_id=${lastEventId}`);

  it('email_hash: B identifying on A\'s session gets a contact of their own; A\'s email and history stay A\'s', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const a = await identify(v.session.token, { email: 'a@example.com', email_hash: hmac(ws.identitySecret, 'a@example.com') });
    assert.equal(a.body.switched, false);
    await send(v.session.token, 'A private');
    const b = await identify(v.session.token, { email: 'b@example.com', email_hash: hmac(ws.identitySecret, 'b@example.com'), name: 'Bea' });
    assert.equal(b.status, 200);
    assert.equal(b.body.switched, true);
    assert.equal(b.body.contact.email, 'b@example.com');
    assert.equal(b.body.conversation, null);
    assert.equal(b.body.unread_count, 0);
    assert.deepEqual(await history(v.session.token), []);
    assert.deepEqual(await contacts(ws.workspaceId), [
      { external_id: null, email: 'a@example.com', name: null, verified: true },
      { external_id: null, email: 'b@example.com', name: 'Bea', verified: true },
    ]);
    // B's message goes into B's own conversation.
    await send(v.session.token, 'B here');
    assert.deepEqual(await history(v.session.token), ['B here']);
    // A, on another device, has A's conversation alone.
    const device = await visitor(server.base, ws.publicKey);
    await identify(device.session.token, { email: 'a@example.com', email_hash: hmac(ws.identitySecret, 'a@example.com') });
    assert.deepEqual(await history(device.session.token), ['A private']);
  });

  it('the same person again, or details added, still enrich the contact; an anonymous visitor keeps their conversation', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    await send(v.session.token, 'before login');
    const first = await identify(v.session.token, { external_id: 'u1', user_hash: hmac(ws.identitySecret, 'u1') });
    assert.equal(first.body.switched, false);
    assert.deepEqual(await history(v.session.token), ['before login']);
    const again = await identify(v.session.token, { external_id: 'u1', user_hash: hmac(ws.identitySecret, 'u1'), name: 'Uma', phone: '+3212345678' });
    assert.equal(again.body.switched, false);
    assert.equal(again.body.contact.name, 'Uma');
    assert.deepEqual(await history(v.session.token), ['before login']);
    assert.equal((await contacts(ws.workspaceId)).length, 1);
  });

  it('user_hash: an operator\'s late reply to A never reaches B (live or on resume) and reaches A when A identifies again', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const token = v.session.token;
    await identify(token, { external_id: 'alice', user_hash: hmac(ws.identitySecret, 'alice') });
    await send(token, 'Alice asks');
    const aliceConv = await conversationOf(ws.workspaceId, 'alice');
    const cursor = (await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey, session_token: token } })).body.stream_cursor as number;
    const live = await stream(token, cursor);
    try {
      await live.next('ready');
      const bob = await identify(token, { external_id: 'bob', user_hash: hmac(ws.identitySecret, 'bob') });
      assert.equal(bob.body.switched, true);
      await live.next('session.switched');
      assert.equal((await reply(ws, aliceConv, 'late reply to Alice')).status, 201);
      await send(token, 'Bob asks');
      const bobConv = await conversationOf(ws.workspaceId, 'bob');
      assert.notEqual(bobConv, aliceConv);
      await reply(ws, bobConv, 'hello Bob');
      // Events go out in order: once Bob's reply is here, Alice's (sent before it) would have been too.
      for (;;) {
        const e = await live.next('message');
        assert.notEqual(e.data.message.content, 'late reply to Alice');
        if (e.data.message.content === 'hello Bob') break;
      }
    } finally {
      live.close();
    }
    // Resuming from before the switch: the backlog holds nothing of Alice's either.
    const resumed = await stream(token, cursor);
    try {
      await resumed.next('ready');
      const contents = resumed.events.filter((e) => e.event === 'message').map((e) => e.data.message.content);
      assert.ok(contents.includes('hello Bob'), JSON.stringify(contents));
      assert.ok(!contents.includes('late reply to Alice') && !contents.includes('Alice asks'), JSON.stringify(contents));
    } finally {
      resumed.close();
    }
    assert.deepEqual(await history(token), ['Bob asks', 'hello Bob']);
    // Bob cannot reach Alice's chat by its id either.
    assert.equal((await call(server.base, 'GET', `/api/widget/chats/${aliceConv}`, { token })).status, 404);
    assert.equal((await call(server.base, 'POST', `/api/widget/chats/${aliceConv}/messages`, { token, body: { client_id: crypto.randomUUID(), content: 'into Alice\'s chat' } })).status, 404);
    // Alice identifies again (here, on the same browser): her reply is there, and her stream resumes it.
    const back = await identify(token, { external_id: 'alice', user_hash: hmac(ws.identitySecret, 'alice') });
    assert.equal(back.body.switched, true);
    assert.equal(back.body.unread_count, 1);
    assert.deepEqual(await history(token), ['Alice asks', 'late reply to Alice']);
    const hers = await stream(token, cursor);
    try {
      await hers.next('ready');
      const contents = hers.events.filter((e) => e.event === 'message').map((e) => e.data.message.content);
      assert.ok(contents.includes('late reply to Alice') && !contents.includes('hello Bob'), JSON.stringify(contents));
    } finally {
      hers.close();
    }
  });

  it('user_hash proves the external id only: an email beside it is kept unverified and never replaces a proven one', async () => {
    const ws = await server.workspace();
    // The victim proved their email.
    const victim = await visitor(server.base, ws.publicKey);
    await identify(victim.session.token, { email: 'victim@example.com', email_hash: hmac(ws.identitySecret, 'victim@example.com') });
    await send(victim.session.token, 'victim secret');
    // Mallory has a valid hash for her own id and sends the victim's email beside it.
    const m = await visitor(server.base, ws.publicKey);
    const res = await identify(m.session.token, { external_id: 'mallory', email: 'victim@example.com', user_hash: hmac(ws.identitySecret, 'mallory') });
    assert.equal(res.status, 200);
    assert.equal(res.body.verified, true);
    assert.deepEqual(await history(m.session.token), []);
    await send(m.session.token, 'hi');
    const conv = await conversationOf(ws.workspaceId, 'mallory');
    const detail = await call(server.base, 'GET', `/api/agent/conversations/${conv}`, { token: ws.operatorKey });
    assert.equal(detail.body.contact.verified, true);
    assert.equal(detail.body.contact.email_verified, false);
    const list = await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey });
    const listed = list.body.conversations.find((c: { id: string }) => c.id === conv);
    assert.deepEqual(listed.contact, { name: null, email: 'victim@example.com', verified: true, email_verified: false, location: null });
    // Nor does an identity token minted for Mallory carry that email as proven.
    const minted = await call(server.base, 'POST', '/api/widget/identity-token', { token: m.session.token });
    const claims = JSON.parse(Buffer.from(minted.body.token.split('.')[1], 'base64url').toString());
    assert.equal(claims.external_id, 'mallory');
    assert.equal(claims.email, undefined);
    const victimRow = await server.db.query('select email, email_verified, external_id from contacts where workspace_id = $1 and external_id is null', [ws.workspaceId]);
    assert.deepEqual(victimRow, [{ email: 'victim@example.com', email_verified: true, external_id: null }]);
    // A contact whose email was proven (a JWT naming it) keeps it when a user_hash brings another.
    const j = await visitor(server.base, ws.publicKey);
    await identify(j.session.token, { jwt: await jwt(ws.identitySecret, { external_id: 'jo', email: 'jo@example.com' }) });
    const other = await identify(j.session.token, { external_id: 'jo', email: 'someone@example.com', user_hash: hmac(ws.identitySecret, 'jo') });
    assert.equal(other.body.switched, false);
    assert.equal(other.body.contact.email, 'jo@example.com');
    const [jo] = await server.db.query('select email, email_verified from contacts where workspace_id = $1 and external_id = $2', [ws.workspaceId, 'jo']);
    assert.deepEqual(jo, { email: 'jo@example.com', email_verified: true });
  });
});
