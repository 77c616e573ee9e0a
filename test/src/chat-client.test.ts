import { expect, waitUntil } from '@open-wc/testing';
import { ChatClient, ChatError, type ChatClientEvents } from '../../src/client/chat-client.js';
import { chatServer, type TestWorkspace } from '../helpers.js';

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });

async function workspace(options: { deflection?: boolean } = {}) {
  const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
  const menu = await agent(ws, 'POST', '/menus', { names: { en: 'Support' }, key: 'support', deflection_enabled: options.deflection ?? false, channels: ['chat', 'email'] });
  await agent(ws, 'POST', '/articles', { locale: 'en', slug: 'reset-password', title: 'Resetting your password', body: 'Open Settings, then Security, then Reset password.' });
  return { ws, menuId: menu.body.menu.id as number };
}

/** Records every client event, in order. */
function record(client: ChatClient) {
  const seen: { name: string; detail: any }[] = [];
  const names: (keyof ChatClientEvents)[] = ['chat.connected', 'chat.message', 'chat.updated', 'chat.memberJoined', 'chat.memberLeft', 'chat.ongoing', 'chat.upload', 'chat.error'];
  for (const name of names) client.on(name, (detail) => seen.push({ name, detail }));
  return seen;
}

describe('ChatClient, the headless SDK, against the real server', () => {
  let clients: ChatClient[] = [];
  const make = (ws: TestWorkspace, storage: Storage | null = null) => {
    const c = new ChatClient({ publicKey: ws.publicKey, api: ws.api, storage });
    clients.push(c);
    return c;
  };
  afterEach(() => {
    clients.forEach((c) => c.destroy());
    clients = [];
    localStorage.clear();
  });

  it('needs no element: company, menus, wait times, after hours, file types, trigger', async () => {
    const { ws, menuId } = await workspace();
    const client = make(ws);
    expect((await client.getCompany()).name).to.equal('Demo workspace');
    const menus = await client.getMenus();
    expect(menus.menus[0]!.id).to.equal(menuId);
    expect(menus.menus[0]!.name).to.equal('Support');
    expect((await client.getMenus('support')).direct.key).to.equal(true);
    expect(await client.getWaitTimes(menuId)).to.deep.equal({ chat: null, voice_call: null });
    expect(await client.getAfterHourMessage('en')).to.equal(null);
    expect(await client.getProhibitedFileTypes()).to.include('exe');
    expect(await client.getTrigger()).to.equal(null);
    await agent(ws, 'POST', '/triggers', { name: 'everywhere', message: { en: 'Need a hand?' } });
    expect((await client.getTrigger())!.message).to.equal('Need a hand?');
  });

  it('a chat from creation to survey, with its events in order', async () => {
    const { ws, menuId } = await workspace();
    const client = make(ws);
    const seen = record(client);
    const chat = await client.createChat({ menu_id: menuId, lang: 'en' }, { order: 42 });
    expect(chat.status).to.equal('queued');
    await waitUntil(() => client.connection === 'online', 'stream online', { timeout: 5000 });
    await client.sendTextMessage('hello world');
    await waitUntil(() => seen.some((e) => e.name === 'chat.message' && e.detail.message.status === 'sent'), 'sent', { timeout: 5000 });
    expect((await client.fetchMessages()).map((m) => m.content)).to.deep.equal(['hello world']);

    await agent(ws, 'POST', `/conversations/${chat.id}/messages`, { content: 'Hi from Ada' });
    await waitUntil(() => seen.some((e) => e.name === 'chat.updated' && e.detail.chat.status === 'assigned'), 'assigned', { timeout: 5000 });
    const order = seen.map((e) => e.name).filter((n) => n !== 'chat.message' || true);
    const joined = order.indexOf('chat.memberJoined');
    expect(joined).to.be.greaterThan(order.indexOf('chat.connected'));
    expect(seen[joined]!.detail.member.name).to.equal('Ada from Support');
    expect(seen.filter((e) => e.name === 'chat.message').map((e) => e.detail.message.content)).to.include('Hi from Ada');

    let early: unknown;
    await client.sendChatRate({ rating: 5 }).catch((e) => (early = e));
    expect((early as ChatError).code).to.equal('chat_not_finished');
    const finished = await client.finishChat();
    expect(finished.status).to.equal('finished');
    await waitUntil(() => seen.some((e) => e.name === 'chat.memberLeft'), 'member left', { timeout: 5000 });
    expect(await client.sendChatRate({ rating: 5, feedback: 'Very good service' })).to.deep.equal({ rating: 5, feedback: 'Very good service' });
    const q = await agent(ws, 'POST', '/survey-questions', { type: 'choice', display_text: { en: 'Solved?' }, valid_answers: ['a', 'b'] });
    const survey = await client.getChatSurvey();
    expect(survey.questions[0]).to.include({ id: q.body.id, type: 'choice', display_text: 'Solved?' });
    let wrong: unknown;
    await client.sendChatSurvey({ [q.body.id]: 'z' }).catch((e) => (wrong = e));
    expect((wrong as ChatError).code).to.equal('invalid_answer');
    expect(await client.sendChatSurvey({ [q.body.id]: 'a' })).to.deep.equal({ answered: 1 });
    expect((await client.sendChatTranscripts(['name1@example.com'])).status).to.equal('queued');
    const rejected = await client.sendChatTranscripts(['nope']).catch((e) => e);
    expect(rejected).to.be.instanceOf(TypeError);
    expect(rejected.message).to.match(/not an email address: "nope"/);
  });

  it('the virtual agent answers from the articles; escalateChat hands over to a person', async () => {
    const { ws, menuId } = await workspace({ deflection: true });
    const client = make(ws);
    const chat = await client.createChat({ menu_id: menuId, lang: 'en', greeting: 'How do I reset my password?' });
    expect(chat.status).to.equal('va_assigned');
    expect(await client.getChatDeflection()).to.deep.equal({ enabled: true, threshold: 0.05, keep_waiting: true });
    const messages = await client.fetchMessages();
    expect(messages[1]!.author).to.equal('bot');
    expect(messages[1]!.data!.articles![0]!.slug).to.equal('reset-password');
    expect((await client.escalateChat()).status).to.equal('queued');
    const list = await agent(ws, 'GET', '/conversations');
    expect(list.body.conversations[0].chat_status).to.equal('queued');
  });

  it('loadOngoingChat finds the chat after a reload; destroyChat and resumeChat', async () => {
    const { ws, menuId } = await workspace();
    const first = make(ws, localStorage);
    const chat = await first.createChat({ menu_id: menuId, lang: 'en' });
    first.destroy();
    const second = make(ws, localStorage);
    const seen = record(second);
    const ongoing = await second.loadOngoingChat();
    expect(ongoing!.id).to.equal(chat.id);
    expect(seen.map((e) => e.name)).to.include('chat.ongoing');
    expect((await second.destroyChat()).status).to.equal('dismissed');
    expect(await second.loadOngoingChat()).to.equal(null);
    expect((await second.resumeChat(chat.id)).status).to.equal('queued');
    expect((await second.loadChat(chat.id)).id).to.equal(chat.id);
  });

  it('sendFileMessage uploads with progress; a prohibited or oversized file is refused before upload', async () => {
    const { ws, menuId } = await workspace();
    const client = make(ws, localStorage);
    const seen = record(client);
    await client.createChat({ menu_id: menuId, lang: 'en' });
    const file = new File(['hello attachment'], 'notes.txt', { type: 'text/plain' });
    const message = await client.sendFileMessage(file);
    expect(message.attachment).to.include({ name: 'notes.txt', size: 16 });
    expect(seen.some((e) => e.name === 'chat.upload' && e.detail.loaded > 0)).to.equal(true);
    const download = await fetch(message.attachment!.url);
    expect(await download.text()).to.equal('hello attachment');

    let refused: unknown;
    await client.sendFileMessage(new File(['MZ'], 'setup.exe')).catch((e) => (refused = e));
    expect((refused as ChatError).code).to.equal('prohibited_file_type');
    await agent(ws, 'PUT', '/settings', { max_file_bytes: 4 });
    const fresh = make(ws, localStorage); // the same visitor after a reload: the new limit applies
    await fresh.loadOngoingChat();
    let big: unknown;
    await fresh.sendFileMessage(new File(['12345'], 'big.txt')).catch((e) => (big = e));
    expect((big as ChatError).code).to.equal('file_too_large');
    expect(await client.sendFileMessage('not a file' as never).catch((e) => e)).to.be.instanceOf(TypeError);
  });

  it('createEmail with a file reaches the operators; bad input is refused by the client', async () => {
    const { ws, menuId } = await workspace();
    const client = make(ws);
    const created = await client.createEmail({ menu_id: menuId, lang: 'en', name: 'User name', email: 'name@example.com', content: 'description of the question', files: [new File(['log'], 'log.txt')] });
    expect(created.status).to.equal('open');
    const emails = await agent(ws, 'GET', '/emails');
    expect(emails.body.emails[0].file_ids).to.have.length(1);
    const rejects = async (p: Promise<unknown>, pattern: RegExp) => {
      const e = await p.then(() => null, (x) => x);
      expect(e).to.be.instanceOf(TypeError);
      expect((e as Error).message).to.match(pattern);
    };
    await rejects(client.createEmail({ menu_id: menuId, lang: 'en', email: 'nope', content: 'x' }), /not an email address/);
    await rejects(client.createChat({ menu_id: 'abc', lang: 'en' }), /menu id/);
    await rejects(client.getWaitTimes(-1), /menu id/);
    await rejects(client.getMenus(undefined, 'not a language'), /language code/);
    let unknown: unknown;
    await client.createChat({ menu_id: 999999, lang: 'en' }).catch((e) => (unknown = e));
    expect((unknown as ChatError).code).to.equal('unknown_menu');
    let noChat: unknown;
    await client.finishChat().catch((e) => (noChat = e));
    expect((noChat as ChatError).code).to.equal('no_chat');
  });

  it('destroy() removes every listener and connection', async () => {
    const { ws } = await workspace();
    const client = make(ws);
    await client.connect();
    await waitUntil(() => client.connection === 'online', 'online', { timeout: 5000 });
    let calls = 0;
    client.on('chat.message', () => calls++);
    client.destroy();
    await agent(ws, 'GET', '/conversations');
    expect(calls).to.equal(0);
  });
});
