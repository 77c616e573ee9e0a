import { expect } from '@open-wc/testing';
import { agent, consoleErrors, hmacHex, jwt, loadWidgetScript, panelText, server, until, widget, type Workspace } from './page.js';

type WoesFn = ((command: string, payload?: unknown) => void) & { q?: unknown[] };
const w = window as unknown as { Woes: WoesFn };

describe('Woes: a page written for the Woes reference, with our script tag', () => {
  let ws: Workspace;
  const shown: number[] = [];
  const unread: number[] = [];

  before(async () => {
    localStorage.clear();
    ws = await server<Workspace>({ action: 'workspace', demo: true });
    // The page calls Woes before the script has loaded: a stub queues the calls.
    w.Woes = function (...args: unknown[]) {
      (w.Woes.q = w.Woes.q || []).push(args);
    } as WoesFn;
    w.Woes('onShow', () => shown.push(Date.now()));
    w.Woes('setTheme', 'dark');
    w.Woes('onChangeUnreadMessagesCount', (count: number) => unread.push(count));
    w.Woes('setNewConversationFields', { page: location.pathname, plan: 'enterprise', account_id: 'acct_123' });
    w.Woes('showNewMessage', 'I hit a 401 on POST /orders.');
    // The install snippet: data-api ends in /messages.
    await loadWidgetScript({ 'public-key': ws.publicKey, api: `${ws.api}/messages` });
    await until(() => widget()?.isOpen, 'the queued showNewMessage opened the messenger');
  });

  it('replays the queued calls in order once ready', async () => {
    const el = widget()!;
    expect(el.theme).to.equal('dark');
    expect(shown).to.have.length(1);
    expect(el.state.draft).to.equal('I hit a 401 on POST /orders.');
    expect(typeof w.Woes).to.equal('function');
  });

  it('show, hide, onShow and onHide (callback and null), hideChatBubble, showChatBubble', async () => {
    const el = widget()!;
    const hidden: number[] = [];
    w.Woes('onHide', () => hidden.push(1));
    w.Woes('hide');
    expect(el.isOpen).to.equal(false);
    expect(hidden).to.have.length(1);
    w.Woes('show');
    expect(shown).to.have.length(2);
    w.Woes('onShow', null);
    w.Woes('onHide', null);
    w.Woes('hide');
    w.Woes('show');
    expect(shown).to.have.length(2);
    expect(hidden).to.have.length(1);
    w.Woes('hideChatBubble');
    expect(el.state.launcherVisible).to.equal(false);
    await until(() => el.hasAttribute('launcher-hidden'), 'launcher-hidden reflected');
    w.Woes('showChatBubble');
    expect(el.state.launcherVisible).to.equal(true);
    w.Woes('setTheme', 'light');
    expect(el.theme).to.equal('light');
  });

  it('setNewConversationFields reaches the operator with the first message; onChangeUnreadMessagesCount counts replies', async () => {
    const el = widget()!;
    (el as unknown as { sendMessage(t: string): void }).sendMessage('Hello from a Woes page');
    await until(() => el.state.messages.some((m: { status: string }) => m.status === 'sent'), 'sent');
    const [conv] = (await agent(ws, 'GET', '/conversations')).body.conversations;
    const detail = (await agent(ws, 'GET', `/conversations/${conv.id}`)).body;
    expect(detail.fields).to.deep.equal({ page: location.pathname, plan: 'enterprise', account_id: 'acct_123' });
    w.Woes('hide');
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'An operator reply' });
    await until(() => unread.includes(1), 'the unread callback got 1');
    w.Woes('onChangeUnreadMessagesCount', null);
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'Another' });
    await until(() => el.unreadCount === 2, 'two unread');
    expect(unread.filter((n) => n === 2)).to.have.length(0);
  });

  it('identify: plain, email_hash and jwt', async () => {
    const el = widget()!;
    w.Woes('identify', { email: 'ada@example.com', name: 'Ada Lovelace', company: 'Example API Co', id: 'user_123' });
    await until(() => el.state.user.email === 'ada@example.com', 'plain identity');
    expect(el.state.user.verified).to.equal(false);
    w.Woes('identify', { email: 'ada@example.com', name: 'Ada Lovelace', company: 'Example API Co', id: 'user_123', email_hash: await hmacHex(ws.identitySecret, 'ada@example.com') });
    await until(() => el.state.user.verified === true, 'email_hash verified');
    w.Woes('identify', { jwt: await jwt(ws.identitySecret, { external_id: 'user_456', email: 'grace@example.com' }) });
    await until(() => el.state.user.email === 'grace@example.com', 'jwt identity');
    expect(el.state.user.verified).to.equal(true);
  });

  it('showTicketForm, setTicketFormFields, setVisibleTicketForms (array and null)', async () => {
    const el = widget()!;
    w.Woes('setTicketFormFields', { subject: 'Checkout error', priority_hint: 'high' });
    w.Woes('setVisibleTicketForms', ['bug_report', 'feature_request']);
    w.Woes('showTicketForm', 'bug_report');
    await until(() => el.state.view === 'tickets' && el.state.ticket.key === 'bug_report', 'form open');
    await until(() => panelText().includes('Report a bug'), 'form shown');
    expect(el.state.ticket.values).to.deep.equal({ subject: 'Checkout error', priority_hint: 'high' });
    w.Woes('setVisibleTicketForms', ['feature_request']);
    expect(el.state.visibleTicketForms).to.deep.equal(['feature_request']);
    w.Woes('setVisibleTicketForms', null);
    expect(el.state.visibleTicketForms).to.equal(null);
  });

  it('a bad call is a console error that says what is wrong, and changes nothing', async () => {
    const el = widget()!;
    const errors = await consoleErrors(() => {
      w.Woes('setTheme', 'blue');
      w.Woes('explode');
      w.Woes('onShow', 'not a function');
    });
    expect(errors[0]).to.match(/setTheme\(theme\): expected "light" or "dark" or "auto", got "blue"/);
    expect(errors[1]).to.match(/unknown command; known: show, hide/);
    expect(errors[2]).to.match(/expected a function or null/);
    expect(el.theme).to.equal('light');
  });

  it('loaded twice, it mounts once', async () => {
    await loadWidgetScript({ 'public-key': ws.publicKey, api: `${ws.api}/messages` });
    expect(document.querySelectorAll('chat-widget')).to.have.length(1);
  });
});
