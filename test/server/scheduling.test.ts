import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, clockAt, startServer, uuid, visitor, type TestServer } from './helpers.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const everyDay = (from: string, to: string) => Object.fromEntries(DAYS.map((d) => [d, [[from, to]]]));

/**
 * The calls and bookings suite at one instant of the server's clock, with
 * business hours (every day, UTC) that include it, and a time of day outside
 * them. Run at noon, at 03:00 and at 23:30 UTC: it never depends on the hour
 * the tests run at.
 */
function suite(at: string, hours: [string, string], outside: string) {
  let server: TestServer;
  let now: () => Date;
  const [openFrom, openTo] = hours;
  const openHours = everyDay(openFrom, openTo);

  async function setup() {
    const ws = await server.workspace();
    const op = (method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
    await op('PUT', '/settings', { time_zone: 'UTC', business_hours: openHours });
    const voice = (await op('POST', '/menus', { names: { en: 'Billing' }, channels: ['chat', 'voice_call'] })).body.menu.id as number;
    const chatOnly = (await op('POST', '/menus', { names: { en: 'Chat' }, channels: ['chat'] })).body.menu.id as number;
    const v = await visitor(server.base, ws.publicKey);
    const as = (method: string, path: string, body?: unknown, token = v.session.token) => call(server.base, method, `/api/widget${path}`, { token, body });
    return { ws, op, as, v, voice, chatOnly };
  }

  /** A future time (two days on, by the server's clock) at `outside` UTC: outside the hours. */
  const outsideHours = () => {
    const d = new Date(now().getTime() + 2 * 86_400_000);
    d.setUTCHours(Number(outside.slice(0, 2)), Number(outside.slice(3, 5)), 0, 0);
    return d.toISOString().replace('.000Z', '+0000').replace(/:00\+0000$/, '+0000');
  };
  const inHours = (slot: string) => {
    const time = slot.slice(11, 16);
    return time >= openFrom && time < openTo;
  };

  describe(`with the server's clock at ${at} UTC`, () => {
    before(async () => {
      now = clockAt(at);
      server = await startServer({ sessionsPerMinute: 10_000, now });
      assert.equal(now().toISOString().slice(11, 16), at);
    });
    after(() => server.close());

    describe('calls and callbacks', () => {
      it('offers time slots in the reference format, within business hours', async () => {
        const { as, voice, chatOnly } = await setup();
        const slots = (await as('GET', `/menus/${voice}/time-slots`)).body.slots as string[];
        assert.ok(slots.length > 20);
        for (const s of slots) {
          assert.match(s, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+0000$/);
          assert.ok(inHours(s), s);
          assert.ok(new Date(s.replace(' ', 'T').replace(' +0000', 'Z')).getTime() > now().getTime(), `${s} is after the server's now`);
        }
        assert.equal((await as('GET', `/menus/${chatOnly}/time-slots`)).body.error.code, 'channel_unavailable');
      });

      it('creates instant and scheduled callbacks; a taken slot is no longer offered; operators see the queue and mark calls done', async () => {
        const { op, as, voice } = await setup();
        const instant = await as('POST', '/calls', { menu_id: voice, lang: 'en', phone_number: '+12345678' });
        assert.equal(instant.status, 201);
        assert.equal(instant.body.status, 'queued');
        const slots = (await as('GET', `/menus/${voice}/time-slots`)).body.slots as string[];
        const scheduled = await as('POST', '/calls', { menu_id: voice, lang: 'en', phone_number: '+4915112345678', scheduled_at: slots[3]!.replace(' ', 'T').replace(' +0000', '+0000'), recording_permission: true });
        assert.equal(scheduled.status, 201, JSON.stringify(scheduled.body));
        assert.equal(scheduled.body.status, 'scheduled');
        assert.equal(scheduled.body.scheduled_at, slots[3]);
        assert.ok(!(await as('GET', `/menus/${voice}/time-slots`)).body.slots.includes(slots[3]));
        const other = await visitor(server.base, (await server.db.query('select key from widget_keys where workspace_id = (select workspace_id from calls where id = $1) and agent_id is null', [instant.body.id]))[0]!.key);
        const clash = await as('POST', '/calls', { menu_id: voice, lang: 'en', phone_number: '+33612345678', scheduled_at: slots[3] }, other.session.token);
        assert.equal(clash.status, 409);
        assert.equal(clash.body.error.code, 'slot_unavailable');
        assert.equal(clash.body.error.next_slots.length, 3);

        assert.equal((await as('GET', `/calls/${scheduled.body.id}`)).body.phone_number, '+4915112345678');
        const queue = (await op('GET', '/calls')).body.calls;
        assert.deepEqual(queue.map((c: { id: string }) => c.id).sort(), [instant.body.id, scheduled.body.id].sort());
        assert.equal((await op('POST', `/calls/${instant.body.id}/done`)).body.status, 'done');
        assert.equal((await op('POST', `/calls/${instant.body.id}/done`)).status, 409);
        assert.equal((await as('POST', `/calls/${instant.body.id}/cancel`)).body.error.code, 'call_done');
        assert.equal((await as('POST', `/calls/${scheduled.body.id}/cancel`)).body.status, 'cancelled');
        assert.ok((await as('GET', `/menus/${voice}/time-slots`)).body.slots.includes(slots[3]));
      });

      it('refuses a bad phone number, a past time and a slot outside hours, and stores nothing', async () => {
        const { ws, as, voice, chatOnly } = await setup();
        const bad = await as('POST', '/calls', { menu_id: voice, lang: 'en', phone_number: '0612345678' });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.code, 'invalid_phone_number');
        assert.match(bad.body.error.message, /E\.164/);
        const past = await as('POST', '/calls', { menu_id: voice, lang: 'en', phone_number: '+12345678', scheduled_at: '2023-05-31T11:45+0000' });
        assert.equal(past.body.error.code, 'scheduled_in_past');
        const night = await as('POST', '/calls', { menu_id: voice, lang: 'en', phone_number: '+12345678', scheduled_at: outsideHours() });
        assert.equal(night.status, 409);
        assert.equal(night.body.error.code, 'outside_business_hours');
        assert.equal((await as('POST', '/calls', { menu_id: voice, lang: 'en', phone_number: '+12345678', scheduled_at: 'tomorrow' })).status, 400);
        assert.equal((await as('POST', '/calls', { menu_id: chatOnly, lang: 'en', phone_number: '+12345678' })).body.error.code, 'channel_unavailable');
        assert.equal((await server.db.query('select count(*)::int as n from calls where workspace_id = $1', [ws.workspaceId]))[0]!.n, 0);
      });
    });

    describe('booking a meeting', () => {
      it('says clearly when there is no meeting type', async () => {
        const { as } = await setup();
        assert.deepEqual((await as('GET', '/meeting-types')).body.meeting_types, []);
        const none = await as('GET', '/meeting-types/1/slots');
        assert.equal(none.status, 404);
        assert.equal(none.body.error.code, 'no_meeting_types');
      });

      it('books a slot: stored, confirmed in the conversation, shown to operators, no longer offered', async () => {
        const { op, as } = await setup();
        const type = (await op('POST', '/meeting-types', { name: { en: 'Demo' }, duration_minutes: 30 })).body.id;
        await as('POST', '/messages', { client_id: uuid(), content: 'I would like a demo' });
        const slots = (await as('GET', `/meeting-types/${type}/slots`)).body.slots as string[];
        const booked = await as('POST', '/bookings', { meeting_type_id: type, starts_at: slots[0], name: 'Ada', email: 'ada@example.com' });
        assert.equal(booked.status, 201, JSON.stringify(booked.body));
        assert.equal(booked.body.status, 'confirmed');
        assert.equal(new Date(booked.body.ends_at).getTime() - new Date(booked.body.starts_at).getTime(), 30 * 60_000);
        const after = (await as('GET', `/meeting-types/${type}/slots`)).body.slots as string[];
        assert.ok(!after.includes(slots[0]!));
        assert.ok(!after.includes(slots[1]!), 'an overlapping start is not offered either');
        const history = (await as('GET', '/messages')).body.messages;
        assert.equal(history.at(-1).author, 'system');
        assert.match(history.at(-1).content, /Booked: Demo/);
        const list = (await op('GET', '/bookings')).body.bookings;
        assert.deepEqual(list.map((b: { name: string; email: string }) => [b.name, b.email]), [['Ada', 'ada@example.com']]);
        assert.equal((await as('POST', '/bookings', { meeting_type_id: type, starts_at: slots[5], name: 'Ada', email: 'nope' })).body.error.code, 'invalid_email');
        assert.equal((await as('POST', '/bookings', { meeting_type_id: type, starts_at: '2020-01-01T10:00:00Z', name: 'Ada', email: 'a@b.example' })).body.error.code, 'scheduled_in_past');
        assert.equal((await as('POST', '/bookings', { meeting_type_id: 999999, starts_at: slots[5], name: 'Ada', email: 'a@b.example' })).body.error.code, 'unknown_meeting_type');
      });

      it('two visitors racing for one slot: one wins, the other is told and offered the next free ones', async () => {
        const { ws, op, as } = await setup();
        const type = (await op('POST', '/meeting-types', { name: { en: 'Demo' }, duration_minutes: 30 })).body.id;
        const slot = (await as('GET', `/meeting-types/${type}/slots`)).body.slots[2];
        const visitors = await Promise.all([visitor(server.base, ws.publicKey), visitor(server.base, ws.publicKey)]);
        const results = await Promise.all(
          visitors.map((v, i) => call(server.base, 'POST', '/api/widget/bookings', { token: v.session.token, body: { meeting_type_id: type, starts_at: slot, name: `Visitor ${i}`, email: `v${i}@example.com` } })),
        );
        assert.deepEqual(results.map((r) => r.status).sort(), [201, 409]);
        const loser = results.find((r) => r.status === 409)!;
        assert.equal(loser.body.error.code, 'slot_taken');
        assert.ok(loser.body.error.next_slots.length >= 1);
        assert.ok(!loser.body.error.next_slots.includes(slot));
        assert.equal((await op('GET', '/bookings')).body.bookings.length, 1);
      });
    });
  });
}

suite('12:00', ['06:00', '22:00'], '03:00');
suite('03:00', ['00:00', '12:00'], '18:00');
suite('23:30', ['12:00', '24:00'], '06:00');

describe('outside business hours by the server\'s clock', () => {
  for (const at of ['03:00', '23:30']) {
    it(`at ${at} UTC with hours 06:00-22:00: an instant call is refused with a clear 409, a scheduled one in hours is taken`, async () => {
      const server = await startServer({ sessionsPerMinute: 10_000, now: clockAt(at) });
      try {
        const ws = await server.workspace();
        const op = (method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
        await op('PUT', '/settings', { time_zone: 'UTC', business_hours: everyDay('06:00', '22:00'), after_hours_message: { en: 'We are back at 6.' } });
        const voice = (await op('POST', '/menus', { names: { en: 'Billing' }, channels: ['chat', 'voice_call'] })).body.menu.id as number;
        const v = await visitor(server.base, ws.publicKey);
        const as = (method: string, path: string, body?: unknown) => call(server.base, method, `/api/widget${path}`, { token: v.session.token, body });
        assert.deepEqual((await as('GET', '/after-hours')).body, { open: false, message: 'We are back at 6.' });
        const instant = await as('POST', '/calls', { menu_id: voice, lang: 'en', phone_number: '+12345678' });
        assert.equal(instant.status, 409);
        assert.deepEqual(instant.body.error, { code: 'outside_business_hours', message: 'We are back at 6.' });
        const slots = (await as('GET', `/menus/${voice}/time-slots`)).body.slots as string[];
        assert.equal(slots[0]!.slice(11, 16), '06:00', 'the first slot is the next opening');
        const scheduled = await as('POST', '/calls', { menu_id: voice, lang: 'en', phone_number: '+12345678', scheduled_at: slots[0] });
        assert.equal(scheduled.status, 201, JSON.stringify(scheduled.body));
        assert.deepEqual((await op('GET', '/calls')).body.calls.map((c: { id: string }) => c.id), [scheduled.body.id]);
      } finally {
        await server.close();
      }
    });
  }
});

describe('co-browsing', () => {
  let server: TestServer;
  const now = clockAt('12:00');
  before(async () => {
    server = await startServer({ sessionsPerMinute: 10_000, now });
  });
  after(() => server.close());

  async function setup() {
    const ws = await server.workspace();
    const op = (method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
    const v = await visitor(server.base, ws.publicKey);
    const as = (method: string, path: string, body?: unknown) => call(server.base, method, `/api/widget${path}`, { token: v.session.token, body });
    return { op, as };
  }

  it('a code valid ten minutes; recording after consent; operators read the events; expired codes refused', async () => {
    const { op, as } = await setup();
    const code = await as('POST', '/cobrowse/code');
    assert.equal(code.status, 201);
    assert.match(code.body.code, /^\d{6}$/);
    const minutes = (new Date(code.body.expires_at).getTime() - now().getTime()) / 60_000;
    assert.ok(minutes > 9.9 && minutes <= 10);
    const neither = await op('GET', '/cobrowse');
    assert.equal(neither.status, 400);
    assert.deepEqual(neither.body.error, { code: 'invalid_request', message: 'Give a code or a conversation_id' });
    const found = await op('GET', `/cobrowse?code=${code.body.code}`);
    assert.equal(found.body.id, code.body.id);
    assert.equal(found.body.status, 'waiting');
    assert.equal((await as('POST', `/cobrowse/${code.body.id}/events`, { events: [{ type: 4, data: {} }] })).status, 409);
    const started = await as('POST', '/cobrowse/start', { id: code.body.id });
    assert.equal(started.body.status, 'live');
    assert.equal((await as('POST', `/cobrowse/${code.body.id}/events`, { events: [{ type: 4, data: { href: 'x' } }, { type: 3, data: { source: 0 } }] })).body.stored, 2);
    const events = await op('GET', `/cobrowse/${code.body.id}/events?after=0`);
    assert.equal(events.body.events.length, 2);
    const more = await op('GET', `/cobrowse/${code.body.id}/events?after=${events.body.last}`);
    assert.deepEqual(more.body.events, []);
    assert.equal((await as('POST', `/cobrowse/${code.body.id}/stop`)).body.status, 'ended');
    assert.equal((await as('POST', `/cobrowse/${code.body.id}/events`, { events: [{ type: 3, data: {} }] })).body.error.code, 'cobrowse_ended');

    const old = await as('POST', '/cobrowse/code');
    await server.db.query(`update cobrowse_sessions set code_expires_at = $2 where id = $1`, [old.body.id, new Date(now().getTime() - 60_000)]);
    const expired = await op('GET', `/cobrowse?code=${old.body.code}`);
    assert.equal(expired.status, 410);
    assert.equal(expired.body.error.code, 'code_expired');
    const other = await server.workspace();
    assert.equal((await call(server.base, 'GET', `/api/agent/cobrowse/${code.body.id}/events`, { token: other.operatorKey })).status, 404);
  });
});
