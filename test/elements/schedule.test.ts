import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { setRecorderLoader, type RecorderModule } from '../../src/client/cobrowse.js';
import { InboxClient } from '../../server/inbox/inbox-client.js';
import { CobrowseViewer } from '../../server/inbox/cobrowse-viewer.js';
import { chatServer, connectedWidget, inPanel, panelOf, settled, type TestWorkspace } from '../helpers.js';

setRecorderLoader(() => import('@rrweb/record') as unknown as Promise<RecorderModule>);

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });
const schedule = (el: ChatWidget) => panelOf(el)?.shadowRoot?.querySelector('chat-schedule')?.shadowRoot ?? null;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

async function workspace(withMeeting = true) {
  const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
  await agent(ws, 'PUT', '/settings', { time_zone: 'UTC', business_hours: Object.fromEntries(DAYS.map((d) => [d, [['00:00', '24:00']]])) });
  const voice = (await agent(ws, 'POST', '/menus', { names: { en: 'Billing' }, channels: ['chat', 'voice_call'] })).body.menu.id as number;
  const meeting = withMeeting ? ((await agent(ws, 'POST', '/meeting-types', { name: { en: 'Demo' }, duration_minutes: 30 })).body.id as number) : null;
  return { ws, voice, meeting };
}

describe('calls, booking and co-browsing in the messenger, against the real server', () => {
  beforeEach(async () => {
    localStorage.clear();
    await emulateMedia({ reducedMotion: 'reduce' });
  });
  afterEach(async () => {
    document.querySelectorAll('chat-widget, .cobrowse-fixture').forEach((e) => e.remove());
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('openScheduling({meeting_type_id}) opens on the slot picker; a booked slot is confirmed and shown to operators', async () => {
    const { ws, meeting } = await workspace();
    const el = await connectedWidget(ws);
    el.sendMessage('I would like a demo');
    await waitUntil(() => el.state.messages[0]?.status === 'sent', 'sent', { timeout: 5000 });
    await el.openScheduling({ meeting_type_id: meeting! });
    expect(el.isOpen).to.equal(true);
    await settled(el);
    await waitUntil(() => schedule(el)?.querySelector('.slots button'), 'slots shown', { timeout: 5000 });
    await expect(el).to.be.accessible();
    schedule(el)!.querySelector<HTMLButtonElement>('.slots button')!.click();
    await settled(el);
    await waitUntil(() => schedule(el)?.querySelector('form'), 'form');
    const form = schedule(el)!.querySelector('form')!;
    (form.elements.namedItem('name') as HTMLInputElement).value = 'Ada';
    (form.elements.namedItem('email') as HTMLInputElement).value = 'ada@example.com';
    const slot = el.state.schedule!.slot!;
    form.requestSubmit();
    await waitUntil(() => el.state.schedule?.done, 'booked', { timeout: 5000 });
    await settled(el);
    // The confirmation offers the meeting as a calendar file: its start in UTC, the meeting type's name.
    const ics = decodeURIComponent(schedule(el)!.querySelector<HTMLAnchorElement>('a[download="meeting.ics"]')!.href.replace(/^data:text\/calendar;charset=utf-8,/, ''));
    expect(ics).to.contain(`DTSTART:${new Date(slot).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
    expect(ics).to.match(/SUMMARY:Demo/);
    await waitUntil(() => el.state.messages.some((m) => m.author === 'system' && /Booked: Demo/.test(m.content)), 'confirmed in the conversation', { timeout: 5000 });
    const bookings = (await agent(ws, 'GET', '/bookings')).body.bookings;
    expect(bookings).to.have.length(1);
    expect(new Date(bookings[0].starts_at).getTime()).to.equal(new Date(slot).getTime());
    const again = await el.client!.getMeetingSlots(meeting!);
    expect(again).to.not.include(slot);
    expect(() => el.openScheduling({ meeting_type_id: 'demo' } as never)).to.throw(TypeError, /meeting type id/);
  });

  it('says clearly when there is no meeting type', async () => {
    const { ws } = await workspace(false);
    const el = await connectedWidget(ws);
    await el.openScheduling();
    await settled(el);
    await waitUntil(() => schedule(el)?.querySelector('[role="alert"]'), 'message');
    expect(schedule(el)!.querySelector('[role="alert"]')!.textContent).to.contain('no meeting type');
  });

  it('"Call me back" with a slot picker on a topic with the voice channel; the operators see the callback', async () => {
    const { ws, voice } = await workspace();
    const el = await connectedWidget(ws, { open: true });
    await waitUntil(() => el.state.view === 'topics', 'topics', { timeout: 5000 });
    await settled(el);
    const topics = panelOf(el)!.shadowRoot!.querySelector('chat-topics')!.shadowRoot!;
    topics.querySelector<HTMLButtonElement>('.callback')!.click();
    await settled(el);
    await waitUntil(() => el.state.schedule?.slots?.length, 'slots', { timeout: 5000 });
    await settled(el);
    const form = schedule(el)!.querySelector('form')!;
    (form.elements.namedItem('phone') as HTMLInputElement).value = '0612';
    form.requestSubmit();
    await waitUntil(() => el.state.notice?.kind === 'error', 'refused', { timeout: 5000 });
    expect(el.state.notice!.text).to.match(/E\.164/);
    await settled(el);
    // The visitor reads how to write it, not the SDK's words; nothing reached the server.
    expect(schedule(el)!.querySelector('[role="alert"]')!.textContent!.trim()).to.equal('Please enter your phone number with the country code, such as +44 20 7946 0958.');
    expect((await agent(ws, 'GET', '/calls')).body.calls).to.have.length(0);
    (form.elements.namedItem('phone') as HTMLInputElement).value = '+44 20 7946 0958';
    const select = form.elements.namedItem('slot') as HTMLSelectElement;
    select.selectedIndex = 2;
    const chosen = select.value;
    form.requestSubmit();
    await waitUntil(() => el.state.schedule?.done, 'requested', { timeout: 5000 });
    const calls = (await agent(ws, 'GET', '/calls')).body.calls;
    expect(calls[0]).to.include({ phone_number: '+442079460958', status: 'scheduled', scheduled_at: chosen });
    const call = await el.client!.createCall({ menu_id: voice, lang: 'en', phone_number: '+12345678' });
    expect((await el.client!.loadCall(call.id)).status).to.equal('queued');
    expect((await el.client!.cancelCall(call.id)).status).to.equal('cancelled');
    const bad = await el.client!.createCall({ menu_id: voice, lang: 'en', phone_number: '12345' }).catch((e) => e);
    expect(bad).to.be.instanceOf(TypeError);
  });

  it('co-browsing: consent first, then the operator\'s replay shows a change the visitor made; typed values never reach the server', async () => {
    const { ws } = await workspace();
    const page = document.createElement('div');
    page.className = 'cobrowse-fixture';
    page.innerHTML = '<h1>Checkout</h1><label>Card <input id="card" /></label><p id="note">Before</p>';
    document.body.append(page);
    const el = await connectedWidget(ws, { open: true });
    const recorded: unknown[] = [];
    // Nothing is recorded before consent.
    await el.client!.trackEvent('probe');
    await el.shadowRoot!.querySelector('chat-panel')!.updateComplete;
    inPanel<HTMLButtonElement>(el, '.share')!.click();
    await waitUntil(() => el.state.cobrowse?.code, 'code shown', { timeout: 5000 });
    await settled(el);
    const code = el.state.cobrowse!.code!;
    expect(inPanel(el, '.cobrowse .code')!.textContent).to.equal(code);
    await expect(el).to.be.accessible();
    const found = await agent(ws, 'GET', `/cobrowse?code=${code}`);
    expect(found.body.status).to.equal('waiting');
    expect((await agent(ws, 'GET', `/cobrowse/${found.body.id}/events?after=0`)).body.events).to.deep.equal([]);

    inPanel<HTMLButtonElement>(el, '.cobrowse button')!.click();
    await waitUntil(() => el.state.cobrowse?.phase === 'live', 'live', { timeout: 5000 });
    const input = page.querySelector<HTMLInputElement>('#card')!;
    input.value = 'secret-value-123';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    page.querySelector('#note')!.textContent = 'Changed by the visitor';
    await waitUntil(async () => {
      const events = (await agent(ws, 'GET', `/cobrowse/${found.body.id}/events?after=0`)).body.events as unknown[];
      recorded.splice(0, recorded.length, ...events);
      return JSON.stringify(events).includes('Changed by the visitor');
    }, 'the change reached the server', { timeout: 8000, interval: 300 });
    expect(JSON.stringify(recorded)).to.not.contain('secret-value-123');

    // The operator watches: the replay shows the change.
    const root = document.createElement('div');
    root.className = 'cobrowse-fixture';
    document.body.append(root);
    const viewer = new CobrowseViewer(new InboxClient(ws.operatorKey, ws.api.replace('/api/widget', '/api/agent')), found.body.id, root);
    await viewer.start();
    await waitUntil(() => viewer.document?.body?.textContent?.includes('Changed by the visitor'), 'replay shows the change', { timeout: 5000 });
    expect(viewer.document!.body.textContent).to.not.contain('secret-value-123');
    viewer.stop();

    inPanel<HTMLButtonElement>(el, '.cobrowse button')!.click();
    await waitUntil(() => el.state.cobrowse === null, 'stopped');
    await waitUntil(async () => (await agent(ws, 'GET', `/cobrowse?code=${code}`)).body.status === 'ended', 'ended on the server', { timeout: 5000 });
  });
});
