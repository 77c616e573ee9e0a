/**
 * The visitor's conversation: history, sending, typing and read. The current chat's lifecycle
 * (created, loaded, resumed, escalated, finished, dismissed; transcript, rating, survey) is in
 * ./chat-lifecycle.ts, which the ChatClient imports on its first use.
 */
import { DEFAULT_PAGE, MAX_MESSAGE_LENGTH, MAX_PAGE, PAGE_CURSOR } from '../../protocol/index.js';
import type { Core } from '../core.js';
import { ChatError } from '../http.js';
import { outboxMessage, type OutboxEntry } from '../outbox.js';
import type { ChatMessage } from '../types.js';
import type { ServerMessage, ServerPage } from '../wire.js';

/** The current chat's id; without one, a `no_chat` error that says what to call first. */
export function currentChat(core: Core, method: string): string {
  if (!core.chatId) throw new ChatError('no_chat', `${method}: there is no current chat; call createChat() or loadOngoingChat() first`);
  return core.chatId;
}

/** A page of messages: the newest `limit`, or those before or after a cursor of an earlier page. */
export interface MessagePage {
  messages: ChatMessage[];
  /** The `before` of the next older page; null: this page starts at the conversation's first message. */
  earlier: string | null;
  /** The `after` of the next newer page; null: this page ends at the newest message. */
  later: string | null;
}

/** The pages the widget asks for: the newest on opening, then as many at a time as the visitor scrolls back. */
export const FIRST_PAGE = 30;
export const EARLIER_PAGE = MAX_PAGE;

/** The current chat's messages (the headless SDK's), else the visitor's current conversation's. */
const messagesPath = (core: Core) => (core.chatId ? `/chats/${encodeURIComponent(core.chatId)}/messages` : '/messages');

/** One page; a newest or newer page moves where the loaded history ends. */
export async function fetchPage(core: Core, options: { before?: string; after?: string; limit?: number } = {}): Promise<MessagePage> {
  const { before, after, limit = DEFAULT_PAGE } = options;
  for (const [name, value] of Object.entries({ before, after })) {
    if (value !== undefined && !PAGE_CURSOR.test(String(value))) throw new TypeError(`fetchMessagePage({ ${name} }): expected a cursor of an earlier page, got ${JSON.stringify(value)}`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new TypeError(`fetchMessagePage({ limit }): expected 1 to ${MAX_PAGE}, got ${limit}`);
  await core.ready();
  const epoch = core.epoch;
  const query = new URLSearchParams({ limit: String(limit), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  const page = await core.request<ServerPage>('GET', `${messagesPath(core)}?${query}`);
  if (before === undefined && epoch === core.epoch) core.latest = { conversation: page.messages[0]?.conversation_id ?? core.latest?.conversation ?? null, cursor: page.cursor };
  return { messages: page.messages.map((m) => core.toMessage(m)), earlier: page.earlier, later: page.later };
}

/** Every message of the current conversation, oldest first: its pages from the newest back. */
export async function fetchMessages(core: Core): Promise<ChatMessage[]> {
  const pages: ChatMessage[][] = [];
  let page = await fetchPage(core, { limit: MAX_PAGE });
  pages.unshift(page.messages);
  // Bounded: 200,000 messages.
  for (let i = 0; page.earlier && i < 1000; i++) {
    page = await fetchPage(core, { before: page.earlier, limit: MAX_PAGE });
    pages.unshift(page.messages);
  }
  return pages.flat();
}

/**
 * Emits `chat.history`: the newest page of the server's messages, then those of the outbox (as it
 * is once they came) it does not have yet. Older pages come with `fetchMessagePage({ before })`.
 */
export async function history(core: Core, outbox: () => readonly OutboxEntry[]): Promise<void> {
  const epoch = core.epoch;
  const page = await fetchPage(core, { limit: FIRST_PAGE });
  // Reset or switched to another person meanwhile: that history was the previous one's.
  if (epoch !== core.epoch) return;
  const pending = outbox().map((e) => outboxMessage(e, e.failed ? 'failed' : 'pending'));
  const known = new Set(page.messages.map((m) => m.clientId));
  core.events.emit('chat.history', { messages: [...page.messages, ...pending.filter((p) => !known.has(p.clientId))], earlier: page.earlier });
}

/**
 * Back after a time offline: what came after the newest message known, as `chat.message` events,
 * a page at a time (at most ten); a longer gap loads the newest page instead, as on opening.
 */
export async function catchUpHistory(core: Core, outbox: () => readonly OutboxEntry[]): Promise<void> {
  const epoch = core.epoch;
  for (let i = 0; i < 10 && core.latest; i++) {
    const page = await fetchPage(core, { after: core.latest.cursor, limit: MAX_PAGE });
    if (epoch !== core.epoch) return;
    for (const message of page.messages) core.events.emit('chat.message', { message });
    if (!page.later) return;
  }
  await history(core, outbox);
}

/** A visitor message as it waits in the outbox (in the current chat, if any). */
export function draft(core: Core, text: string, options: { clientId?: string; createdAt?: string; conversationFields?: Record<string, unknown> }): OutboxEntry {
  if (typeof text !== 'string' || !text.trim()) throw new TypeError('sendTextMessage(text): expected a non-empty string');
  if (text.length > MAX_MESSAGE_LENGTH) throw new TypeError(`sendTextMessage(text): expected at most ${MAX_MESSAGE_LENGTH} characters, got ${text.length}`);
  return {
    clientId: options.clientId ?? crypto.randomUUID?.() ?? `${Date.now()}${Math.random()}`.replace('.', ''),
    content: text,
    createdAt: options.createdAt ?? new Date().toISOString(),
    ...(options.conversationFields && Object.keys(options.conversationFields).length ? { conversationFields: options.conversationFields } : {}),
    ...(core.chatId ? { chatId: core.chatId } : {}),
  };
}

/** Sends an outbox entry (to its chat, else the visitor's conversation); resolves with the stored message. */
export async function send(core: Core, entry: OutboxEntry): Promise<ChatMessage> {
  const res = await core.request<{ message: ServerMessage }>('POST', entry.chatId ? `/chats/${encodeURIComponent(entry.chatId)}/messages` : '/messages', {
    client_id: entry.clientId,
    content: entry.content,
    ...(entry.conversationFields && !entry.chatId ? { conversation_fields: entry.conversationFields } : {}),
  });
  return core.toMessage(res.message);
}

export async function sendCommand(core: Core, command: string): Promise<{ applied: string }> {
  if (typeof command !== 'string' || !command.startsWith('>cs')) throw new TypeError('sendCommand(command): expected a ">cs ..." command');
  await core.ready();
  return core.request('POST', '/commands', { command });
}

/** Tells the operators the visitor is typing (at most every 3 s) or stopped: one such function per client. */
export function typing(core: Core): (typing: boolean) => Promise<void> {
  let sentAt = 0;
  return async (typing) => {
    if (!core.token) return;
    const now = Date.now();
    if (typing && now - sentAt < 3000) return;
    sentAt = typing ? now : 0;
    await core.request('POST', '/typing', { typing }).catch(() => {});
  };
}

export async function markRead(core: Core): Promise<void> {
  if (!core.token) return;
  await core.request('POST', '/read').catch((e) => core.fail(e));
}
