import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { chatServer, connectedWidget, inPanel, panelOf, settled, type TestWorkspace } from '../helpers.js';

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });
const part = (el: ChatWidget, name: 'chat-tickets' | 'chat-help') => panelOf(el)?.shadowRoot?.querySelector(name)?.shadowRoot ?? null;

describe('the full messenger against the real server: ticket forms and help center', () => {
  beforeEach(async () => {
    localStorage.clear();
    await emulateMedia({ reducedMotion: 'reduce' });
  });
  afterEach(async () => {
    document.querySelectorAll('chat-widget').forEach((w) => w.remove());
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('a form submitted with invalid fields shows each error beside its field, then a valid one reaches the inbox', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace', demo: true });
    const el = await connectedWidget(ws);
    await waitUntil(() => el.state.ticketForms.length === 2, 'forms loaded', { timeout: 5000 });
    el.setTicketFormFields({ subject: 'Checkout error', priority_hint: 'high' });
    el.showTicketForm('bug_report');
    await settled(el);
    await waitUntil(() => part(el, 'chat-tickets')?.querySelector('form'), 'form shown');
    const root = part(el, 'chat-tickets')!;
    expect((root.querySelector('#f-subject') as HTMLInputElement).value).to.equal('Checkout error');
    (root.querySelector('#f-email') as HTMLInputElement).value = 'not an email';
    root.querySelector('#f-email')!.dispatchEvent(new Event('input'));
    root.querySelector('form')!.requestSubmit();
    await waitUntil(() => root.querySelector('#f-description-error'), 'errors shown', { timeout: 5000 });
    expect(root.querySelector('#f-description-error')!.textContent).to.equal('Please fill this in.', 'a required field left empty, in the visitor\'s words (the server said "This field is required")');
    expect(root.querySelector('#f-email-error')!.textContent).to.equal('Expected an email address');
    expect(root.querySelector('#f-email')!.getAttribute('aria-invalid')).to.equal('true');
    expect(root.querySelector('#f-email')!.getAttribute('aria-describedby')).to.equal('f-email-error');
    expect(root.querySelector('#f-subject-error')).to.equal(null);
    await expect(el).to.be.accessible();
    expect((await agent(ws, 'GET', '/tickets')).body.tickets).to.have.length(0);

    (root.querySelector('#f-email') as HTMLInputElement).value = 'ada@example.com';
    root.querySelector('#f-email')!.dispatchEvent(new Event('input'));
    (root.querySelector('#f-description') as HTMLTextAreaElement).value = 'It fails with a 401';
    root.querySelector('#f-description')!.dispatchEvent(new Event('input'));
    root.querySelector('form')!.requestSubmit();
    await waitUntil(() => el.state.ticket.sentId, 'ticket sent', { timeout: 5000 });
    await settled(el);
    expect(part(el, 'chat-tickets')!.textContent).to.contain(el.state.ticket.sentId!);
    const tickets = (await agent(ws, 'GET', '/tickets')).body.tickets;
    expect(tickets[0].fields).to.deep.equal({ subject: 'Checkout error', description: 'It fails with a 401', priority_hint: 'high', email: 'ada@example.com' });
  });

  it('setVisibleTicketForms limits the choice, null resets it; an unknown form is a chat-error', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace', demo: true });
    const el = await connectedWidget(ws, { open: true });
    await waitUntil(() => el.state.ticketForms.length === 2, 'forms', { timeout: 5000 });
    el.setVisibleTicketForms(['feature_request']);
    inPanel<HTMLButtonElement>(el, '.tabs button:nth-child(3)')!.click();
    await settled(el);
    await waitUntil(() => part(el, 'chat-tickets')?.querySelector('.topics'), 'choice');
    expect([...part(el, 'chat-tickets')!.querySelectorAll('.topics button')].map((b) => b.textContent!.trim())).to.deep.equal(['Request a feature']);
    el.setVisibleTicketForms(null);
    await settled(el);
    await waitUntil(() => part(el, 'chat-tickets')!.querySelectorAll('.topics button').length === 2, 'all forms again');
    setTimeout(() => el.showTicketForm('no_such_form'));
    const error = await oneEvent(el, 'chat-error');
    expect(error.detail.code).to.equal('unknown_form');
    expect(() => el.setVisibleTicketForms('bug_report' as never)).to.throw(TypeError, /array of form keys, or null/);
  });

  it('openHelp(query) finds a seeded article; openArticle opens one', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace', demo: true });
    const el = await connectedWidget(ws);
    await el.openHelp('how long does shipping take');
    await settled(el);
    await waitUntil(() => part(el, 'chat-help')?.querySelector('.topics button'), 'results');
    expect(el.isOpen).to.equal(true);
    expect(part(el, 'chat-help')!.querySelector('.topics button')!.textContent).to.contain('Shipping times');
    await expect(el).to.be.accessible();
    await el.openArticle({ locale: 'en', slug: 'refunds' });
    await settled(el);
    await waitUntil(() => part(el, 'chat-help')?.querySelector('article'), 'article');
    expect(part(el, 'chat-help')!.querySelector('article')!.textContent).to.contain('within 30 days');
    const missing = await el.openArticle({ locale: 'en', slug: 'no-such-article' });
    expect(missing).to.equal(false);
    expect(el.state.notice!.text).to.match(/was not found/);
    expect(() => el.openArticle({ locale: 'en' } as never)).to.throw(TypeError, /openArticle\(\{slug\}\)/);
  });

  it('"Was this helpful?" under an article: the answer reaches the operators, a second one replaces it', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace', demo: true });
    const el = await connectedWidget(ws);
    await el.openArticle({ locale: 'en', slug: 'refunds' });
    await settled(el);
    await waitUntil(() => part(el, 'chat-help')?.querySelector('.helpful'), 'the question');
    const root = part(el, 'chat-help')!;
    const [yes, no] = [...root.querySelectorAll<HTMLButtonElement>('.yes-no button')];
    expect([yes!.textContent, no!.textContent, yes!.getAttribute('aria-pressed'), no!.getAttribute('aria-pressed')]).to.deep.equal(['Yes', 'No', 'false', 'false']);
    expect(root.querySelector('.helpful #helpful')!.textContent).to.equal('Was this helpful?');
    expect(root.textContent).to.contain('Still need help?');
    const counts = async () => {
      const a = (await agent(ws, 'GET', '/articles')).body.articles.find((x: { slug: string; locale: string }) => x.slug === 'refunds' && x.locale === 'en');
      return [a.helpful, a.not_helpful, a.id];
    };

    yes!.click();
    await waitUntil(() => root.querySelector('[role="status"]')!.textContent === 'Thanks for your feedback.', 'thanked', { timeout: 5000 });
    await settled(el);
    expect([yes!.getAttribute('aria-pressed'), no!.getAttribute('aria-pressed')]).to.deep.equal(['true', 'false']);
    expect(root.querySelector('form.missing'), 'no question after a Yes').to.equal(null);
    const [helpful, notHelpful, id] = await counts();
    expect([helpful, notHelpful]).to.deep.equal([1, 0]);
    await expect(el).to.be.accessible();

    no!.click();
    await waitUntil(() => root.querySelector('form.missing'), 'what was missing?', { timeout: 5000 });
    expect([yes!.getAttribute('aria-pressed'), no!.getAttribute('aria-pressed')]).to.deep.equal(['false', 'true']);
    expect((await counts()).slice(0, 2)).to.deep.equal([0, 1], 'the second answer replaced the first');
    const form = root.querySelector<HTMLFormElement>('form.missing')!;
    expect(form.querySelector('label')!.textContent).to.contain('What was missing?');
    (form.elements.namedItem('comment') as HTMLInputElement).value = 'Refunds to a gift card';
    form.requestSubmit();
    await waitUntil(() => !root.querySelector('form.missing'), 'comment sent', { timeout: 5000 });
    await expect(el).to.be.accessible();
    expect((await counts()).slice(0, 2)).to.deep.equal([0, 1]);
    const feedback = (await agent(ws, 'GET', `/articles/${id}/feedback`)).body.feedback;
    expect(feedback.map((f: { helpful: boolean; comment: string }) => [f.helpful, f.comment])).to.deep.equal([[false, 'Refunds to a gift card']]);

    // A page calling the client wrongly is told how, before anything is sent.
    for (const [args, why] of [[['en', 'refunds', 'yes'], /helpful must be true or false/], [['en', 'Not a slug', true], /not an article slug/], [['en', 'refunds', false, 'x'.repeat(1001)], /at most 1000/]] as const) {
      const error = await (el.client!.rateArticle as (...a: unknown[]) => Promise<unknown>)(...args).catch((e: Error) => e);
      expect(error).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.match(why);
    }
  });

  it('session data and segments reach the operators', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const el = await connectedWidget(ws);
    el.setSessionData({ plan: 'pro' });
    el.setSessionData({ cart: 3 });
    el.setSegments(['paying']);
    el.sendMessage('hello');
    await waitUntil(() => el.state.messages[0]?.status === 'sent', 'sent', { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 200));
    const [conv] = (await agent(ws, 'GET', '/conversations')).body.conversations;
    const detail = await agent(ws, 'GET', `/conversations/${conv.id}`);
    expect(detail.body.session.data).to.deep.equal({ plan: 'pro', cart: 3 });
    expect(detail.body.session.segments).to.deep.equal(['paying']);
  });
});
