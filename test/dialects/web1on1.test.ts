import { expect } from '@open-wc/testing';
import { agent, consoleErrors, loadWidgetScript, server, until, widget, type Workspace } from './page.js';

type Web1on1 = {
  open(): void;
  close(): void;
  isOpen(): boolean;
  isOpened(): boolean;
  setPredefinedMessage(text: string): void;
  api: { showFakeAgentMessage(text: string, name?: string): void; sendClientMessage(text: string): void };
};
const page = window as unknown as { web1on1: Web1on1; Woes?: unknown; Convot?: unknown };

describe('web1on1: a page written for the web1on1 reference, with our script tag', () => {
  let ws: Workspace;

  before(async () => {
    localStorage.clear();
    ws = await server<Workspace>({ action: 'workspace' });
    // Only the web1on1 global, as data-globals asks.
    await loadWidgetScript({ 'public-key': ws.publicKey, api: ws.api, globals: 'web1on1' });
    await until(() => page.web1on1, 'web1on1 installed');
  });

  it('installs only the globals data-globals allows', () => {
    expect(typeof page.web1on1.open).to.equal('function');
    expect(page.Woes).to.equal(undefined);
    expect(page.Convot).to.equal(undefined);
  });

  it('open, close, isOpen / isOpened, setPredefinedMessage', () => {
    page.web1on1.open();
    expect(page.web1on1.isOpen()).to.equal(true);
    expect(page.web1on1.isOpened()).to.equal(true);
    page.web1on1.close();
    expect(page.web1on1.isOpen()).to.equal(false);
    page.web1on1.setPredefinedMessage('I want to book a test drive');
    expect(widget()!.state.draft).to.equal('I want to book a test drive');
  });

  it('api.showFakeAgentMessage with and without a name', () => {
    page.web1on1.api.showFakeAgentMessage('Welcome to the chat');
    page.web1on1.api.showFakeAgentMessage('Welcome to the chat', 'Acme Corp');
    const last = widget()!.state.messages.slice(-2);
    expect(last.map((m: { content: string; authorName?: string; author: string }) => [m.author, m.content, m.authorName])).to.deep.equal([
      ['agent', 'Welcome to the chat', undefined],
      ['agent', 'Welcome to the chat', 'Acme Corp'],
    ]);
  });

  it('api.sendClientMessage sends chat text; every >cs command reaches the operator and is never a chat bubble', async () => {
    const el = widget()!;
    page.web1on1.api.sendClientMessage('Hello, I am interested in the Corolla');
    await until(() => el.state.messages.some((m: { content: string; status: string }) => m.content.includes('Corolla') && m.status === 'sent'), 'sent');
    const commands = [
      '>cs .location 61be87aeafdf672d381a9db4#61be87aeafdf672d381a9db5',
      '>cs +6093490651a8b5629324ae4f',
      '>cs .brand Toyota',
      '>cs /set @category Used Car',
      '>cs /set isLead yes',
      `>cs /assign ${ws.agentId}`,
      '>cs /notify 605411853c68d83fd1ac7655',
      '>cs /notify',
      `>cs @${ws.agentId} Hello this is for you`,
    ];
    for (const command of commands) page.web1on1.api.sendClientMessage(command);
    const [conv] = (await agent(ws, 'GET', '/conversations')).body.conversations;
    await until(async () => (await agent(ws, 'GET', `/conversations/${conv.id}`)).body.notifications.length === 2, 'all commands applied');
    const d = (await agent(ws, 'GET', `/conversations/${conv.id}`)).body;
    expect(d.contact.location).to.equal('61be87aeafdf672d381a9db4#61be87aeafdf672d381a9db5');
    expect(d.form_id).to.equal('6093490651a8b5629324ae4f');
    expect(d.fields).to.deep.equal({ brand: 'Toyota' });
    expect(d.category).to.equal('Used Car');
    expect(d.variables).to.deep.equal({ isLead: 'yes' });
    expect(d.assignee_id).to.equal(ws.agentId);
    await until(async () => (await agent(ws, 'GET', `/conversations/${conv.id}/messages`)).body.messages.some((m: { internal: boolean }) => m.internal), 'mention note');
    // Never a chat bubble: not in the widget, not in the visitor's history.
    expect(el.state.messages.some((m: { content: string }) => m.content.startsWith('>cs'))).to.equal(false);
    const text = el.shadowRoot!.querySelector('chat-panel')?.shadowRoot?.textContent ?? '';
    expect(text).to.not.contain('>cs');
  });

  it('a malformed command is a clear console error, sends nothing and shows nothing', async () => {
    const el = widget()!;
    const count = el.state.messages.length;
    const errors = await consoleErrors(() => page.web1on1.api.sendClientMessage('>cs /set isLead'));
    expect(errors[0]).to.match(/sendClientMessage\(text\): ">cs \/set isLead VALUE": the value is missing/);
    expect(el.state.messages.length).to.equal(count);
  });

  it('open and close do nothing when embedded', async () => {
    const el = widget()!;
    el.setAttribute('embedded', '');
    await until(() => el.state.embedded, 'embedded');
    expect(page.web1on1.isOpen()).to.equal(true);
    page.web1on1.close();
    expect(page.web1on1.isOpen()).to.equal(true);
    page.web1on1.open();
    expect(page.web1on1.isOpen()).to.equal(true);
  });
});
