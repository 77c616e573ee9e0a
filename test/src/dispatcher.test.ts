import { expect, waitUntil } from '@open-wc/testing';
import { Commands, COMMAND_NAMES, dispatch, type Ports } from '../../src/commands/commands.js';
import { REGISTRY } from '../../src/commands/registry.js';
import { scheduleFlow } from '../../src/commands/features/schedule-flow.js';
import { afterChat } from '../../src/commands/features/after-chat.js';
import { Store } from '../../src/state/store.js';
import { initialState, type Article, type WidgetState } from '../../src/state/types.js';

/** A server for the commands: every port answers at once (undefined) unless the test says otherwise; calls are recorded. */
function fakePorts(overrides: Partial<Ports> = {}) {
  const calls: [string, unknown[]][] = [];
  const ports = new Proxy(overrides, {
    get: (target, name: string) => (...args: unknown[]) => {
      calls.push([name, args]);
      const own = (target as Record<string, (...a: unknown[]) => unknown>)[name];
      return own ? own(...args) : Promise.resolve(undefined);
    },
  }) as Ports;
  return { ports, calls };
}

function setup(options: { ports?: Partial<Ports>; state?: Partial<WidgetState>; requestClose?: () => boolean } = {}) {
  const store = new Store<WidgetState>({ ...initialState, ...options.state });
  const commands = new Commands(store, options.requestClose ? { requestClose: options.requestClose } : {});
  const server = options.ports ? fakePorts(options.ports) : null;
  if (server) commands.connect(server.ports);
  let snapshots = 0;
  store.subscribe(() => snapshots++);
  return { store, commands, calls: server?.calls ?? [], snapshots: () => snapshots };
}

/** A promise the test resolves. */
function later<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const article: Article = Object.freeze({ locale: 'en', slug: 'reset-password', title: 'Resetting your password', excerpt: '', body: 'Open Settings.' }) as unknown as Article;

describe('the dispatcher', () => {
  describe('the registry', () => {
    it('names the 25 canonical commands of DESIGN section 4, each a method of the dispatcher, by feature', () => {
      expect(COMMAND_NAMES).to.have.length(25);
      expect(COMMAND_NAMES.slice(0, 3)).to.deep.equal(['show', 'hide', 'toggle']);
      const { commands } = setup();
      for (const name of COMMAND_NAMES) expect(typeof commands[name], name).to.equal('function');
      expect(Object.values(REGISTRY).flat()).to.deep.equal([...COMMAND_NAMES]);
    });

    it('dispatch runs a command by name, and refuses a name outside the registry', () => {
      const { commands } = setup();
      dispatch(commands, 'setTheme', 'dark');
      expect(commands.state.theme).to.equal('dark');
      expect(() => dispatch(commands, 'setView', 'help')).to.throw(TypeError, /unknown command "setView"; known: show, hide, toggle/);
      expect(() => dispatch(commands, 'constructor')).to.throw(TypeError);
    });

    it('has no public writable remote or close guard', () => {
      const { commands } = setup();
      expect('remote' in commands).to.equal(false);
      expect('closeGuard' in commands).to.equal(false);
      expect('store' in commands).to.equal(false);
    });
  });

  describe('each command checks its arguments first: a TypeError that says what is wrong, and nothing changes', () => {
    const bad: [string, (c: Commands) => unknown, RegExp][] = [
      ['setTheme', (c) => c.setTheme('purple'), /setTheme\(theme\): expected "light" or "dark" or "auto", got "purple"/],
      ['configure', (c) => c.configure({ theme: 'dark', colour: 'red' }), /configure\(options\): unknown option "colour"/],
      ['configure', (c) => c.configure({ theme: 'dark', zIndex: 1.5 }), /configure\(\{zIndex\}\): expected an integer or null/],
      ['showNewMessage', (c) => c.showNewMessage(42), /showNewMessage\(text\)/],
      ['sendMessage', (c) => c.sendMessage('   '), /sendMessage\(message\)/],
      ['sendMessage', (c) => c.sendMessage({ text: 'hi' }), /expected a string or \{content: string\}/],
      ['showAgentMessage', (c) => c.showAgentMessage(''), /showAgentMessage\(text\)/],
      ['identify', (c) => c.identify({ mail: 'a@example.com' }), /identify\(identity\): unknown field "mail"/],
      ['setSegments', (c) => c.setSegments('vip'), /setSegments\(list\): expected an array of strings/],
      ['setSessionData', (c) => c.setSessionData([1]), /setSessionData\(data\)/],
      ['trackEvent', (c) => c.trackEvent(''), /trackEvent\(name\)/],
      ['showTicketForm', (c) => c.showTicketForm(''), /showTicketForm\(key\)/],
      ['setVisibleTicketForms', (c) => c.setVisibleTicketForms('bug'), /setVisibleTicketForms\(keys\)/],
      ['openHelp', (c) => c.openHelp(7), /openHelp\(query\)/],
      ['openArticle', (c) => c.openArticle({ locale: 'en' }), /openArticle\(\{slug\}\)/],
      ['openScheduling', (c) => c.openScheduling({ meeting_type_id: -1 }), /openScheduling\(\{meeting_type_id\}\)/],
      ['startChat', (c) => c.startChat('support'), /startChat\(topicId\): expected a topic id/],
      ['requestCallback', (c) => c.extend(scheduleFlow).requestCallback(null), /requestCallback\(topicId\)/],
      ['rateChat', (c) => c.extend(afterChat).rateChat(9), /rateChat\(rating\): expected a whole number from 1 to 5/],
      ['attachFile', (c) => c.attachFile('photo.png'), /attachFile\(file\): expected a File/],
      ['retryMessage', (c) => c.retryMessage(5), /retryMessage\(clientId\)/],
    ];
    for (const [name, call, message] of bad) {
      it(`${name}: ${message.source.slice(0, 50)}`, () => {
        const { commands, store, calls, snapshots } = setup({ ports: {} });
        const before = store.state;
        expect(() => call(commands)).to.throw(TypeError, message);
        expect(store.state).to.equal(before);
        expect(snapshots()).to.equal(0);
        expect(calls).to.deep.equal([]);
      });
    }
  });

  describe('one snapshot per command', () => {
    const once: [string, (c: Commands) => unknown, Partial<WidgetState>][] = [
      ['show', (c) => c.show(), { open: true }],
      ['hide', (c) => c.hide(), { open: false }],
      ['toggle', (c) => c.toggle(), { open: true }],
      ['hideLauncher', (c) => c.hideLauncher(), { launcherVisible: false }],
      ['showLauncher', (c) => c.showLauncher(), { launcherVisible: true }],
      ['setTheme', (c) => c.setTheme('dark'), { theme: 'dark' }],
      ['configure', (c) => c.configure({ theme: 'light', position: 'left', launcherHidden: true, zIndex: 9 }), { theme: 'light', position: 'left', launcherVisible: false, zIndex: 9 }],
      ['showNewMessage', (c) => c.showNewMessage('Hello'), { open: true, draft: 'Hello', view: 'conversation' }],
      ['setMessageText', (c) => c.setMessageText('Hi'), { draft: 'Hi' }],
      ['markRead', (c) => c.markRead(), { unreadCount: 0 }],
      ['setConversationFields', (c) => c.setConversationFields({ order: 7 }), { conversationFields: { order: 7 } }],
      ['setSessionData', (c) => c.setSessionData({ plan: 'pro' }), { sessionData: { plan: 'pro' } }],
      ['setSegments', (c) => c.setSegments(['vip']), { segments: ['vip'] }],
      ['showTicketForm', (c) => c.showTicketForm('bug'), { open: true, view: 'tickets' }],
      ['setTicketFormFields', (c) => c.setTicketFormFields({ email: 'a@example.com' }), { ticketPrefill: { email: 'a@example.com' } }],
      ['setVisibleTicketForms', (c) => c.setVisibleTicketForms(['bug']), { visibleTicketForms: ['bug'] }],
      ['resetSession', (c) => c.resetSession(), { sessionId: null, messages: [] }],
    ];
    for (const [name, call, expected] of once) {
      it(name, async () => {
        const { commands, store, snapshots } = setup({ state: { unreadCount: 2, sessionId: 'ses_1', open: name === 'hide', launcherVisible: name !== 'showLauncher' } });
        await call(commands);
        expect(snapshots()).to.equal(1);
        for (const [key, value] of Object.entries(expected)) expect(store.state[key as keyof WidgetState], key).to.deep.equal(value);
      });
    }

    it('sendMessage: the message shows at once as pending, in one snapshot, then goes to the server', () => {
      const { commands, store, calls, snapshots } = setup({ ports: {}, state: { draft: 'Hello', view: 'topics' } });
      const message = commands.sendMessage({ content: ' Hello ' });
      expect(snapshots()).to.equal(1);
      expect(message).to.include({ author: 'visitor', content: 'Hello', status: 'pending' });
      expect(store.state.messages).to.deep.equal([message]);
      expect(store.state).to.include({ draft: '', view: 'conversation' });
      expect(calls.map(([name]) => name)).to.deep.equal(['send', 'typing']);
    });

    it('showAgentMessage: a local message, in one snapshot, never sent', () => {
      const { commands, store, calls, snapshots } = setup({ ports: {} });
      const message = commands.showAgentMessage('Welcome!', 'Ann');
      expect(snapshots()).to.equal(1);
      expect(message).to.include({ author: 'agent', content: 'Welcome!', authorName: 'Ann', local: true });
      expect(store.state).to.include({ unreadCount: 1, preview: message });
      expect(calls).to.deep.equal([]);
    });

    it('identify without a server: the details show at once, in one snapshot', async () => {
      const { commands, store, snapshots } = setup();
      const identified: unknown[] = [];
      commands.notices.on('identify', ({ identity }) => identified.push(identity));
      await commands.identify({ id: 'u1', email: 'a@example.com' });
      expect(snapshots()).to.equal(1);
      expect(store.state.user).to.deep.equal({ external_id: 'u1', email: 'a@example.com' });
      expect(identified).to.deep.equal([store.state.user]);
    });
  });

  describe('each feature has its own pending state', () => {
    it('a help search is not refused while booking slots load; a second booking call is', async () => {
      const slots = later<readonly string[]>();
      const { commands, store } = setup({
        ports: {
          meetingTypes: async () => [{ id: 3, name: 'Intro', duration_minutes: 30 }],
          meetingSlots: () => slots.promise,
          searchArticles: async () => [article],
        },
      });
      const booking = commands.openScheduling();
      await waitUntil(() => store.state.schedule?.meetingTypeId === null || store.state.schedule?.meetingTypes.length === 0, 'loading');
      expect(store.state.pending.schedule).to.equal(true);
      expect(store.state.busy).to.equal(true);

      expect(await commands.searchHelp('password')).to.equal(true);
      expect(store.state.help.results).to.deep.equal([article]);
      expect(store.state.pending).to.deep.include({ schedule: true, help: false });

      expect(await commands.extend(scheduleFlow).chooseMeetingType(3)).to.equal(false); // the same feature waits

      slots.resolve(['2030-01-01T10:00:00.000Z']);
      expect(await booking).to.equal(true);
      expect(store.state.schedule).to.deep.include({ meetingTypeId: 3, slots: ['2030-01-01T10:00:00.000Z'] });
      expect(store.state.pending.schedule).to.equal(false);
      expect(store.state.busy).to.equal(false);
    });

    it('a failure shows as a notice and a chat-error, and ends only its own feature\'s pending state', async () => {
      const types = later<never>();
      const { commands, store } = setup({ ports: { meetingTypes: () => types.promise, cobrowseCode: async () => '123456' } });
      const errors: unknown[] = [];
      commands.notices.on('error', (e) => errors.push(e));
      const booking = commands.openScheduling();
      expect(await commands.shareScreen()).to.equal(true);
      expect(store.state.cobrowse).to.deep.equal({ phase: 'consent', code: '123456' });
      types.resolve(Promise.reject(Object.assign(new Error('No meeting types'), { code: 'no_meeting_types' })) as never);
      expect(await booking).to.equal(false);
      expect(errors).to.deep.equal([{ code: 'no_meeting_types', message: 'No meeting types' }]);
      expect(store.state.notice).to.deep.equal({ kind: 'error', text: 'No meeting types', code: 'no_meeting_types' });
      expect(store.state.pending).to.deep.equal({ tickets: false, help: false, schedule: false, cobrowse: false, lifecycle: false });
    });

    it('without a server, commands that need one say no (false) and change nothing pending', async () => {
      const { commands, store } = setup();
      expect(await commands.searchHelp('x')).to.equal(false);
      expect(await commands.startChat(1)).to.equal(false);
      expect(store.state.busy).to.equal(false);
    });
  });

  describe('what the server says, as commands', () => {
    it('starting a chat after hours shows the email form instead', async () => {
      const { commands, store, calls } = setup({ ports: {}, state: { afterHours: 'We are closed' } });
      expect(await commands.startChat(4)).to.equal(true);
      expect(store.state.view).to.equal('email');
      expect(calls).to.deep.equal([]);
    });

    it('a session loaded brings topics, the forms, and the topic picker (or the email form after hours)', async () => {
      const topic = Object.freeze({ id: 1, name: 'Support', channels: Object.freeze(['chat'] as const), children: Object.freeze([]) });
      const { commands, store } = setup({
        ports: {
          topics: async () => [topic],
          afterHours: async () => 'Closed',
          ticketForms: async () => [],
          ongoingChat: async () => null,
          trigger: async () => null,
        },
      });
      await commands.sessionLoaded();
      expect(store.state.topics).to.deep.equal([topic]);
      expect(store.state).to.include({ afterHours: 'Closed', view: 'email' });
    });

    it('a close the visitor starts asks first; a veto keeps the panel open', () => {
      let allow = false;
      const { commands, store } = setup({ state: { open: true }, requestClose: () => allow });
      expect(commands.requestClose('keyboard')).to.equal(false);
      expect(store.state.open).to.equal(true);
      allow = true;
      expect(commands.requestClose('keyboard')).to.equal(true);
      expect(store.state.open).to.equal(false);
    });

    it('connect returns a disconnect that only lets go of its own ports', async () => {
      const { commands } = setup();
      const first = fakePorts({ searchArticles: async () => [] });
      const second = fakePorts({ searchArticles: async () => [] });
      const offFirst = commands.connect(first.ports);
      commands.connect(second.ports);
      offFirst();
      expect(await commands.searchHelp('x')).to.equal(true);
      expect(second.calls.map(([n]) => n)).to.deep.equal(['searchArticles']);
    });
  });
});
