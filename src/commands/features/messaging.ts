import { newId } from '../../id.js';
import type { ChatMessage, ConnectionState, WidgetState } from '../../state/types.js';
import { messageKey } from '../../state/events.js';
import { MAX_MESSAGE_LENGTH, isCsCommand, parseCsCommand } from '../../protocol/index.js';
import type { Core, Cross } from '../core.js';
import * as v from '../validate.js';

/** What messaging asks of the server. */
export interface MessagingPort {
  send(message: ChatMessage, conversationFields: Readonly<Record<string, unknown>>): void;
  /** A message the server refused: send it again, or forget it. */
  retry(clientId: string): void;
  discard(clientId: string): void;
  markRead(): void;
  typing(typing: boolean): void;
  /** A web1on1 `>cs` command for the server to apply. */
  csCommand(text: string): Promise<void>;
  /** The newest page of the conversation, and the cursor of the page before it (null: none). */
  history(): Promise<MessagePage>;
  /** The page before a cursor. */
  earlier(before: string): Promise<MessagePage>;
}

export interface MessagePage {
  readonly messages: readonly ChatMessage[];
  readonly earlier: string | null;
}

const failedVisitorMessage = (s: WidgetState, id: string) =>
  s.messages.find((m) => m.author === 'visitor' && (m.clientId ?? m.id) === id && m.status === 'failed');

/** A topic is picked and its chat is not there yet: the next message starts it. */
const awaitsChat = (s: WidgetState) => s.topic !== null && !s.chat;

/** The conversation: the composer, sending, receiving, unread and read, typing. */
export const messaging = (core: Core, c: Cross) => ({
  /** Opens the panel on the conversation, with `text` in the composer. */
  showNewMessage(text?: unknown): void {
    const draft = text === undefined ? core.state.draft : v.string('showNewMessage(text)', text, { max: MAX_MESSAGE_LENGTH });
    c.openWith({ draft, view: 'conversation' });
  },

  setMessageText(text: unknown): void {
    core.store.update({ draft: v.string('setMessageText(text)', text, { max: MAX_MESSAGE_LENGTH }) });
  },

  /** The visitor typed in the composer: operators see that they are typing. */
  visitorTyped(): void {
    core.notices.emit('interaction', {});
    core.port?.typing(core.state.draft.trim() !== '');
  },

  /** Sends a visitor message: it shows at once as `pending`; the delivery moves it on. */
  sendMessage(input: unknown): ChatMessage {
    const raw = typeof input === 'object' && input !== null && !Array.isArray(input) &&
      Object.getPrototypeOf(input) === Object.prototype ? (input as { content?: unknown }).content : input;
    if (typeof raw !== 'string') {
      v.fail('sendMessage(message)', 'expected a string or {content: string}', input);
    }
    const content = v.string('sendMessage(message)', raw.trim(), { max: MAX_MESSAGE_LENGTH, empty: false });
    const id = newId();
    const message: ChatMessage = Object.freeze({
      id,
      clientId: id,
      author: 'visitor',
      content,
      createdAt: new Date().toISOString(),
      status: 'pending',
    });
    core.notices.emit('interaction', {});
    // The panel lands on the conversation that holds it, whatever view it showed (the topic picker...).
    core.store.update((s) => ({
      messages: Object.freeze([...s.messages, message]),
      draft: s.draft.trim() === content ? '' : s.draft,
      view: 'conversation',
    }));
    // The first message on a picked topic starts its chat; the others go to the conversation there is.
    if (awaitsChat(core.state)) c.startChatWith(message);
    else core.port?.send(message, core.state.conversationFields);
    core.port?.typing(false);
    return message;
  },

  /**
   * Sends again a visitor message that the server refused (`status: 'failed'`, its "Retry").
   * Returns false when no failed message has this client id.
   */
  retryMessage(clientId: unknown): boolean {
    const id = v.string('retryMessage(clientId)', clientId, { max: 200, empty: false });
    const failed = failedVisitorMessage(core.state, id);
    if (!failed) return false;
    core.notices.emit('interaction', {});
    const pending = Object.freeze({ ...failed, status: 'pending' as const });
    core.store.update((s) => ({ messages: Object.freeze(s.messages.map((m) => (m === failed ? pending : m))) }));
    if (awaitsChat(core.state)) c.startChatWith(pending);
    else core.port?.retry(id);
    return true;
  },

  /**
   * Forgets a visitor message that the server refused (its "Discard"): it leaves the
   * list and the outbox. Returns false when no failed message has this client id.
   */
  discardMessage(clientId: unknown): boolean {
    const id = v.string('discardMessage(clientId)', clientId, { max: 200, empty: false });
    const failed = failedVisitorMessage(core.state, id);
    if (!failed) return false;
    core.store.update((s) => ({ messages: Object.freeze(s.messages.filter((m) => m !== failed)) }));
    core.port?.discard(id);
    return true;
  },

  /**
   * Sends a message on the visitor's behalf; a `>cs ` message is a command
   * for the server (checked here first: a malformed one is a TypeError), never
   * a chat bubble.
   */
  sendClientMessage(text: unknown): Promise<void> | ChatMessage {
    const message = v.string('sendClientMessage(text)', text, { max: MAX_MESSAGE_LENGTH, empty: false });
    if (!isCsCommand(message)) return c.sendMessage(message);
    try {
      parseCsCommand(message);
    } catch (error) {
      v.fail('sendClientMessage(text)', (error as Error).message, message);
    }
    if (!core.port) return Promise.reject(new Error('sendClientMessage: a >cs command needs the server (set a public key)'));
    return core.port.csCommand(message).catch((error: { code?: string; message?: string }) => {
      core.error(error.code ?? 'invalid_command', error.message ?? String(error));
      throw error;
    });
  },

  /** Shows a message as if an operator wrote it; local only, never sent. */
  showAgentMessage(text: unknown, name?: unknown): ChatMessage {
    const content = v.string('showAgentMessage(text)', text, { max: MAX_MESSAGE_LENGTH, empty: false });
    const authorName = name === undefined || name === null ? undefined : v.string('showAgentMessage(text, name)', name, { max: 200 });
    const id = newId();
    const message: ChatMessage = Object.freeze({
      id,
      author: 'agent',
      content,
      createdAt: new Date().toISOString(),
      status: 'sent',
      local: true,
      ...(authorName ? { authorName } : {}),
    });
    // The panel lands on the conversation, whatever view it showed.
    c.receive([message], { view: 'conversation' });
    return message;
  },

  markRead(): void {
    core.store.update({ unreadCount: 0, preview: null });
    core.port?.markRead();
  },

  /** Another tab of the site read the messages: nothing is sent from here. */
  readElsewhere(): void {
    core.store.update({ unreadCount: 0, preview: null });
  },

  /**
   * Merges messages into the list (by client id, else id): new ones are added
   * in time order, known ones replaced in place (a pending message becoming sent). New
   * messages from others raise the unread count while the panel is closed.
   */
  receive(incoming: readonly ChatMessage[], patch: Partial<WidgetState> = {}): void {
    if (!core.state.chat && incoming.some((m) => m.author === 'visitor' && m.status === 'sent')) c.adoptChat();
    core.store.update((s) => {
      const byKey = new Map(s.messages.map((m, i) => [m.clientId ?? m.id, i]));
      const list = [...s.messages];
      const fresh: ChatMessage[] = [];
      for (const m of incoming) {
        const at = byKey.get(m.clientId ?? m.id) ?? byKey.get(m.id);
        if (at === undefined) {
          // In time order, after the last one not newer; what is on screen keeps its place (a sent
          // message carries the server's time, a pending or failed one the browser's: re-sorting
          // all of them would move a failed message above the ones sent before it).
          let i = list.length;
          while (i > 0 && list[i - 1]!.createdAt > m.createdAt) i--;
          list.splice(i, 0, m);
          list.forEach((x, j) => byKey.set(x.clientId ?? x.id, j));
          fresh.push(m);
        } else {
          list[at] = m;
        }
      }
      const unseen = s.open ? [] : fresh.filter((m) => m.author !== 'visitor');
      return {
        ...patch,
        messages: Object.freeze(list),
        ...(fresh.some((m) => m.author === 'agent') ? { typing: null } : {}),
        ...(unseen.length ? { unreadCount: s.unreadCount + unseen.length, preview: unseen[unseen.length - 1]! } : {}),
      };
    });
  },

  /**
   * The history as the server has it. What is not on the server stays: the messages the page
   * showed locally (`showAgentMessage`, e.g. a greeting set before the session loaded) and the
   * visitor's own that are still pending or failed (a refused one keeps its Retry and Discard
   * when a chat's history is loaded after it).
   */
  replaceMessages(messages: readonly ChatMessage[], earlier: string | null = null): void {
    const known = new Set(messages.map(messageKey));
    const all = [...messages];
    // Each kept message goes back after the one it followed (clocks of the server and the
    // browser differ, so times alone would misplace it), or first when it was first.
    let after: ChatMessage | null = null;
    for (const m of core.state.messages) {
      if (known.has(messageKey(m))) after = m;
      else if (m.local || m.status === 'pending' || m.status === 'failed') {
        const at = after ? all.findIndex((x) => messageKey(x) === messageKey(after!)) + 1 : 0;
        all.splice(after && at === 0 ? all.length : at, 0, m);
        after = m;
        known.add(messageKey(m));
      }
    }
    core.store.update({ messages: Object.freeze(all), earlier, loadingEarlier: false });
  },

  /**
   * The visitor scrolled back to the oldest message loaded: the page before it comes from the
   * server and goes above (once: a page on its way is not asked again). A history replaced
   * meanwhile (reset, another person) drops it.
   */
  async loadEarlier(): Promise<void> {
    const { earlier, loadingEarlier } = core.state;
    const port = core.port;
    if (!earlier || loadingEarlier || !port) return;
    core.store.update({ loadingEarlier: true });
    try {
      const page = await port.earlier(earlier);
      if (core.state.earlier !== earlier) return;
      core.store.update((s) => {
        const known = new Set(s.messages.map(messageKey));
        const older = page.messages.filter((m) => !known.has(messageKey(m)));
        return { messages: Object.freeze([...older, ...s.messages]), earlier: page.earlier, loadingEarlier: false };
      });
    } catch (error) {
      if (core.state.earlier === earlier) core.store.update({ loadingEarlier: false });
      core.error('history_failed', error instanceof Error ? error.message : String(error));
    }
  },

  // ---- what the server says (client events, through src/runtime/bind.ts) ----

  /** The session is open: its id, the unread count while the panel is closed, and who answers (the home's greeting). */
  connected(sessionId: string, unreadCount: number, home: Pick<WidgetState, 'team' | 'booking'> & Partial<Pick<WidgetState, 'appearance'>> = { team: [], booking: false }): void {
    core.store.update((s) => ({
      sessionId,
      team: Object.freeze(home.team.map((t) => Object.freeze({ ...t }))),
      booking: home.booking,
      ...(home.appearance ? { appearance: Object.freeze({ ...home.appearance, greeting: Object.freeze({ ...home.appearance.greeting }) }) } : {}),
      ...(s.open ? {} : { unreadCount }),
    }));
  },

  /** An operator is typing (their name, or '' when unnamed); null: nobody is. */
  typing(name: string | null): void {
    core.store.update({ typing: name });
  },

  /** An operator read up to this message of the visitor's. */
  readUpTo(messageId: string): void {
    core.store.update({ readUpTo: messageId });
  },

  connectionChanged(connection: ConnectionState): void {
    core.store.update({ connection });
  },

  availabilityChanged(available: boolean): void {
    core.store.update({ available });
  },

  /** A file on its way up (null: done). */
  uploadProgress(upload: WidgetState['upload']): void {
    core.store.update({ upload: upload && Object.freeze({ ...upload }) });
  },
});
