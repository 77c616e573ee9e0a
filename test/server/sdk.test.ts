import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPServer } from 'smtp-server';
import { call, clockAt, openSse, startServer, uuid, visitor, type TestServer } from './helpers.js';

let server: TestServer;
let mailServer: SMTPServer;
const mails: { to: string[]; body: string }[] = [];
let mailPort = 0;

before(async () => {
  mailServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let body = '';
      stream.on('data', (chunk) => (body += chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => mailServer.listen(0, '127.0.0.1', resolve));
  mailPort = (mailServer.server.address() as { port: number }).port;
  server = await startServer({ now: clockAt('12:00'), sessionsPerMinute: 10_000, smtpUrl: `smtp://127.0.0.1:${mailPort}` });
});
after(async () => {
  await server.close();
  await new Promise<void>((resolve) => mailServer.close(() => resolve()));
});

type WS = Awaited<ReturnType<TestServer['workspace']>>;
const op = (ws: WS, method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
const as = (token: string, method: string, path: string, body?: unknown) => call(server.base, method, `/api/widget${path}`, { token, body });

async function setup(options: { deflection?: boolean; channels?: string[] } = {}) {
  const ws = await server.workspace();
  const support = await op(ws, 'POST', '/menus', { names: { en: 'Support', fr: 'Assistance' }, key: 'support', deflection_enabled: options.deflection ?? false, channels: options.channels ?? ['chat', 'email'] });
  assert.equal(support.status, 201, JSON.stringify(support.body));
  const billing = await op(ws, 'POST', '/menus', { names: { en: 'Billing' }, parent_id: support.body.menu.id, channels: ['chat', 'voice_call'] });
  await op(ws, 'POST', '/articles', { locale: 'en', slug: 'reset-password', title: 'Resetting your password', body: 'Open Settings, choose Security, then Reset password. We email you a link that works for one hour.' });
  await op(ws, 'POST', '/articles', { locale: 'en', slug: 'refunds', title: 'Refunds', body: 'Refunds reach your card within five working days.' });
  const v = await visitor(server.base, ws.publicKey);
  return { ws, v, menuId: support.body.menu.id as number, billingId: billing.body.menu.id as number };
}

describe('company, hours, menus, wait times', () => {
  it('getCompany, getMenus (tree, translations, direct key) and file types', async () => {
    const { ws, v, menuId, billingId } = await setup();
    await op(ws, 'PUT', '/settings', { subdomain: 'acme', support_email: 'help@acme.example', languages: ['en', 'fr'] });
    const company = await as(v.session.token, 'GET', '/company');
    assert.deepEqual(company.body, {
      name: 'Demo workspace', subdomain: 'acme', support_email: 'help@acme.example',
      languages: [{ code: 'en', name: 'English' }, { code: 'fr', name: 'French' }],
      action_tracking: false, email_transcripts: true, message_preview: true, email_enhancement: false,
    });
    const menus = await as(v.session.token, 'GET', '/menus?lang=fr');
    assert.equal(menus.body.menus[0].id, menuId);
    assert.equal(menus.body.menus[0].name, 'Assistance');
    assert.equal(menus.body.menus[0].children[0].id, billingId);
    assert.equal(menus.body.menus[0].children[0].name, 'Billing');
    assert.deepEqual(menus.body.menus[0].children[0].channels.map((c: { type: string }) => c.type), ['chat', 'voice_call']);
    assert.deepEqual(menus.body.direct, { key: false, user: false });
    const direct = await as(v.session.token, 'GET', '/menus?key=support');
    assert.equal(direct.body.menus.length, 1);
    assert.equal(direct.body.direct.key, true);
    assert.equal((await as(v.session.token, 'GET', '/menus?key=nope')).status, 404);
    assert.deepEqual((await as(v.session.token, 'GET', '/file-types')).body.max_bytes, 10 * 1024 * 1024);
  });

  it('after hours: a message and no new chat outside business hours', async () => {
    const { ws, v, menuId } = await setup();
    assert.deepEqual((await as(v.session.token, 'GET', '/after-hours')).body, { open: true, message: null });
    // Open one minute a week, at a time that is not the server's now (noon UTC).
    const now = server.now();
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(now.getUTCDay() + 3) % 7]!;
    const set = await op(ws, 'PUT', '/settings', { time_zone: 'UTC', business_hours: { [day]: [['03:00', '03:01']] }, after_hours_message: { en: 'Back Monday at 9.', fr: 'De retour lundi.' } });
    assert.equal(set.status, 200);
    assert.deepEqual((await as(v.session.token, 'GET', '/after-hours?lang=fr')).body, { open: false, message: 'De retour lundi.' });
    const refused = await as(v.session.token, 'POST', '/chats', { menu_id: menuId, lang: 'en' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'outside_business_hours');
    assert.equal(refused.body.error.message, 'Back Monday at 9.');
    assert.equal((await op(ws, 'PUT', '/settings', { time_zone: 'Mars/Olympus' })).status, 400);
    assert.equal((await op(ws, 'PUT', '/settings', { business_hours: { mon: [['9am', '5pm']] } })).status, 400);
  });

  it('wait times come from the live queue and change when operators come online', async () => {
    const { ws, menuId } = await setup();
    for (let i = 0; i < 2; i++) {
      const other = await visitor(server.base, ws.publicKey);
      assert.equal((await as(other.session.token, 'POST', '/chats', { menu_id: menuId, lang: 'en' })).status, 201);
    }
    const v = await visitor(server.base, ws.publicKey);
    const offline = await as(v.session.token, 'GET', `/menus/${menuId}/wait-times`);
    assert.deepEqual(offline.body, { chat: null, voice_call: null, queued: 2, operators_online: 0 });
    await op(ws, 'POST', '/presence', { online: true });
    const online = await as(v.session.token, 'GET', `/menus/${menuId}/wait-times`);
    assert.equal(online.body.operators_online, 1);
    assert.equal(online.body.chat, 600);
    assert.equal((await as(v.session.token, 'GET', '/menus/999999/wait-times')).status, 404);
    await op(ws, 'POST', '/presence', { online: false });
  });
});

describe('the chat lifecycle', () => {
  it('create, load, ongoing, dismiss, resume, finish; statuses and events in order', async () => {
    const { ws, v, menuId } = await setup();
    const stream = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    await stream.next('ready');
    const created = await as(v.session.token, 'POST', '/chats', { menu_id: menuId, lang: 'en', custom_data: { order: 42 } });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'queued');
    const id = created.body.id;
    assert.equal((await as(v.session.token, 'GET', `/chats/${id}`)).body.menu_id, menuId);
    assert.equal((await as(v.session.token, 'GET', '/chats/ongoing')).body.chat.id, id);
    const again = await as(v.session.token, 'POST', '/chats', { menu_id: menuId, lang: 'en' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'chat_ongoing');

    await as(v.session.token, 'POST', `/chats/${id}/messages`, { client_id: uuid(), content: 'Hello' });
    await op(ws, 'POST', `/conversations/${id}/messages`, { content: 'Hi, Ada here' });
    assert.equal((await stream.next('chat.member_joined')).data.member.name, ws.agentName);
    assert.equal((await stream.next('chat.updated')).data.status, 'assigned');

    assert.equal((await as(v.session.token, 'DELETE', `/chats/${id}`)).body.status, 'dismissed');
    assert.equal((await as(v.session.token, 'GET', '/chats/ongoing')).body.chat, null);
    assert.equal((await as(v.session.token, 'POST', `/chats/${id}/resume`)).body.status, 'assigned');
    const finished = await as(v.session.token, 'POST', `/chats/${id}/finish`);
    assert.equal(finished.body.status, 'finished');
    assert.ok(finished.body.finished_at);
    assert.equal((await stream.next('chat.member_left')).data.chat_id, id);
    const late = await as(v.session.token, 'POST', `/chats/${id}/messages`, { client_id: uuid(), content: 'one more' });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'chat_finished');
    const escalate = await as(v.session.token, 'POST', `/chats/${id}/escalate`);
    assert.equal(escalate.status, 409);
    assert.match(escalate.body.error.message, /it is finished/);
    const detail = await op(ws, 'GET', `/conversations/${id}`);
    assert.equal(detail.body.chat_status, 'finished');
    assert.equal(detail.body.status, 'closed');
    stream.close();
  });

  it('refuses unknown menus, menus without chat, and other visitors\' chats', async () => {
    const { v, menuId } = await setup({ channels: ['email'] });
    assert.equal((await as(v.session.token, 'POST', '/chats', { menu_id: 987654, lang: 'en' })).body.error.code, 'unknown_menu');
    assert.equal((await as(v.session.token, 'POST', '/chats', { menu_id: menuId, lang: 'en' })).body.error.code, 'channel_unavailable');
    assert.equal((await as(v.session.token, 'POST', '/chats', { menu_id: 'abc', lang: 'en' })).status, 400);
    assert.equal((await as(v.session.token, 'POST', '/chats', { menu_id: menuId, lang: 'not a language' })).status, 400);
    const other = await setup();
    const theirs = await as(other.v.session.token, 'POST', '/chats', { menu_id: other.menuId, lang: 'en' });
    assert.equal((await as(v.session.token, 'GET', `/chats/${theirs.body.id}`)).status, 404);
    assert.equal((await as(v.session.token, 'POST', `/chats/${theirs.body.id}/finish`)).status, 404);
    assert.equal((await as(v.session.token, 'POST', `/chats/${theirs.body.id}/messages`, { client_id: uuid(), content: 'x' })).status, 404);
  });

  it('the virtual agent answers each question once from the help articles, and a person takes over rather than it repeating itself', async () => {
    const { v, menuId } = await setup({ deflection: true });
    const created = await as(v.session.token, 'POST', '/chats', { menu_id: menuId, lang: 'en', greeting: 'How do I reset my password?' });
    assert.equal(created.body.status, 'va_assigned');
    const deflection = await as(v.session.token, 'GET', `/chats/${created.body.id}/deflection`);
    assert.deepEqual(deflection.body.deflection, { enabled: true, threshold: 0.05, keep_waiting: true });
    const messages = (await as(v.session.token, 'GET', `/chats/${created.body.id}/messages`)).body.messages;
    assert.equal(messages.length, 2);
    assert.equal(messages[1].author, 'bot');
    assert.equal(messages[1].content, 'These articles may answer your question.');
    assert.deepEqual(messages[1].data.articles.map((a: { slug: string }) => a.slug), ['reset-password']);
    assert.equal(messages[1].data.escalate, true);
    const said = async (content: string) => {
      await as(v.session.token, 'POST', `/chats/${created.body.id}/messages`, { client_id: uuid(), content });
      return (await as(v.session.token, 'GET', `/chats/${created.body.id}/messages`)).body.messages.at(-1);
    };
    // The same question again: the article is not offered twice.
    const again = await said('reset my password');
    assert.equal(again.author, 'bot');
    assert.equal(again.content, 'I have no other article about that. Ask in other words, or talk to a person.');
    assert.deepEqual(again.data.articles, []);
    // A question no article answers, after a reply with nothing new: a person takes over instead of the same words.
    const none = await said('Do you sell giraffes?');
    assert.equal(none.content, 'I will pass you to a person. They will answer here.');
    assert.equal((await as(v.session.token, 'GET', `/chats/${created.body.id}`)).body.status, 'queued');
    assert.equal((await said('Hello?')).author, 'visitor', 'the virtual agent is silent once a person has the chat');
  });

  it('the virtual agent answers in the chat language, says once that it found nothing, and escalation hands the chat to operators', async () => {
    const { ws, v, menuId } = await setup({ deflection: true });
    const created = await as(v.session.token, 'POST', '/chats', { menu_id: menuId, lang: 'fr', greeting: 'Vendez-vous des girafes ?' });
    const last = (await as(v.session.token, 'GET', `/chats/${created.body.id}/messages`)).body.messages.at(-1);
    assert.equal(last.author, 'bot');
    assert.equal(last.content, "Je n'ai pas trouvé d'article à ce sujet. Reformulez votre question, ou parlez à une personne.");
    assert.deepEqual(last.data.articles, []);
    const escalated = await as(v.session.token, 'POST', `/chats/${created.body.id}/escalate`);
    assert.equal(escalated.body.status, 'queued');
    const list = await op(ws, 'GET', '/conversations');
    assert.equal(list.body.conversations[0].chat_status, 'queued');
    assert.equal((await as(v.session.token, 'POST', `/chats/${created.body.id}/escalate`)).status, 409);
  });
});

describe('files', () => {
  const upload = (token: string, path: string, name: string, bytes: Uint8Array, type = 'text/plain') => {
    const form = new FormData();
    form.append('file', new Blob([bytes as BlobPart], { type }), name);
    return fetch(`${server.base}/api/widget${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }).then(async (r) => ({ status: r.status, body: await r.json() }));
  };

  it('uploads to a chat, serves it to its visitor and operators only, and refuses prohibited or oversized files', async () => {
    const { ws, v, menuId } = await setup();
    const chat = (await as(v.session.token, 'POST', '/chats', { menu_id: menuId, lang: 'en' })).body;
    const sent = await upload(v.session.token, `/chats/${chat.id}/files`, 'notes.txt', new TextEncoder().encode('hello file'));
    assert.equal(sent.status, 201);
    assert.deepEqual({ ...sent.body.message.attachment, id: undefined }, { id: undefined, name: 'notes.txt', mime: 'text/plain', size: 10 });
    const fileId = sent.body.message.attachment.id;
    const mine = await fetch(`${server.base}/api/widget/files/${fileId}?token=${v.session.token}`);
    assert.equal(mine.status, 200);
    assert.equal(await mine.text(), 'hello file');
    assert.match(mine.headers.get('content-disposition')!, /attachment/);
    const stranger = await visitor(server.base, ws.publicKey);
    assert.equal((await fetch(`${server.base}/api/widget/files/${fileId}?token=${stranger.session.token}`)).status, 404);
    assert.equal((await fetch(`${server.base}/api/agent/files/${fileId}`, { headers: { authorization: `Bearer ${ws.operatorKey}` } })).status, 200);
    const otherWs = await server.workspace();
    assert.equal((await fetch(`${server.base}/api/agent/files/${fileId}`, { headers: { authorization: `Bearer ${otherWs.operatorKey}` } })).status, 404);

    const exe = await upload(v.session.token, `/chats/${chat.id}/files`, 'setup.exe', new Uint8Array([1, 2, 3]), 'application/octet-stream');
    assert.equal(exe.status, 415);
    assert.equal(exe.body.error.code, 'prohibited_file_type');
    await op(ws, 'PUT', '/settings', { max_file_bytes: 5 });
    const big = await upload(v.session.token, `/chats/${chat.id}/files`, 'big.txt', new Uint8Array(6));
    assert.equal(big.status, 413);
    assert.match(big.body.error.message, /at most/);
    const count = await server.db.query('select count(*)::int as n from files where workspace_id = $1', [ws.workspaceId]);
    assert.equal(count[0]!.n, 1);
  });
});

describe('after a chat: rating, survey, transcripts, email', () => {
  async function finishedChat() {
    const s = await setup();
    const chat = (await as(s.v.session.token, 'POST', '/chats', { menu_id: s.menuId, lang: 'en' })).body;
    await as(s.v.session.token, 'POST', `/chats/${chat.id}/messages`, { client_id: uuid(), content: 'My parcel is late' });
    await op(s.ws, 'POST', `/conversations/${chat.id}/messages`, { content: 'It ships tomorrow' });
    return { ...s, chatId: chat.id as string };
  }

  it('rates a finished chat only', async () => {
    const { ws, v, chatId } = await finishedChat();
    const early = await as(v.session.token, 'POST', `/chats/${chatId}/rate`, { rating: 5 });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, 'chat_not_finished');
    await as(v.session.token, 'POST', `/chats/${chatId}/finish`);
    assert.equal((await as(v.session.token, 'POST', `/chats/${chatId}/rate`, { rating: 9 })).status, 400);
    assert.deepEqual((await as(v.session.token, 'POST', `/chats/${chatId}/rate`, { rating: 5, feedback: 'Very good service' })).body, { rating: 5, feedback: 'Very good service' });
    assert.equal((await op(ws, 'GET', `/conversations/${chatId}`)).body.rating, 5);
  });

  it('checks survey answers against each question, and stores all or nothing', async () => {
    const { ws, v, chatId } = await finishedChat();
    const q1 = (await op(ws, 'POST', '/survey-questions', { type: 'rating', display_text: { en: 'How easy was it?' }, valid_answers: [1, 5] })).body.id;
    const q2 = (await op(ws, 'POST', '/survey-questions', { type: 'choice', display_text: { en: 'Solved?' }, valid_answers: ['a', 'b'] })).body.id;
    const q3 = (await op(ws, 'POST', '/survey-questions', { type: 'text', display_text: { en: 'Anything else?' } })).body.id;
    assert.equal((await op(ws, 'POST', '/survey-questions', { type: 'rating', display_text: { en: 'x' }, valid_answers: ['low', 'high'] })).status, 400);
    const survey = await as(v.session.token, 'GET', '/survey');
    assert.deepEqual(survey.body.questions.map((q: { id: number; type: string }) => [q.id, q.type]), [[q1, 'rating'], [q2, 'choice'], [q3, 'text']]);
    assert.equal(survey.body.sign_off_display_text, 'Thank you for your feedback!');
    await as(v.session.token, 'POST', `/chats/${chatId}/finish`);
    const wrong = await as(v.session.token, 'POST', `/chats/${chatId}/survey`, { answers: { [q1]: 4, [q2]: 'c' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'invalid_answer');
    assert.match(wrong.body.error.message, /one of "a", "b"/);
    assert.equal((await as(v.session.token, 'POST', `/chats/${chatId}/survey`, { answers: { [q1]: 'four' } })).body.error.code, 'invalid_answer');
    assert.equal((await as(v.session.token, 'POST', `/chats/${chatId}/survey`, { answers: { 999999: 1 } })).body.error.code, 'unknown_question');
    assert.equal((await server.db.query('select count(*)::int as n from survey_answers where conversation_id = $1', [chatId]))[0]!.n, 0);
    const ok = await as(v.session.token, 'POST', `/chats/${chatId}/survey`, { answers: { [q1]: 4, [q2]: 'b', [q3]: 'Thanks' } });
    assert.deepEqual(ok.body, { answered: 3 });
  });

  it('mails the transcript through a real SMTP server, and refuses bad addresses', async () => {
    const { ws, v, chatId } = await finishedChat();
    const bad = await as(v.session.token, 'POST', `/chats/${chatId}/transcripts`, { emails: ['ok@example.com', 'not-an-address'] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /"not-an-address"/);
    const sent = await as(v.session.token, 'POST', `/chats/${chatId}/transcripts`, { emails: ['name1@example.com', 'name2@example.com'] });
    assert.equal(sent.status, 202);
    assert.equal(sent.body.status, 'sent');
    const mail = mails.at(-1)!;
    assert.deepEqual(mail.to, ['name1@example.com', 'name2@example.com']);
    assert.match(mail.body, /My parcel is late/);
    assert.match(mail.body, /It ships tomorrow/);
    const outbox = await op(ws, 'GET', '/transcripts');
    assert.equal(outbox.body.transcripts.length, 1);
  });

  it('creates an email ticket that operators see', async () => {
    const { ws, v, menuId } = await setup();
    const created = await as(v.session.token, 'POST', '/emails', { menu_id: menuId, lang: 'en', name: 'User name', email: 'name@example.com', content: 'description of the question' });
    assert.equal(created.status, 201);
    assert.equal((await as(v.session.token, 'POST', '/emails', { menu_id: menuId, lang: 'en', email: 'nope', content: 'x' })).body.error.code, 'invalid_email');
    assert.equal((await as(v.session.token, 'POST', '/emails', { menu_id: 424242, lang: 'en', email: 'a@b.example', content: 'x' })).status, 404);
    const emails = await op(ws, 'GET', '/emails');
    assert.deepEqual(emails.body.emails.map((e: { email: string; content: string }) => [e.email, e.content]), [['name@example.com', 'description of the question']]);
  });
});

describe('proactive triggers', () => {
  it('returns the rule that matches the page, seconds on page and visits, or null', async () => {
    const { ws, v } = await setup();
    await op(ws, 'POST', '/triggers', { name: 'pricing', url_pattern: 'https://shop.example/pricing*', min_seconds_on_page: 10, message: { en: 'Questions about plans?' } });
    const q = (url: string, seconds: number, visits = 1) => as(v.session.token, 'GET', `/trigger?url=${encodeURIComponent(url)}&seconds=${seconds}&visits=${visits}`);
    assert.equal((await q('https://shop.example/pricing?plan=pro', 12)).body.trigger.message, 'Questions about plans?');
    assert.equal((await q('https://shop.example/pricing', 3)).body.trigger, null);
    assert.equal((await q('https://shop.example/cart', 60)).body.trigger, null);
    assert.equal((await as(v.session.token, 'GET', '/trigger')).status, 400);
  });
});
