import { expect } from '@open-wc/testing';
import { agent, consoleErrors, loadWidgetScript, panelText, server, until, widget, type Workspace } from './page.js';

type Convot = {
  app_id?: string;
  _q?: unknown[][];
  open(): void;
  close(): void;
  openScheduling(o?: { meeting_type_id?: number }): void;
  identify(i: Record<string, unknown>): void;
  identityToken(): Promise<string | null>;
  setMessageText(t: string): void;
  sendMessage(m: unknown): void;
  push(a: unknown[]): void;
  get(k: string, f?: string): unknown;
  is(k: string): boolean;
  ready(): boolean;
};
const page = window as unknown as { Convot: Convot; CONVOT_READY_TRIGGER?: () => void };
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Convot: a page written for the Convot reference, with our script tag', () => {
  let ws: Workspace;
  const events: [string, unknown][] = [];
  let readyCalls = 0;

  before(async () => {
    localStorage.clear();
    ws = await server<Workspace>({ action: 'workspace', demo: true });
    await agent(ws, 'POST', '/meeting-types', { name: { en: 'Sales call' }, duration_minutes: 30 });
    // The Convot snippet: app_id is the public key, a pre-loader queue, a ready trigger.
    page.CONVOT_READY_TRIGGER = () => readyCalls++;
    page.Convot = {
      app_id: ws.publicKey,
      _q: [
        ['config', 'position:reverse', true],
        ['config', 'locale', 'es'],
        ['on', 'session:loaded', (p: unknown) => events.push(['session:loaded', p])],
      ],
    } as unknown as Convot;
    await loadWidgetScript({ api: ws.api });
    await until(() => page.Convot.ready(), 'Convot.ready()');
  });

  it('honours app_id and the pre-loader queue, then calls CONVOT_READY_TRIGGER', async () => {
    const el = widget()!;
    expect(readyCalls).to.equal(1);
    expect(el.state.position).to.equal('left');
    expect(el.state.locale).to.equal('es');
    // No session until the visitor interacts (nothing connects before).
    expect(page.Convot.is('session:ongoing')).to.equal(false);
    page.Convot.open();
    await until(() => events.length, 'session:loaded');
    expect(events[0]![0]).to.equal('session:loaded');
    expect((events[0]![1] as { session_id: string }).session_id).to.equal(el.sessionId);
    expect(page.Convot.is('session:ongoing')).to.equal(true);
    expect(page.Convot.get('session:identifier')).to.equal(el.sessionId);
    page.Convot.close();
  });

  it('open, close and the do actions chat:open|close|toggle|show|hide; is() answers synchronously', async () => {
    const seen: string[] = [];
    const onOpen = () => seen.push('opened');
    page.Convot.push(['on', 'chat:opened', onOpen]);
    page.Convot.push(['on', 'chat:closed', () => seen.push('closed')]);
    page.Convot.push(['on', 'chat:visibility', (v: unknown) => seen.push(`visible:${v}`)]);
    page.Convot.open();
    expect(page.Convot.is('chat:opened')).to.equal(true);
    page.Convot.close();
    expect(page.Convot.is('chat:closed')).to.equal(true);
    page.Convot.push(['do', 'chat:toggle']);
    expect(page.Convot.is('chat:opened')).to.equal(true);
    page.Convot.push(['do', 'chat:close']);
    page.Convot.push(['do', 'chat:open']);
    page.Convot.push(['do', 'chat:hide']);
    expect(page.Convot.is('chat:hidden')).to.equal(true);
    page.Convot.push(['do', 'chat:show']);
    expect(page.Convot.is('chat:visible')).to.equal(true);
    page.Convot.push(['off', 'chat:opened', onOpen]);
    page.Convot.push(['do', 'chat:close']);
    page.Convot.push(['do', 'chat:open']);
    expect(seen).to.deep.equal(['opened', 'closed', 'opened', 'closed', 'opened', 'visible:false', 'visible:true', 'closed']);
    page.Convot.push(['off', 'chat:closed']);
    page.Convot.push(['do', 'chat:close']);
    expect(seen.at(-1)).to.equal('closed');
    expect(seen.filter((s) => s === 'closed')).to.have.length(3);
  });

  it('message text, sending (string and {content}), message:sent and message:received, message:read, message:show', async () => {
    const el = widget()!;
    const seen: [string, unknown][] = [];
    page.Convot.push(['on', 'message:sent', (p: unknown) => seen.push(['sent', p])]);
    page.Convot.push(['on', 'message:received', (p: unknown) => seen.push(['received', p])]);
    page.Convot.setMessageText("I'm having trouble with my order #1234");
    expect(page.Convot.get('message:text')).to.equal("I'm having trouble with my order #1234");
    page.Convot.push(['set', 'message:text', 'Pre-filled text']);
    expect(page.Convot.get('message:text')).to.equal('Pre-filled text');
    page.Convot.sendMessage('Please help with my billing question');
    page.Convot.push(['do', 'message:send', { content: 'Sent immediately' }]);
    await until(() => el.state.messages.filter((m: { status: string }) => m.status === 'sent').length === 2, () => `both sent: ${JSON.stringify(el.state.messages.map((m: { content: string; status: string }) => [m.content, m.status]))}`);
    const errors = await consoleErrors(() => {
      page.Convot.sendMessage(new Event('click'));
      page.Convot.sendMessage(document.body);
    });
    expect(errors).to.have.length(2);
    expect(errors[0]).to.match(/expected a string or \{content: "..."\}, got Event/);
    expect(el.state.messages).to.have.length(2);
    page.Convot.close();
    const [conv] = (await agent(ws, 'GET', '/conversations')).body.conversations;
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'Hello from support' });
    await until(() => seen.some(([k]) => k === 'received'), 'message:received');
    expect(seen.find(([k]) => k === 'received')![1]).to.deep.equal({ unread_count: 1 });
    expect(seen.filter(([k]) => k === 'sent')).to.have.length(2);
    expect(page.Convot.get('chat:unread:count')).to.equal(1);
    page.Convot.push(['do', 'message:read']);
    expect(page.Convot.get('chat:unread:count')).to.equal(0);
    page.Convot.push(['do', 'message:show', { type: 'text', content: 'Hello visitor!' }]);
    expect(el.state.messages.at(-1).content).to.equal('Hello visitor!');
  });

  it('user:* and session:* keys, their events, get() and identify', async () => {
    const el = widget()!;
    const changed: [string, unknown][] = [];
    for (const key of ['email', 'phone', 'nickname', 'avatar', 'company']) {
      page.Convot.push(['on', `user:${key}:changed`, (v: unknown) => changed.push([key, v])]);
    }
    page.Convot.push(['set', 'user:email', 'jane@example.com']);
    page.Convot.push(['set', 'user:phone', '+1234567890']);
    page.Convot.push(['set', 'user:nickname', 'Jane Doe']);
    page.Convot.push(['set', 'user:avatar', 'https://example.com/avatar.png']);
    page.Convot.push(['set', 'user:company', 'Acme Inc']);
    await until(() => changed.length === 5, 'five user events', 8000);
    expect(page.Convot.get('user:email')).to.equal('jane@example.com');
    expect(page.Convot.get('user:nickname')).to.equal('Jane Doe');
    expect(page.Convot.get('user:avatar')).to.equal('https://example.com/avatar.png');
    expect(page.Convot.get('user:company')).to.equal('Acme Inc');
    expect(page.Convot.get('user:phone')).to.equal('+1234567890');
    page.Convot.push(['set', 'session:data', { plan: 'pro' }]);
    page.Convot.push(['set', 'session:data', { store: 'acme.myshopify.com' }]);
    expect(page.Convot.get('session:data')).to.deep.equal({ plan: 'pro', store: 'acme.myshopify.com' });
    expect(page.Convot.get('session:data', 'plan')).to.equal('pro');
    page.Convot.push(['set', 'session:segments', ['paying', 'enterprise']]);
    page.Convot.push(['set', 'session:segments', ['enterprise']]);
    expect(el.state.segments).to.deep.equal(['enterprise']);
    page.Convot.push(['set', 'session:event', { name: 'upgraded_plan', data: { plan: 'pro' } }]);
    page.Convot.identify({ email: 'jane@example.com', external_id: 'user_123', name: 'Jane Doe', custom_data: { plan: 'pro' } });
    await until(() => el.state.user.external_id === 'user_123', 'identified');
    expect(await page.Convot.identityToken()).to.equal(null);
    await new Promise((r) => setTimeout(r, 300));
    const [conv] = (await agent(ws, 'GET', '/conversations')).body.conversations;
    const detail = (await agent(ws, 'GET', `/conversations/${conv.id}`)).body;
    expect(detail.session.data).to.deep.equal({ plan: 'pro', store: 'acme.myshopify.com' });
    expect(detail.session.segments).to.deep.equal(['enterprise']);
    expect(detail.contact).to.include({ external_id: 'user_123', company: 'Acme Inc', phone: '+1234567890' });
  });

  it('config keys', async () => {
    const el = widget()!;
    page.Convot.push(['config', 'hide:on:mobile', true]);
    page.Convot.push(['config', 'position:reverse', false]);
    page.Convot.push(['config', 'locale', 'fr']);
    page.Convot.push(['config', 'sound:mute', true]);
    page.Convot.push(['config', 'color:theme', '#2563EB']);
    page.Convot.push(['config', 'color:mode', 'dark']);
    page.Convot.push(['config', 'container:index', 9999]);
    expect(el.state).to.include({ hideOnMobile: true, position: 'right', locale: 'fr', muted: true, brandColor: '#2563EB', theme: 'dark', zIndex: 9999 });
    await until(() => getComputedStyle(el).zIndex === '9999', 'z-index applied');
    page.Convot.push(['config', 'locale', 'en']);
  });

  it('helpdesk:search, helpdesk:query, helpdesk:article:open, scheduling:open, website:available', async () => {
    const el = widget()!;
    page.Convot.push(['do', 'helpdesk:query', 'shipping']);
    await until(() => el.state.view === 'help' && el.state.help.results?.length, 'help results');
    expect(el.state.help.results[0].slug).to.equal('shipping');
    page.Convot.push(['do', 'helpdesk:search']);
    await until(() => el.state.help.query === '' && el.state.help.results?.length === 4, 'all articles');
    page.Convot.push(['do', 'helpdesk:article:open', { locale: 'en', slug: 'refunds' }]);
    await until(() => el.state.help.article?.slug === 'refunds', 'article open');
    page.Convot.push(['do', 'scheduling:open']);
    await until(() => el.state.view === 'booking' && el.state.schedule?.slots?.length, 'booking flow');
    const types = el.state.schedule.meetingTypes as { id: number }[];
    page.Convot.openScheduling({ meeting_type_id: types[1]!.id });
    await until(() => el.state.schedule?.meetingTypeId === types[1]!.id && el.state.schedule?.slots, 'preselected');
    await until(() => panelText().includes('Book a meeting'), 'booking shown');
    const availability: unknown[] = [];
    page.Convot.push(['on', 'website:availability:changed', (v: unknown) => availability.push(v)]);
    expect(page.Convot.is('website:available')).to.equal(false);
    await agent(ws, 'POST', '/presence', { online: true });
    await until(() => availability.includes(true), 'availability event');
    expect(page.Convot.is('website:available')).to.equal(true);
    await agent(ws, 'POST', '/presence', { online: false });
  });

  it('preview:shown and preview:hidden; session:reset in place', async () => {
    const el = widget()!;
    const seen: string[] = [];
    page.Convot.push(['on', 'preview:shown', () => seen.push('shown')]);
    page.Convot.push(['on', 'preview:hidden', () => seen.push('hidden')]);
    page.Convot.close();
    page.Convot.push(['do', 'message:show', { type: 'text', content: 'A preview' }]);
    page.Convot.open();
    expect(seen).to.deep.equal(['shown', 'hidden']);
    const before = el.sessionId;
    page.Convot.push(['do', 'session:reset']);
    await until(() => el.sessionId && el.sessionId !== before, 'a new session');
    expect(el.state.messages).to.have.length(0);
    await tick();
  });

  it('bad input: a console error that says what is wrong', async () => {
    const errors = await consoleErrors(async () => {
      page.Convot.push(['do', 'chat:explode']);
      page.Convot.push(['set', 'user:shoe_size', 44]);
      page.Convot.push(['config', 'color:mode', 'purple']);
      page.Convot.push(['on', 'no:such:event', () => {}]);
      page.Convot.push(['dance']);
      page.Convot.push('chat:open' as never);
      page.Convot.get('no:such:key');
    });
    expect(errors.join('\n')).to.match(/unknown action/).and.match(/unknown key/).and.match(/configure\(\{theme\}\)/).and.match(/unknown event/).and.match(/unknown verb/).and.match(/expected an array/);
    expect(widget()!.state.theme).to.equal('dark');
  });
});
