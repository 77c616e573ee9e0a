import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { chatServer, connectedWidget, deepActive, inPanel, messageTexts, panelOf, settled, type TestWorkspace } from '../helpers.js';

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });

/** An element inside the panel's parts (topics, after-chat), through their shadow roots. */
function deep<T extends Element = HTMLElement>(el: ChatWidget, part: 'chat-topics' | 'chat-after', selector: string): T | null {
  return panelOf(el)?.shadowRoot?.querySelector(part)?.shadowRoot?.querySelector<T>(selector) ?? null;
}
const partText = (el: ChatWidget, part: 'chat-topics' | 'chat-after') => panelOf(el)?.shadowRoot?.querySelector(part)?.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';

/** The widget's commands, as its views reach them (the context they request). */
const commandsOf = (el: ChatWidget) =>
  new Promise<{ setView(v: string): void }>((resolve) => {
    const ev = new Event('context-request', { bubbles: true, composed: true });
    Object.assign(ev, { context: Symbol.for('chat-widget/commands'), contextTarget: document.body, callback: resolve, subscribe: false });
    el.dispatchEvent(ev);
  });

async function workspace(options: { deflection?: boolean } = {}) {
  const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
  const menu = await agent(ws, 'POST', '/menus', { names: { en: 'Orders' }, deflection_enabled: options.deflection ?? false, channels: ['chat', 'email'] });
  await agent(ws, 'POST', '/articles', { locale: 'en', slug: 'reset-password', title: 'Resetting your password', body: 'Open Settings, then Security, then Reset password.' });
  return { ws, menuId: menu.body.menu.id as number };
}

describe('the messenger\'s chat lifecycle, against the real server', () => {
  beforeEach(async () => {
    localStorage.clear();
    await emulateMedia({ reducedMotion: 'reduce' }); // axe checks colours at rest, not mid-animation
  });
  afterEach(async () => {
    document.querySelectorAll('chat-widget').forEach((w) => w.remove());
    localStorage.clear();
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('topic picker, virtual agent with articles, a person, end of chat, rating, survey and transcript', async () => {
    const { ws } = await workspace({ deflection: true });
    const q = await agent(ws, 'POST', '/survey-questions', { type: 'choice', display_text: { en: 'Did we solve it?' }, valid_answers: ['yes', 'no'] });
    const el = await connectedWidget(ws, { open: true });
    await waitUntil(() => el.state.view === 'topics', 'topic picker', { timeout: 5000 });
    await settled(el);
    await waitUntil(() => partText(el, 'chat-topics').includes('Orders'), 'topics shown');
    await expect(el).to.be.accessible();
    deep<HTMLButtonElement>(el, 'chat-topics', '.topics button')!.click();
    // The topic opens the conversation; nothing reaches the operators before the visitor writes.
    await waitUntil(() => el.state.view === 'conversation', 'conversation on the topic', { timeout: 5000 });
    await settled(el);
    expect(el.state.chat).to.equal(null);
    expect(inPanel(el, '.picked')!.textContent).to.contain('Orders');
    expect((await agent(ws, 'GET', '/conversations')).body.conversations).to.deep.equal([]);

    el.sendMessage('How do I reset my password?');
    await waitUntil(() => el.state.chat?.status === 'va_assigned', 'the first message started the chat', { timeout: 5000 });
    await waitUntil(() => el.state.messages.some((m) => m.author === 'bot'), 'virtual agent answered', { timeout: 5000 });
    await settled(el);
    expect(inPanel(el, '.status')!.textContent).to.contain('virtual assistant');
    expect(el.state.messages.filter((m) => m.author === 'visitor').map((m) => m.content)).to.deep.equal(['How do I reset my password?']);
    const bots = () => [...panelOf(el)!.shadowRoot!.querySelectorAll('[data-author="bot"]')];
    // The article as a card that opens it in the help view; "Still need help?" comes back.
    const card = bots().at(-1)!.querySelector<HTMLButtonElement>('.articles .card')!;
    expect(card.textContent).to.contain('Resetting your password');
    card.click();
    await waitUntil(() => el.state.view === 'help' && el.state.help.article?.slug === 'reset-password', 'article open', { timeout: 5000 });
    const help = () => panelOf(el)!.shadowRoot!.querySelector('chat-help')?.shadowRoot;
    await waitUntil(() => help()?.querySelector('button.primary'), 'Still need help?', { timeout: 5000 });
    help()!.querySelector<HTMLButtonElement>('button.primary')!.click();
    await waitUntil(() => el.state.view === 'conversation', 'back to the conversation');
    // Asked again: the virtual agent does not offer the same article twice, and only its latest answer offers a person.
    el.sendMessage('reset password');
    await waitUntil(() => el.state.messages.filter((m) => m.author === 'bot').length === 2, 'second answer', { timeout: 5000 });
    await settled(el);
    expect(bots().at(-1)!.querySelector('.card')).to.equal(null);
    expect(bots().at(-1)!.textContent).to.contain('no other article');
    expect(panelOf(el)!.shadowRoot!.querySelectorAll('.escalate').length).to.equal(1);
    await expect(el).to.be.accessible();
    bots().at(-1)!.querySelector<HTMLButtonElement>('.escalate')!.click();
    await waitUntil(() => el.state.chat?.status === 'queued', 'escalated', { timeout: 5000 });
    await settled(el);
    expect(inPanel(el, '.status')!.textContent).to.match(/Waiting for the next available person|Expected wait|next in line/);

    const [conv] = (await agent(ws, 'GET', '/conversations')).body.conversations;
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'Hi, a person here' });
    await waitUntil(() => el.state.chat?.status === 'assigned', 'assigned', { timeout: 5000 });
    await waitUntil(() => el.state.messages.some((m) => m.content === 'Hi, a person here'), 'reply shown', { timeout: 5000 });
    await settled(el);
    await expect(el).to.be.accessible();

    // Ending is asked first: "Keep chatting" changes nothing, "End chat" ends it.
    inPanel<HTMLButtonElement>(el, '[part="header"] .end')!.click();
    await settled(el);
    expect(inPanel(el, '.confirm-end')!.getAttribute('role')).to.equal('alertdialog');
    await expect(el).to.be.accessible();
    inPanel<HTMLButtonElement>(el, '.confirm-end .keep')!.click();
    await settled(el);
    expect(inPanel(el, '.confirm-end')).to.equal(null);
    expect(el.state.chat?.status).to.equal('assigned');
    inPanel<HTMLButtonElement>(el, '[part="header"] .end')!.click();
    await settled(el);
    inPanel<HTMLButtonElement>(el, '.confirm-end .confirm')!.click();
    await waitUntil(() => el.state.view === 'after-chat', 'after-chat view', { timeout: 5000 });
    await settled(el);
    // The conversation stays readable above the rating.
    expect(messageTexts(el).some((t) => t.includes('Hi, a person here'))).to.equal(true);
    await waitUntil(() => partText(el, 'chat-after').includes('Did we solve it?'), 'survey shown', { timeout: 5000 });
    // The forms' buttons are disabled while the end of the chat is still being sent.
    await waitUntil(() => !el.state.busy, 'idle', { timeout: 5000 });
    await expect(el).to.be.accessible();
    deep<HTMLInputElement>(el, 'chat-after', 'input[name="rating"][value="5"]')!.click();
    deep<HTMLFormElement>(el, 'chat-after', 'form')!.requestSubmit();
    await waitUntil(() => partText(el, 'chat-after').includes('Thanks for your rating'), 'rated', { timeout: 5000 });
    deep<HTMLInputElement>(el, 'chat-after', `input[name="q${q.body.id}"][value="yes"]`)!.click();
    deep<HTMLFormElement>(el, 'chat-after', 'form')!.requestSubmit();
    await waitUntil(() => el.state.chat?.surveyed === true, 'surveyed', { timeout: 5000 });
    const mail = deep<HTMLInputElement>(el, 'chat-after', 'input[name="email"]')!;
    mail.value = 'me@example.com';
    mail.form!.requestSubmit();
    await waitUntil(() => partText(el, 'chat-after').includes('transcript is on its way'), 'transcript', { timeout: 5000 });
    const detail = await agent(ws, 'GET', `/conversations/${conv.id}`);
    expect(detail.body.rating).to.equal(5);
    expect(detail.body.chat_status).to.equal('finished');
    expect((await agent(ws, 'GET', '/transcripts')).body.transcripts[0].recipients).to.deep.equal(['me@example.com']);
  });

  it('home: the team greets the visitor, booking is offered, a help search opens help, and the conversation to resume once there is one', async () => {
    const { ws } = await workspace();
    // A picture that cannot load (the page's policy, a dead host) leaves the operator's initials.
    await agent(ws, 'PATCH', '/me', { name: 'Ada Lovelace', avatar_url: 'https://127.0.0.1:9/ada.png' });
    await agent(ws, 'POST', '/presence', { online: true });
    await agent(ws, 'POST', '/meeting-types', { name: { en: 'Demo' }, duration_minutes: 30 });
    const el = await connectedWidget(ws, { open: true });
    await el.identify({ email: 'grace@example.com', name: 'Grace Hopper' });
    await waitUntil(() => el.state.view === 'topics', 'topic picker', { timeout: 5000 });
    await waitUntil(() => partText(el, 'chat-topics').includes('Hi Grace'), 'greeting by first name', { timeout: 5000 });
    await settled(el);
    const faces = deep(el, 'chat-topics', '.faces')!;
    expect(faces.getAttribute('aria-label')).to.equal('Our team: Ada Lovelace');
    expect(faces.hasAttribute('data-online')).to.equal(true);
    expect(deep(el, 'chat-topics', '.face')!.dataset['initials']).to.equal('AL');
    await waitUntil(() => deep<HTMLImageElement>(el, 'chat-topics', '.face img')?.hidden, 'broken picture hidden', { timeout: 5000 });
    expect(partText(el, 'chat-topics')).to.contain('We are online and reply in a few minutes.');
    await expect(el).to.be.accessible();
    const book = [...panelOf(el)!.shadowRoot!.querySelector('chat-topics')!.shadowRoot!.querySelectorAll<HTMLButtonElement>('.way')].find((b) => b.textContent!.includes('Book a meeting'))!;
    book.click();
    await waitUntil(() => el.state.view === 'booking', 'booking from home', { timeout: 5000 });
    (await commandsOf(el)).setView('topics');
    await settled(el);
    expect(deep(el, 'chat-topics', '.resume'), 'nothing to resume yet').to.equal(null);
    const search = deep<HTMLFormElement>(el, 'chat-topics', '.ways form[role="search"]')!;
    (search.elements.namedItem('q') as HTMLInputElement).value = 'password';
    search.requestSubmit();
    await waitUntil(() => el.state.view === 'help' && el.state.help.results?.length, 'help results', { timeout: 5000 });
    expect(el.state.help.query).to.equal('password');

    el.sendMessage('A question first');
    await waitUntil(() => el.state.messages[0]?.status === 'sent', 'sent', { timeout: 5000 });
    // Written without a topic, it still opened a chat: the visitor can end it, whatever came first.
    await waitUntil(() => el.state.chat?.status === 'queued', 'the conversation is the chat', { timeout: 5000 });
    (await commandsOf(el)).setView('topics');
    await settled(el);
    const resume = deep<HTMLButtonElement>(el, 'chat-topics', '.resume')!;
    expect(resume.textContent).to.contain('A question first');
    await expect(el).to.be.accessible();
    resume.click();
    expect(el.state.view).to.equal('conversation');
  });

  it('a file attached in the composer shows its progress and arrives as a download', async () => {
    const { ws } = await workspace();
    const el = await connectedWidget(ws, { open: true });
    await waitUntil(() => el.state.view === 'topics', 'topics', { timeout: 5000 });
    await settled(el);
    deep<HTMLButtonElement>(el, 'chat-topics', '.topics button')!.click();
    await waitUntil(() => el.state.view === 'conversation', 'conversation', { timeout: 5000 });
    el.sendMessage('About my order');
    await waitUntil(() => el.state.chat?.status === 'queued', 'chat', { timeout: 5000 });
    // The attach button is disabled until the chat has started (as a visitor sees it).
    await waitUntil(() => !el.state.busy && !inPanel<HTMLButtonElement>(el, 'button.attach')?.disabled, 'attach enabled', { timeout: 5000 });
    await settled(el);
    const input = inPanel<HTMLInputElement>(el, 'input.file')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['x'.repeat(50_000)], 'report.txt', { type: 'text/plain' }));
    input.files = transfer.files;
    const uploads: unknown[] = [];
    el.client!.on('chat.upload', (u) => uploads.push(u));
    input.dispatchEvent(new Event('change'));
    await waitUntil(() => el.state.messages.some((m) => m.attachment?.name === 'report.txt'), 'attachment shown', { timeout: 5000 });
    await settled(el);
    expect(uploads.length).to.be.greaterThan(0);
    const link = inPanel<HTMLAnchorElement>(el, 'a.attachment')!;
    expect(link.textContent).to.contain('report.txt');
    expect((await fetch(link.href)).status).to.equal(200);

    // An image: a thumbnail (loaded from the server's origin) that opens the full size, its name said once.
    const canvas = document.createElement('canvas');
    canvas.width = 40;
    canvas.height = 30;
    canvas.getContext('2d')!.fillRect(0, 0, 40, 30);
    const png = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const image = new DataTransfer();
    image.items.add(new File([png], 'screenshot.png', { type: 'image/png' }));
    input.files = image.files;
    input.dispatchEvent(new Event('change'));
    await waitUntil(() => inPanel<HTMLImageElement>(el, '.thumb img')?.complete && inPanel<HTMLImageElement>(el, '.thumb img')!.naturalWidth === 40, 'thumbnail loaded', { timeout: 8000 });
    const bubble = inPanel(el, '.thumb')!.closest('[part="message"]')!;
    expect(bubble.textContent!.split('screenshot.png').length - 1, 'the name once (in the download link)').to.equal(1);
    expect(inPanel(el, '.thumb')!.getAttribute('aria-label')).to.equal('Open screenshot.png full size');

    // Clicked, it opens full size inside the widget (the link stays, for a new tab); Escape, the backdrop or Close shut it, focus back on the thumbnail.
    const thumb = inPanel<HTMLAnchorElement>(el, '.thumb')!;
    expect([thumb.target, thumb.href]).to.deep.equal(['_blank', el.state.messages.find((m) => m.attachment?.name === 'screenshot.png')!.attachment!.url]);
    const viewer = () => inPanel<HTMLDialogElement>(el, 'dialog.viewer');
    const open = async () => {
      thumb.focus();
      thumb.click();
      await waitUntil(() => viewer()?.open, 'full-size view open', { timeout: 5000 });
      return viewer()!;
    };
    const closedBy = async (how: string, close: () => Promise<unknown>) => {
      await close();
      await waitUntil(() => !viewer(), `closed by ${how}`, { timeout: 5000 });
      expect(deepActive(), `focus back on the thumbnail after ${how}`).to.equal(thumb);
      expect(el.isOpen, `${how} leaves the messenger open`).to.equal(true);
    };
    let dialog = await open();
    const big = dialog.querySelector('img')!;
    await waitUntil(() => big.complete && big.naturalWidth === 40, 'full-size image loaded', { timeout: 5000 });
    expect(big.alt).to.equal('screenshot.png');
    expect(dialog.getAttribute('aria-label')).to.equal('screenshot.png');
    const download = dialog.querySelector('a')!;
    expect([download.textContent, download.getAttribute('download'), download.href]).to.deep.equal(['Download screenshot.png', 'screenshot.png', thumb.href]);
    expect(deepActive()).to.equal(dialog.querySelector('button[aria-label="Close"]'));
    await expect(el).to.be.accessible();
    await closedBy('Escape', () => sendKeys({ press: 'Escape' }));
    dialog = await open();
    await closedBy('a click on the backdrop', () => sendMouse({ type: 'click', position: [2, 2] }));
    dialog = await open();
    await closedBy('Close', async () => dialog.querySelector<HTMLButtonElement>('button[aria-label="Close"]')!.click());

    const bad = new DataTransfer();
    bad.items.add(new File(['MZ'], 'tool.exe'));
    input.files = bad.files;
    input.dispatchEvent(new Event('change'));
    await waitUntil(() => el.state.notice?.kind === 'error', 'refused', { timeout: 5000 });
    await settled(el);
    // The page's developer gets the server's reason (chat-error, state.notice); the visitor a sentence in their language.
    expect(el.state.notice!.text).to.contain('.exe');
    expect(inPanel(el, '[role="alert"]')!.textContent!.trim()).to.equal('This type of file cannot be sent.');
  });

  it('outside business hours: the after-hours message and an email form that reaches the operators', async () => {
    const { ws } = await workspace();
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(new Date().getUTCDay() + 3) % 7]!;
    await agent(ws, 'PUT', '/settings', { time_zone: 'UTC', business_hours: { [day]: [['03:00', '03:01']] }, after_hours_message: { en: 'We are closed until Monday.' } });
    const el = await connectedWidget(ws, { open: true });
    await waitUntil(() => el.state.view === 'email', 'email view', { timeout: 5000 });
    await settled(el);
    await waitUntil(() => partText(el, 'chat-topics').includes('We are closed until Monday.'), 'after-hours message');
    await expect(el).to.be.accessible();
    const form = deep<HTMLFormElement>(el, 'chat-topics', 'form')!;
    (form.elements.namedItem('email') as HTMLInputElement).value = 'visitor@example.com';
    (form.elements.namedItem('content') as HTMLTextAreaElement).value = 'Please call me back';
    form.requestSubmit();
    await waitUntil(() => partText(el, 'chat-topics').includes('We got your email'), 'sent', { timeout: 5000 });
    const emails = await agent(ws, 'GET', '/emails');
    expect(emails.body.emails[0]).to.include({ email: 'visitor@example.com', content: 'Please call me back' });
  });

  it('a proactive trigger shows its message in the preview card', async () => {
    const { ws } = await workspace();
    await agent(ws, 'POST', '/triggers', { name: 'hello', message: { en: 'Can we help you find something?' } });
    const el = await connectedWidget(ws);
    await waitUntil(() => el.state.preview?.content === 'Can we help you find something?', 'preview', { timeout: 5000 });
    await settled(el);
    expect(el.shadowRoot!.querySelector('[part="preview"]')!.textContent).to.contain('Can we help you find something?');
    expect(el.unreadCount).to.equal(1);
  });
});
