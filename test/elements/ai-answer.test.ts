import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../elements/chat-widget/chat-widget.js';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { chatServer, connectedWidget, panelOf, settled, type TestWorkspace } from '../helpers.js';

/**
 * The AI agent's answer in the messenger (issue 19), against the real server and the stub model on
 * another port: "writing" before the first words, the text as it streams (formatted, never HTML),
 * then the stored answer with its source as a chip that opens the article; Stop ends an answer.
 */
const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });

async function withModel(model: string): Promise<{ ws: TestWorkspace; el: ChatWidget }> {
  const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
  const url = await chatServer<string>({ action: 'model' });
  await agent(ws, 'POST', '/menus', { names: { en: 'Orders' }, deflection_enabled: true, channels: ['chat'] });
  await agent(ws, 'POST', '/articles', { locale: 'en', slug: 'returns', title: 'Returning an order', body: 'Returns are free within 30 days: print the label from My orders.' });
  expect((await agent(ws, 'PUT', '/ai', { provider: 'openai', base_url: `${url}/v1`, model, api_key: 'sk-browser-must-not-see' })).status).to.equal(200);
  const el = await connectedWidget(ws, { open: true });
  await waitUntil(() => el.state.view === 'topics' && el.state.topics.length, 'topic picker', { timeout: 5000 });
  await settled(el);
  panelOf(el)!.shadowRoot!.querySelector('chat-topics')!.shadowRoot!.querySelector<HTMLButtonElement>('.topics button')!.click();
  await waitUntil(() => el.state.view === 'conversation', 'conversation', { timeout: 5000 });
  return { ws, el };
}

const panel = (el: ChatWidget) => panelOf(el)!.shadowRoot!;

describe('the AI agent\'s answer in the messenger', () => {
  beforeEach(async () => {
    localStorage.clear();
    await emulateMedia({ reducedMotion: 'reduce' });
  });
  afterEach(async () => {
    document.querySelectorAll('chat-widget').forEach((w) => w.remove());
    localStorage.clear();
  });

  it('streams in, formatted, then stays with its source as a chip that opens the article', async () => {
    const { el } = await withModel('drip');
    el.sendMessage('Are returns free?');
    // Before the first words: the assistant is writing, with Stop.
    await waitUntil(() => panel(el).querySelector('.answering .thinking'), 'writing…', { timeout: 8000 });
    expect(panel(el).querySelector('.answering .stop')).to.exist;
    await waitUntil(() => panel(el).querySelector('.answering .formatted')?.textContent?.includes('Returns are free'), 'the first words', { timeout: 8000 });
    await waitUntil(() => !panel(el).querySelector('.answering') && el.state.messages.some((m) => m.data?.ai), 'the stored answer', { timeout: 8000 });
    const answer = [...panel(el).querySelectorAll('[data-author="bot"]')].at(-1)!;
    expect(answer.querySelector('.formatted strong')?.textContent).to.equal('30 days');
    expect(answer.querySelectorAll('.formatted script, .formatted img').length).to.equal(0);
    expect(panel(el).querySelectorAll('[data-author="bot"]').length).to.equal(1, 'one answer, not the stream and the stored one');
    const chip = answer.querySelector<HTMLButtonElement>('.sources .source')!;
    expect(chip.textContent).to.contain('Returning an order');
    expect(JSON.stringify(el.state)).to.not.include('sk-browser-must-not-see');
    chip.click();
    await waitUntil(() => el.state.view === 'help' && el.state.help.article?.slug === 'returns', 'the article opens', { timeout: 5000 });
  });

  it('Stop ends the answer being written', async () => {
    const { el } = await withModel('drip');
    el.sendMessage('Are returns free?');
    await waitUntil(() => panel(el).querySelector('.answering .stop'), 'Stop', { timeout: 8000 });
    panel(el).querySelector<HTMLButtonElement>('.answering .stop')!.click();
    await waitUntil(() => !el.state.answer && el.state.messages.some((m) => m.data?.ai?.ended === 'stopped'), 'stopped', { timeout: 8000 }).catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify({ answer: el.state.answer, notice: el.state.notice, bots: el.state.messages.filter((m) => m.author === 'bot').map((m) => [m.content, m.data]) })}`);
    });
    expect(panel(el).querySelector('.answering')).to.not.exist;
  });
});
