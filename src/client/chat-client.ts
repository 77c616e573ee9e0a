import { Emitter } from '../emitter.js';
import { EMAIL, MAX_MESSAGE_LENGTH, type ChatStatus, type VisitorStreamEvent } from '../protocol/index.js';
import type { ChatMessage, ConnectionState, VisitorIdentity } from '../state/types.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { readEventStream } from './sse.js';
import type { KeyValueStorage } from './consent-storage.js';
import { recordPage, type Recording } from './cobrowse.js';

export interface ChatClientOptions {
  /** The widget public key (workspace or agent). */
  publicKey: string;
  /** The widget API base, e.g. `https://chat.example.com/api/widget` (a trailing `/messages` is taken off). */
  api: string;
  /** Where the session token and the outbox are kept; null keeps them in memory only. Default: localStorage. */
  storage?: KeyValueStorage | null;
  /** Back-off of retries, in ms. */
  retry?: { baseMs?: number; maxMs?: number };
  locale?: string;
}


function checkLang(method: string, lang: unknown): void {
  if (typeof lang !== 'string' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) {
    throw new TypeError(`${method}: expected a language code such as "en" or "fr-CA", got ${JSON.stringify(lang)}`);
  }
}

function checkMenuId(method: string, id: unknown): void {
  if (!(typeof id === 'number' && Number.isInteger(id) && id > 0) && !(typeof id === 'string' && /^[0-9]{1,15}$/.test(id))) {
    throw new TypeError(`${method}: expected a menu id (a positive whole number), got ${JSON.stringify(id)}`);
  }
}

function checkChatId(method: string, id: unknown): void {
  if (!((typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id)) || (typeof id === 'number' && Number.isInteger(id)))) {
    throw new TypeError(`${method}: expected a chat id, got ${JSON.stringify(id)}`);
  }
}

/** An error from the server or the network: `code` says what kind, `message` what is wrong. */
export class ChatError extends Error {
  constructor(readonly code: string, message: string, readonly status = 0, readonly fields?: Record<string, string>) {
    super(message);
    this.name = 'ChatError';
  }
}

export interface ClientContact {
  external_id?: string | null;
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  company?: string | null;
  avatar_url?: string | null;
  custom_data?: Record<string, unknown>;
  verified?: boolean;
}

/** A chat of the headless SDK: a conversation with a lifecycle. */
export interface Chat {
  id: string;
  status: ChatStatus;
  menu_id: number | null;
  lang: string | null;
  created_at: string;
  assigned_at: string | null;
  finished_at: string | null;
  agent: { id: string; name: string } | null;
  rating: number | null;
}

export interface MenuItem {
  id: number;
  name?: string;
  enabled: boolean;
  redirection?: { option: string; data: string };
  children?: MenuItem[];
  channels: { type: 'chat' | 'voice_call' | 'email'; enabled: boolean }[];
  deflection?: { enabled: boolean; type: string };
}

export interface ChatRequest {
  menu_id: number | string;
  lang: string;
  trigger_id?: string;
  ticket_id?: string;
  email?: string;
  greeting?: string;
  cobrowsable?: boolean;
}

export interface EmailRequest {
  name?: string;
  email: string;
  content: string;
  menu_id: number | string;
  lang: string;
  files?: File[] | FileList;
  recaptcha?: string;
}

export interface Call {
  id: string;
  status: 'queued' | 'scheduled' | 'done' | 'cancelled';
  menu_id: number | null;
  lang: string;
  phone_number: string;
  scheduled_at: string | null;
  recording_permission: boolean;
  created_at: string;
}

export interface CallRequest {
  menu_id: number | string;
  lang: string;
  phone_number: string;
  scheduled_at?: string;
  ticket_id?: string;
  email?: string;
  recording_permission?: boolean;
}

export interface TicketForm {
  key: string;
  title: string;
  fields: { name: string; label: string; type: 'text' | 'textarea' | 'email' | 'number' | 'select' | 'checkbox'; required: boolean; options?: string[]; max?: number }[];
}

export interface ArticleSummary {
  locale: string;
  slug: string;
  title: string;
  excerpt?: string;
}

export interface ChatClientEvents {
  /** The session is loaded (created or resumed), and again when a chat is created or loaded (with `chat`). */
  'chat.connected': { sessionId: string; resumed: boolean; unreadCount: number; contact: ClientContact | null; chat?: Chat };
  /** A chat's status changed. */
  'chat.updated': { chat: Pick<Chat, 'id' | 'status'> };
  /** An operator joined the chat. */
  'chat.memberJoined': { chatId: string; member: { name: string | null; type: string } };
  /** An operator left the chat (it finished). */
  'chat.memberLeft': { chatId: string; member: { type: string } };
  'chat.typingStarted': { chatId: string; name: string | null };
  'chat.typingEnded': { chatId: string; name: string | null };
  /** An operator read the visitor's messages up to `messageId`. */
  'chat.read': { chatId: string; messageId: string };
  /** Co-browsing started (the visitor agreed) or ended. */
  'cobrowse.started': { id: string };
  'cobrowse.ended': { id: string };
  /** `loadOngoingChat()` found a chat still going on. */
  'chat.ongoing': { chat: Chat };
  /** Upload progress of `sendFileMessage`. */
  'chat.upload': { name: string; loaded: number; total: number };
  /** A message arrived, or one of the visitor's changed status. */
  'chat.message': { message: ChatMessage };
  /** The whole history was (re)loaded: after connecting, identifying or resetting. */
  'chat.history': { messages: ChatMessage[] };
  /** The connection state changed. */
  'chat.status': { connection: ConnectionState };
  'chat.availability': { available: boolean };
  'chat.identified': { contact: ClientContact; verified: boolean };
  /**
   * The session now holds another person than before (identify as someone else, here or in another tab
   * of the session): the previous one's chat, outbox and realtime subscription are dropped; `chat.history`
   * with the new person's messages follows. Nothing of the previous person is emitted after it.
   */
  'chat.switched': { contact: ClientContact | null; verified: boolean; unreadCount: number };
  'chat.conversation': { id: string; status: string };
  'chat.reset': Record<string, never>;
  'chat.error': { code: string; message: string };
}

interface ServerMessage {
  id: string;
  client_id?: string | null;
  author: ChatMessage['author'];
  author_name?: string | null;
  content: string;
  created_at: string;
  attachment?: { id: string; name: string; mime: string; size: number } | null;
  data?: ChatMessage['data'] | null;
}

const toMessage = (m: ServerMessage, api: string, token: string | null): ChatMessage =>
  Object.freeze({
    id: m.id,
    ...(m.client_id ? { clientId: m.client_id } : {}),
    author: m.author,
    ...(m.author_name ? { authorName: m.author_name } : {}),
    content: m.content,
    createdAt: m.created_at,
    status: 'sent',
    ...(m.attachment ? { attachment: { ...m.attachment, url: `${api}/files/${m.attachment.id}?token=${encodeURIComponent(token ?? '')}` } } : {}),
    ...(m.data ? { data: m.data } : {}),
  });

/** Who a contact is, for telling whether the session still holds the same one. */
const contactKey = (c: ClientContact | null | undefined): string | null => (c ? JSON.stringify([c.external_id ?? null, c.email ?? null, c.name ?? null]) : null);

/** How a message of the outbox shows until the server has it. */
const outboxMessage = (e: OutboxEntry, status: 'pending' | 'failed'): ChatMessage =>
  Object.freeze({ id: e.clientId, clientId: e.clientId, author: 'visitor', content: e.content, createdAt: e.createdAt, status });

/** Answers of 5xx (or 408) after which a message is marked failed rather than retried again. */
const MAX_SERVER_ATTEMPTS = 4;

function defaultStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage denied (sandboxed iframe, privacy settings)
  }
}

/**
 * The headless client: the one path to the server. It needs no element:
 * `new ChatClient({publicKey, api})`, then `connect()`.
 */
export class ChatClient {
  readonly publicKey: string;
  readonly api: string;
  readonly #events = new Emitter<ChatClientEvents>();
  readonly #storage: KeyValueStorage | null;
  readonly #retry: { baseMs: number; maxMs: number };
  readonly #locale?: string;
  #token: string | null = null;
  /** The current chat of the headless SDK (kept in storage for `loadOngoingChat`). */
  #chatId: string | null = null;
  #fileRules: { prohibited: string[]; max_bytes: number } | null = null;
  readonly #pageStart = Date.now();
  #sessionId: string | null = null;
  #outbox: Outbox | null = null;
  #lastEventId = 0;
  #connection: ConnectionState = 'idle';
  #stream: AbortController | null = null;
  #streamAttempt = 0;
  #flushing = false;
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #flushAttempt = 0;
  #connecting: Promise<void> | null = null;
  #destroyed = false;
  readonly #onOnline = () => {
    this.#flushAttempt = 0;
    void this.#flush();
    if (!this.#stream && this.#token) this.#openStream();
  };

  constructor(options: ChatClientOptions) {
    if (!options || typeof options.publicKey !== 'string' || !options.publicKey) {
      throw new TypeError('ChatClient: options.publicKey must be the widget public key (a non-empty string)');
    }
    if (typeof options.api !== 'string' || !/^https?:\/\//.test(new URL(options.api, globalThis.location?.href).href)) {
      throw new TypeError('ChatClient: options.api must be the widget API URL, e.g. "https://chat.example.com/api/widget"');
    }
    this.publicKey = options.publicKey;
    this.api = new URL(options.api, globalThis.location?.href).href.replace(/\/+$/, '').replace(/\/messages$/, '');
    this.#storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.#retry = { baseMs: options.retry?.baseMs ?? 1000, maxMs: options.retry?.maxMs ?? 30_000 };
    this.#locale = options.locale;
    globalThis.addEventListener?.('online', this.#onOnline);
  }

  get sessionId(): string | null {
    return this.#sessionId;
  }

  /**
   * Another tab of this site has a session (its token, through the tabs' channel or
   * storage): use it, so that the tabs share one session and one conversation. What
   * waits in this tab's outbox goes along, into that session.
   */
  adoptSession(token: string): Promise<void> {
    if (!token || token === this.#token) return Promise.resolve();
    this.#adopted = token;
    const run: Promise<void> = this.#adopt(token).finally(() => {
      if (this.#adopting === run) this.#adopting = null;
    });
    this.#adopting = run;
    return run;
  }

  #adopting: Promise<void> | null = null;

  async #adopt(token: string): Promise<void> {
    // A connection under way ends first (it may resume that same session).
    if (this.#connecting) await this.#connecting.catch(() => {});
    if (this.#destroyed || this.#adopted !== token) return;
    if (token === this.#token) {
      this.#adopted = null;
      return;
    }
    if (this.#outbox) {
      // The messages not yet sent move to the shared session (its current conversation).
      this.#early.push(...this.#outbox.entries.map(({ chatId: _chatId, ...entry }) => entry));
      this.#outbox.clear();
      this.#outbox = null; // nothing is sent until the shared session is loaded (its connect sends them)
    }
    this.#storeToken(token);
    this.#stream?.abort();
    this.#stream = null;
    this.#token = null;
    this.#chatId = null;
    await this.connect();
  }

  /** The token that another tab announced, resumed on the next connection. */
  #adopted: string | null = null;
  #sharing: Promise<string | null> | null = null;

  /**
   * This tab may now keep its session (the visitor interacted, or the page allowed
   * storage): under the site's session lock, a session that another tab stored wins
   * (this tab adopts it, with its unsent messages); else this tab's own is stored for
   * the others. Messages wait until this is settled. Resolves with the token the
   * tabs now share (null while this tab has no session).
   */
  shareSession(): Promise<string | null> {
    this.#sharing ??= (async () => {
      try {
        if (this.#connecting) await this.#connecting.catch(() => {});
        const key = this.#key('session');
        const other = await this.#withSessionLock(async () => {
          const stored = this.#read(key);
          const mine = this.#adopted ?? this.#token;
          if (stored && stored !== mine) return stored;
          if (mine) this.#write(key, mine);
          return null;
        });
        if (other) await this.adoptSession(other).catch((error) => this.#fail(error));
        else if (this.#adopting) await this.#adopting.catch(() => {}); // announced by another tab meanwhile
        return this.#token;
      } finally {
        this.#sharing = null;
      }
    })();
    return this.#sharing;
  }

  /**
   * Runs `fn` holding this site's session lock (one per public key and API, across
   * its tabs: `navigator.locks`), so that reading the stored session, creating one
   * and storing it happen once for all tabs. Without Web Locks (or refused), `fn` runs at once.
   */
  #withSessionLock<T>(fn: () => Promise<T>): Promise<T> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks?.request) return fn();
    let ran = false;
    const held = locks.request(`chat-widget:session:${this.publicKey}:${this.api}`, () => {
      ran = true;
      return fn();
    }) as unknown as Promise<T>;
    // Locks refused (an opaque origin, a sandboxed frame): without them, as one tab does.
    return held.catch((error: unknown) => {
      if (ran) throw error;
      return fn();
    });
  }

  /**
   * Keeps the session token in storage, unless the storage says writing is not
   * allowed yet (a ConsentStorage before the visitor's first interaction): then it
   * stays in memory, and `shareSession()` stores it once allowed, unless another tab
   * stored one first.
   */
  #storeToken(token: string): void {
    if ((this.#storage as { allowed?: boolean } | null)?.allowed === false) return;
    this.#write(this.#key('session'), token);
  }

  /** The session token, to share with this site's other tabs. */
  get sessionToken(): string | null {
    return this.#token;
  }

  get connection(): ConnectionState {
    return this.#connection;
  }

  on<K extends keyof ChatClientEvents>(name: K, handler: (detail: ChatClientEvents[K]) => void): () => void {
    return this.#events.on(name, handler);
  }

  off<K extends keyof ChatClientEvents>(name: K, handler?: (detail: ChatClientEvents[K]) => void): void {
    this.#events.off(name, handler);
  }

  /** Creates or resumes the session, loads the history, opens the realtime stream and sends what waits in the outbox. */
  connect(): Promise<void> {
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = null));
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    this.#setConnection('connecting');
    const key = this.#key('session');
    let session: { session: { id: string; token: string }; stream_cursor: number; unread_count: number; available: boolean; resumed: boolean; contact: ClientContact | null };
    try {
      // Read the stored session, create or resume it, store it: once for all of the site's tabs.
      session = await this.#withSessionLock(async () => {
        // A session another tab stored wins; else one another tab announced; else this tab's own.
        const stored = this.#read(key) ?? this.#adopted ?? this.#token;
        const created = await this.#request('POST', '/sessions', {
          public_key: this.publicKey,
          ...(stored ? { session_token: stored } : {}),
          ...(this.#locale ? { locale: this.#locale } : {}),
          ...(globalThis.location ? { page_url: globalThis.location.href } : {}),
        }, false);
        this.#storeToken(created.session.token);
        return created;
      });
    } catch (error) {
      this.#setConnection(error instanceof ChatError && error.code === 'network' ? 'offline' : 'idle');
      this.#fail(error);
      if (error instanceof ChatError && error.code === 'network') this.#scheduleReconnect();
      throw error;
    }
    const previous = this.#outbox;
    if (previous && this.#sessionId !== session.session.id) {
      // Another session than before (one that another tab stored, or a new one after a 401):
      // what this tab had not sent yet goes into it, not lost with the old one.
      this.#early.unshift(...previous.entries.map(({ chatId: _chatId, ...entry }) => entry));
      previous.clear();
    } else if (previous) {
      this.#early.unshift(...previous.entries); // the same session: kept (known ones are not added twice)
    }
    this.#token = session.session.token;
    this.#sessionId = session.session.id;
    this.#adopted = null;
    this.#outbox = new Outbox(this.#storage, this.#key(`outbox:${this.#sessionId}`));
    // Messages sent before the session existed (or carried from another session) join its outbox.
    for (const e of this.#early.splice(0)) this.#outbox.add(e);
    this.#lastEventId = session.stream_cursor;
    this.#events.emit('chat.availability', { available: session.available });
    this.#events.emit('chat.connected', { sessionId: this.#sessionId, resumed: session.resumed, unreadCount: session.unread_count, contact: session.contact });
    this.#contactKey = contactKey(session.contact);
    if (session.contact) this.#events.emit('chat.identified', { contact: session.contact, verified: !!session.contact.verified });
    await this.#loadHistory();
    this.#openStream();
    void this.#flush();
  }

  /** Every message of the current conversation that the visitor may see, oldest first. */
  async fetchMessages(): Promise<ChatMessage[]> {
    await this.#ready();
    if (this.#chatId) {
      const res = await this.#request<{ messages: ServerMessage[] }>('GET', `/chats/${encodeURIComponent(this.#chatId)}/messages`);
      return res.messages.map((m) => this.#toMessage(m));
    }
    const all: ChatMessage[] = [];
    let after = '0';
    for (let page = 0; page < 50; page++) {
      const res = await this.#request<{ messages: ServerMessage[]; cursor: string }>('GET', `/messages?after=${after}&limit=500`);
      all.push(...res.messages.map((m) => this.#toMessage(m)));
      if (res.messages.length < 500) break;
      after = res.cursor;
    }
    return all;
  }

  async #loadHistory(): Promise<void> {
    const epoch = this.#epoch;
    const messages = await this.fetchMessages();
    // Reset or switched to another person meanwhile: that history was the previous one's.
    if (epoch !== this.#epoch) return;
    const pending = (this.#outbox?.entries ?? []).map((e) => outboxMessage(e, e.failed ? 'failed' : 'pending'));
    const known = new Set(messages.map((m) => m.clientId));
    this.#events.emit('chat.history', { messages: [...messages, ...pending.filter((p) => !known.has(p.clientId))] });
  }

  /** Sends a visitor message: it waits in the persisted outbox until the server has it. */
  async sendTextMessage(text: string, options: { clientId?: string; createdAt?: string; conversationFields?: Record<string, unknown> } = {}): Promise<ChatMessage> {
    if (typeof text !== 'string' || !text.trim()) throw new TypeError('sendTextMessage(text): expected a non-empty string');
    if (text.length > MAX_MESSAGE_LENGTH) throw new TypeError(`sendTextMessage(text): expected at most ${MAX_MESSAGE_LENGTH} characters, got ${text.length}`);
    const entry = {
      clientId: options.clientId ?? crypto.randomUUID?.() ?? `${Date.now()}${Math.random()}`.replace('.', ''),
      content: text,
      createdAt: options.createdAt ?? new Date().toISOString(),
      ...(options.conversationFields && Object.keys(options.conversationFields).length ? { conversationFields: options.conversationFields } : {}),
      ...(this.#chatId ? { chatId: this.#chatId } : {}),
    };
    const pending: ChatMessage = Object.freeze({ id: entry.clientId, clientId: entry.clientId, author: 'visitor', content: text, createdAt: entry.createdAt, status: 'pending' });
    if (!this.#outbox) {
      // Not connected yet: keep it in memory until the session exists.
      this.#early.push(entry);
      void this.connect().catch(() => {});
    } else {
      this.#outbox.add(entry);
      void this.#flush();
    }
    return pending;
  }

  #early: OutboxEntry[] = [];
  /** The outbox entry being sent now (identify waits for it). */
  #sending: Promise<unknown> | null = null;

  /**
   * Sends the outbox, one message at a time, in order:
   * - a refusal for good (a 4xx other than 401, 408 and 429: bad input, an unknown chat...)
   *   marks the message `failed`: it stays in the (persisted) outbox, shown with Retry and
   *   Discard, and is not sent again until retried; the next message goes on;
   * - a network error or a 429 holds everything (the next try after a capped back-off, or
   *   when the browser is online again); a 401 renews the session first;
   * - a 5xx (or 408) is retried with back-off, but the message moves behind the others, so
   *   that they go first, and after MAX_SERVER_ATTEMPTS such answers it is marked `failed`
   *   too: a message that breaks the server is not retried forever (a few seconds in all
   *   with the default back-off), and never holds the others back for more than one try.
   */
  async #flush(): Promise<void> {
    // While the tabs settle on one session, nothing goes to this tab's own.
    for (let wait = this.#sharing ?? this.#adopting; wait; wait = this.#sharing ?? this.#adopting) await wait.catch(() => {});
    if (!this.#outbox || this.#destroyed) return;
    for (const e of this.#early.splice(0)) this.#outbox.add(e);
    if (this.#flushing) return;
    this.#flushing = true;
    const outbox = this.#outbox;
    /** Messages that got a 5xx in this round: tried again after the back-off. */
    const deferred = new Set<string>();
    try {
      // Entries added meanwhile included. While identify() runs, nothing new starts: an entry
      // sent after a switch would go to the new person.
      for (let entry = this.#nextToSend(deferred); entry && !this.#identifying; entry = this.#nextToSend(deferred)) {
        if (this.#outbox !== outbox || this.#destroyed) return; // the session changed: its own flush takes over
        try {
          const sending = this.#request<{ message: ServerMessage }>('POST', entry.chatId ? `/chats/${encodeURIComponent(entry.chatId)}/messages` : '/messages', {
            client_id: entry.clientId,
            content: entry.content,
            ...(entry.conversationFields && !entry.chatId ? { conversation_fields: entry.conversationFields } : {}),
          });
          this.#sending = sending.catch(() => {});
          const res = await sending;
          // Reset or switched meanwhile: that message belongs to the previous visitor; nothing of it shows.
          if (this.#outbox !== outbox) return;
          outbox.remove(entry.clientId);
          this.#flushAttempt = 0;
          this.#events.emit('chat.message', { message: this.#toMessage(res.message) });
        } catch (error) {
          if (this.#outbox !== outbox) return;
          const e = error instanceof ChatError ? error : new ChatError('unexpected', String((error as Error)?.message ?? error));
          if (e.code === 'network' || e.status === 401 || e.status === 429) {
            if (e.status === 401) void this.#reconnectSession();
            this.#scheduleFlush();
            return;
          }
          const attempts = (entry.attempts ?? 0) + 1;
          if ((e.status >= 500 || e.status === 408) && attempts < MAX_SERVER_ATTEMPTS) {
            outbox.update(entry.clientId, (x) => ({ ...x, attempts }));
            outbox.moveToEnd(entry.clientId);
            deferred.add(entry.clientId);
            continue;
          }
          // Refused for good, or failing for too long: shown as failed, kept until retried or discarded.
          outbox.update(entry.clientId, (x) => ({ ...x, attempts, failed: { code: e.code, message: e.message } }));
          this.#events.emit('chat.message', { message: outboxMessage(entry, 'failed') });
          this.#fail(e);
        }
      }
      if (deferred.size) this.#scheduleFlush();
    } finally {
      this.#flushing = false;
    }
  }

  /** The first message that waits to be sent (not failed, not deferred in this round). */
  #nextToSend(deferred: ReadonlySet<string>): OutboxEntry | undefined {
    return this.#outbox?.entries.find((e) => !e.failed && !deferred.has(e.clientId));
  }

  /** Sends a message that the server refused again (its "Retry"). False when no failed message has this client id. */
  retryMessage(clientId: string): boolean {
    const entry = this.#outbox?.entries.find((e) => e.clientId === clientId && e.failed);
    if (!entry) return false;
    this.#outbox!.update(clientId, ({ failed: _failed, attempts: _attempts, ...rest }) => rest);
    this.#events.emit('chat.message', { message: outboxMessage(entry, 'pending') });
    this.#flushAttempt = 0;
    void this.#flush();
    return true;
  }

  /** Forgets a message that the server refused (its "Discard"). False when no failed message has this client id. */
  discardMessage(clientId: string): boolean {
    const entry = this.#outbox?.entries.find((e) => e.clientId === clientId && e.failed);
    if (!entry) return false;
    this.#outbox!.remove(clientId);
    return true;
  }

  #toMessage(m: ServerMessage): ChatMessage {
    return toMessage(m, this.api, this.#token);
  }

  #backoff(attempt: number): number {
    const ms = Math.min(this.#retry.maxMs, this.#retry.baseMs * 2 ** attempt);
    return ms / 2 + Math.random() * (ms / 2);
  }

  #scheduleFlush(): void {
    if (this.#flushTimer || this.#destroyed) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = null;
      void this.#flush();
    }, this.#backoff(this.#flushAttempt++));
  }

  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #scheduleReconnect(): void {
    if (this.#reconnectTimer || this.#destroyed) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      void this.connect().catch(() => {});
    }, this.#backoff(this.#streamAttempt++));
  }

  async #reconnectSession(): Promise<void> {
    this.#stream?.abort();
    this.#stream = null;
    await this.connect().catch(() => {});
  }

  /** Opens the SSE stream from the last event id; reconnects with back-off and fills the gap. */
  #openStream(): void {
    if (this.#destroyed || !this.#token) return;
    this.#stream?.abort();
    const controller = new AbortController();
    this.#stream = controller;
    const token = this.#token;
    void (async () => {
      try {
        const res = await fetch(`${this.api}/stream`, {
          headers: { accept: 'text/event-stream', authorization: `Bearer ${token}`, 'last-event-id': String(this.#lastEventId) },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (res.status === 401) {
          await this.#reconnectSession();
          return;
        }
        if (!res.ok || !res.body) throw new ChatError('stream_failed', `The realtime stream answered ${res.status}`, res.status);
        await readEventStream(res.body, (e) => {
          // A stream replaced (identify, reset) says nothing more, even what was already buffered.
          if (this.#stream !== controller) return;
          if (e.id) this.#lastEventId = Math.max(this.#lastEventId, Number(e.id) || 0);
          this.#onStreamEvent(e.event, e.data);
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        void error;
      }
      if (controller.signal.aborted || this.#destroyed) return;
      // The stream ended or failed: offline until it is back.
      this.#setConnection('offline');
      setTimeout(() => {
        if (this.#stream === controller && !this.#destroyed) this.#openStream();
      }, this.#backoff(this.#streamAttempt++));
    })();
  }

  #onStreamEvent(type: string, data: string): void {
    let payload: any;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    switch (type as VisitorStreamEvent | 'ready') {
      case 'ready':
        this.#streamAttempt = 0;
        this.#setConnection('online');
        this.#flushAttempt = 0;
        void this.#flush();
        break;
      case 'message':
        this.#events.emit('chat.message', { message: this.#toMessage(payload.message) });
        break;
      case 'session.switched':
        // The session's identity changed: ours (identify() handles it) or another tab's.
        void this.#followSwitch(!!payload.switched);
        break;
      case 'availability':
        this.#events.emit('chat.availability', { available: !!payload.available });
        break;
      case 'conversation.status':
        this.#events.emit('chat.conversation', { id: payload.conversation_id, status: payload.status });
        break;
      case 'chat.updated':
        this.#events.emit('chat.updated', { chat: { id: payload.chat_id, status: payload.status } });
        break;
      case 'chat.member_joined':
        this.#events.emit('chat.memberJoined', { chatId: payload.chat_id, member: payload.member });
        break;
      case 'chat.member_left':
        this.#events.emit('chat.memberLeft', { chatId: payload.chat_id, member: payload.member });
        break;
      case 'read':
        this.#events.emit('chat.read', { chatId: payload.chat_id, messageId: payload.message_id });
        break;
      case 'typing':
        this.#events.emit(payload.typing ? 'chat.typingStarted' : 'chat.typingEnded', { chatId: payload.chat_id, name: payload.name ?? null });
        break;
    }
  }


  // ---- the headless SDK (see shared/seeds/headless-web-sdk.txt) ----

  /** The company: name, subdomain, support email, languages and feature flags. */
  async getCompany(): Promise<{ name: string; subdomain: string; support_email: string; languages: { code: string; name: string }[]; action_tracking: boolean; email_transcripts: boolean; message_preview: boolean; email_enhancement: boolean }> {
    await this.#ready();
    return this.#request('GET', '/company');
  }

  /** The after-hours message when outside business hours, else null. */
  async getAfterHourMessage(lang?: string): Promise<string | null> {
    if (lang !== undefined) checkLang('getAfterHourMessage(lang)', lang);
    await this.#ready();
    return (await this.#request<{ open: boolean; message: string | null }>('GET', `/after-hours${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`)).message;
  }

  /** The menu tree of support topics; a direct key returns that topic alone (`direct.key` true). */
  async getMenus(key?: string, lang?: string): Promise<{ menus: MenuItem[]; direct: { key: boolean; user: boolean } }> {
    if (key !== undefined && key !== null && (typeof key !== 'string' || !key)) throw new TypeError('getMenus(key, lang): key must be a non-empty string');
    if (lang !== undefined) checkLang('getMenus(key, lang)', lang);
    await this.#ready();
    const q = new URLSearchParams({ ...(key ? { key } : {}), ...(lang ? { lang } : {}) });
    return this.#request('GET', `/menus${q.size ? `?${q}` : ''}`);
  }

  /** Expected waits in seconds for the menu's chat and call channels (null: nobody online, or no such channel). */
  async getWaitTimes(menuId: number | string, lang?: string): Promise<{ chat: number | null; voice_call: number | null }> {
    checkMenuId('getWaitTimes(menuId)', menuId);
    if (lang !== undefined) checkLang('getWaitTimes(menuId, lang)', lang);
    await this.#ready();
    const res = await this.#request<{ chat: number | null; voice_call: number | null }>('GET', `/menus/${menuId}/wait-times`);
    return { chat: res.chat, voice_call: res.voice_call };
  }

  /** The file extensions the workspace refuses. */
  async getProhibitedFileTypes(): Promise<string[]> {
    return (await this.#rules()).prohibited;
  }

  async #rules(): Promise<{ prohibited: string[]; max_bytes: number }> {
    await this.#ready();
    this.#fileRules ??= await this.#request('GET', '/file-types');
    return this.#fileRules!;
  }

  /** The proactive trigger that matches this page (address, seconds on page, visits), or null. */
  async getTrigger(): Promise<{ id: string; name: string; message: string; delay_seconds: number } | null> {
    await this.#ready();
    const q = new URLSearchParams({
      url: globalThis.location?.href ?? '',
      seconds: String(Math.floor((Date.now() - this.#pageStart) / 1000)),
      visits: String(this.#visits()),
    });
    return (await this.#request<{ trigger: { id: string; name: string; message: string; delay_seconds: number } | null }>('GET', `/trigger?${q}`)).trigger;
  }

  #visitCount = 0;
  /** Page loads of this site seen by the widget: counted once per client, kept in storage. */
  #visits(): number {
    if (!this.#visitCount) {
      const key = this.#key('visits');
      this.#visitCount = (Number(this.#read(key)) || 0) + 1;
      this.#write(key, String(this.#visitCount));
    }
    return this.#visitCount;
  }

  /** Creates a chat on a menu; with deflection on, the virtual agent answers first. */
  async createChat(data: ChatRequest, customData?: Record<string, unknown>): Promise<Chat> {
    if (!data || typeof data !== 'object') throw new TypeError('createChat(data): expected {menu_id, lang, ...}');
    checkMenuId('createChat({menu_id})', data.menu_id);
    checkLang('createChat({lang})', data.lang);
    if (data.email !== undefined && !EMAIL.test(data.email)) throw new TypeError(`createChat({email}): not an email address: ${JSON.stringify(data.email)}`);
    if (customData !== undefined && (typeof customData !== 'object' || customData === null || Array.isArray(customData))) {
      throw new TypeError('createChat(data, customData): customData must be a plain object');
    }
    await this.#ready();
    const chat = await this.#request<Chat>('POST', '/chats', { ...data, menu_id: Number(data.menu_id), ...(customData ? { custom_data: customData } : {}) });
    return this.#useChat(chat);
  }

  #useChat(chat: Chat): Chat {
    this.#chatId = chat.status === 'finished' || chat.status === 'dismissed' ? this.#chatId : chat.id;
    if (this.#chatId) this.#write(this.#key('chat'), this.#chatId);
    this.#events.emit('chat.connected', { sessionId: this.#sessionId!, resumed: false, unreadCount: 0, contact: null, chat });
    return chat;
  }

  /** A chat of this visitor, by id. */
  async loadChat(chatId: number | string): Promise<Chat> {
    checkChatId('loadChat(chatId)', chatId);
    await this.#ready();
    return this.#useChat(await this.#request<Chat>('GET', `/chats/${encodeURIComponent(String(chatId))}`));
  }

  /** Resumes a dismissed chat. */
  async resumeChat(chatId: number | string): Promise<Chat> {
    checkChatId('resumeChat(chatId)', chatId);
    await this.#ready();
    return this.#useChat(await this.#request<Chat>('POST', `/chats/${encodeURIComponent(String(chatId))}/resume`));
  }

  /** The chat still going on (its id kept in storage, or the server's), or null. */
  async loadOngoingChat(): Promise<Chat | null> {
    await this.#ready();
    const stored = this.#read(this.#key('chat'));
    let chat: Chat | null = null;
    if (stored) chat = await this.#request<Chat>('GET', `/chats/${encodeURIComponent(stored)}`).catch(() => null);
    if (!chat || chat.status === 'finished' || chat.status === 'dismissed') {
      chat = (await this.#request<{ chat: Chat | null }>('GET', '/chats/ongoing')).chat;
    }
    if (!chat) {
      this.#chatId = null;
      this.#remove(this.#key('chat'));
      return null;
    }
    this.#useChat(chat);
    this.#events.emit('chat.ongoing', { chat });
    return chat;
  }

  #currentChat(method: string): string {
    if (!this.#chatId) throw new ChatError('no_chat', `${method}: there is no current chat; call createChat() or loadOngoingChat() first`);
    return this.#chatId;
  }

  /** The deflection settings of the current chat's menu, or null. */
  async getChatDeflection(): Promise<{ enabled: boolean; threshold: number; keep_waiting: boolean } | null> {
    const id = this.#currentChat('getChatDeflection()');
    return (await this.#request<{ deflection: { enabled: boolean; threshold: number; keep_waiting: boolean } | null }>('GET', `/chats/${id}/deflection`)).deflection;
  }

  /** Hands the current chat from the virtual agent to the human queue. */
  async escalateChat(): Promise<Chat> {
    return this.#request<Chat>('POST', `/chats/${this.#currentChat('escalateChat()')}/escalate`);
  }

  /** Finishes the current chat; then sendChatRate and sendChatSurvey apply. */
  async finishChat(): Promise<Chat> {
    return this.#request<Chat>('POST', `/chats/${this.#currentChat('finishChat()')}/finish`);
  }

  /** Dismisses the current chat (resumeChat brings it back). */
  async destroyChat(): Promise<Chat> {
    const id = this.#currentChat('destroyChat()');
    const chat = await this.#request<Chat>('DELETE', `/chats/${id}`);
    this.#remove(this.#key('chat'));
    return chat;
  }

  /** Sends a file in the current chat, after checking it against the workspace's rules; `chat.upload` reports progress. */
  async sendFileMessage(file: File | Blob & { name?: string }): Promise<ChatMessage> {
    if (!(file instanceof Blob)) throw new TypeError('sendFileMessage(file): expected a File (from an <input type="file">)');
    const name = (file as File).name ?? 'file';
    const rules = await this.#rules();
    const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
    if (rules.prohibited.includes(ext)) throw new ChatError('prohibited_file_type', `Files of type .${ext} are not accepted`, 415);
    if (file.size > rules.max_bytes) {
      throw new ChatError('file_too_large', `The file is ${(file.size / 1048576).toFixed(1)} MB; at most ${(rules.max_bytes / 1048576).toFixed(0)} MB is accepted`, 413);
    }
    if (file.size === 0) throw new ChatError('empty_file', 'The file is empty', 400);
    const id = this.#currentChat('sendFileMessage(file)');
    const res = await this.#upload<{ message: ServerMessage }>(`/chats/${id}/files`, file, name);
    const message = this.#toMessage(res.message);
    this.#events.emit('chat.message', { message });
    return message;
  }

  /** A multipart upload with progress (XMLHttpRequest: fetch reports no upload progress). */
  #upload<T>(path: string, file: Blob, name: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.api + path);
      xhr.setRequestHeader('authorization', `Bearer ${this.#token}`);
      xhr.upload.onprogress = (e) => this.#events.emit('chat.upload', { name, loaded: e.loaded, total: e.total || file.size });
      xhr.onerror = () => reject(new ChatError('network', `Could not reach ${this.api}; the file was not sent`));
      xhr.onload = () => {
        let json: any = null;
        try {
          json = JSON.parse(xhr.responseText);
        } catch {
          json = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(json as T);
        else reject(new ChatError(json?.error?.code ?? 'http_error', json?.error?.message ?? `The server answered ${xhr.status}`, xhr.status));
      };
      const form = new FormData();
      form.append('file', file, name);
      xhr.send(form);
    });
  }

  /** Mails the current chat's transcript to up to five addresses. */
  async sendChatTranscripts(emails: string[]): Promise<{ id: string; status: string }> {
    if (!Array.isArray(emails) || !emails.length || emails.length > 5) throw new TypeError('sendChatTranscripts(emails): expected an array of 1 to 5 email addresses');
    const bad = emails.filter((e) => typeof e !== 'string' || !EMAIL.test(e));
    if (bad.length) throw new TypeError(`sendChatTranscripts(emails): not an email address: ${bad.map((e) => JSON.stringify(e)).join(', ')}`);
    return this.#request('POST', `/chats/${this.#currentChat('sendChatTranscripts()')}/transcripts`, { emails });
  }

  /** Rates the current (finished) chat: 1 to 5, with optional feedback. */
  async sendChatRate(input: { rating: number; feedback?: string }): Promise<{ rating: number; feedback: string | null }> {
    if (!input || !Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw new TypeError('sendChatRate({rating}): rating must be a whole number from 1 to 5');
    if (input.feedback !== undefined && typeof input.feedback !== 'string') throw new TypeError('sendChatRate({feedback}): feedback must be a string');
    return this.#request('POST', `/chats/${this.#currentChat('sendChatRate()')}/rate`, input);
  }

  /** The survey questions, with their types and valid answers. */
  async getChatSurvey(lang?: string): Promise<{ sign_off_display_text: string; questions: { id: number; type: string; display_text: string; valid_answers?: unknown[] }[] }> {
    await this.#ready();
    return this.#request('GET', `/survey${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`);
  }

  /** Answers the survey for the current (finished) chat: `{question_id: answer}`; the server checks each answer. */
  async sendChatSurvey(answers: Record<string, number | string>): Promise<{ answered: number }> {
    if (!answers || typeof answers !== 'object' || Array.isArray(answers) || !Object.keys(answers).length) {
      throw new TypeError('sendChatSurvey(answers): expected {question_id: answer, ...}');
    }
    return this.#request('POST', `/chats/${this.#currentChat('sendChatSurvey()')}/survey`, { answers });
  }

  /** Creates an email ticket (with files, uploaded first). */
  async createEmail(input: EmailRequest): Promise<{ id: string; status: string }> {
    if (!input || typeof input !== 'object') throw new TypeError('createEmail(data): expected {email, content, menu_id, lang}');
    if (typeof input.email !== 'string' || !EMAIL.test(input.email)) throw new TypeError(`createEmail({email}): not an email address: ${JSON.stringify(input.email)}`);
    if (typeof input.content !== 'string' || !input.content.trim()) throw new TypeError('createEmail({content}): expected a non-empty string');
    checkMenuId('createEmail({menu_id})', input.menu_id);
    checkLang('createEmail({lang})', input.lang);
    await this.#ready();
    const fileIds: string[] = [];
    for (const file of Array.from(input.files ?? [])) {
      fileIds.push((await this.#upload<{ id: string }>('/files', file, file.name)).id);
    }
    const { files: _files, ...rest } = input;
    return this.#request('POST', '/emails', { ...rest, menu_id: Number(input.menu_id), ...(fileIds.length ? { file_ids: fileIds } : {}) });
  }

  // ---- calls, booking and co-browsing ----

  /** Free callback slots of a menu with the voice channel: "2023-05-31 11:45 +0000". */
  async getTimeSlots(menuId: number | string, lang = 'en'): Promise<string[]> {
    checkMenuId('getTimeSlots(menuId)', menuId);
    checkLang('getTimeSlots(menuId, lang)', lang);
    await this.#ready();
    return (await this.#request<{ slots: string[] }>('GET', `/menus/${menuId}/time-slots?lang=${encodeURIComponent(lang)}`)).slots;
  }

  /** An instant callback request or, with `scheduled_at`, a scheduled one. */
  async createCall(input: CallRequest): Promise<Call> {
    if (!input || typeof input !== 'object') throw new TypeError('createCall(data): expected {menu_id, lang, phone_number, ...}');
    checkMenuId('createCall({menu_id})', input.menu_id);
    checkLang('createCall({lang})', input.lang);
    if (typeof input.phone_number !== 'string' || !/^\+[1-9]\d{6,14}$/.test(input.phone_number)) {
      throw new TypeError(`createCall({phone_number}): expected an E.164 number such as "+14155550123", got ${JSON.stringify(input.phone_number)}`);
    }
    if (input.scheduled_at !== undefined && typeof input.scheduled_at !== 'string') throw new TypeError('createCall({scheduled_at}): expected a time such as "2023-05-31T11:45+0000"');
    await this.#ready();
    return this.#request('POST', '/calls', { ...input, menu_id: Number(input.menu_id) });
  }

  async loadCall(callId: number | string): Promise<Call> {
    checkChatId('loadCall(callId)', callId);
    await this.#ready();
    return this.#request('GET', `/calls/${encodeURIComponent(String(callId))}`);
  }

  async cancelCall(callId: number | string): Promise<Call> {
    checkChatId('cancelCall(callId)', callId);
    await this.#ready();
    return this.#request('POST', `/calls/${encodeURIComponent(String(callId))}/cancel`);
  }

  /** The workspace's meeting types (for booking). */
  async getMeetingTypes(lang = 'en'): Promise<{ id: number; name: string; duration_minutes: number }[]> {
    await this.#ready();
    return (await this.#request<{ meeting_types: { id: number; name: string; duration_minutes: number }[] }>('GET', `/meeting-types?lang=${encodeURIComponent(lang)}`)).meeting_types;
  }

  /** Free start times (ISO 8601) of a meeting type. */
  async getMeetingSlots(meetingTypeId: number): Promise<string[]> {
    checkMenuId('getMeetingSlots(meetingTypeId)', meetingTypeId);
    await this.#ready();
    return (await this.#request<{ slots: string[] }>('GET', `/meeting-types/${meetingTypeId}/slots`)).slots;
  }

  /** Books a slot; a slot taken meanwhile rejects with `slot_taken` and `next_slots`. */
  async bookMeeting(input: { meeting_type_id: number; starts_at: string; name: string; email: string }): Promise<{ id: string; starts_at: string; ends_at: string; status: string }> {
    checkMenuId('bookMeeting({meeting_type_id})', input?.meeting_type_id);
    if (typeof input.name !== 'string' || !input.name.trim()) throw new TypeError('bookMeeting({name}): expected a name');
    if (typeof input.email !== 'string' || !EMAIL.test(input.email)) throw new TypeError(`bookMeeting({email}): not an email address: ${JSON.stringify(input.email)}`);
    await this.#ready();
    return this.#request('POST', '/bookings', input);
  }

  #cobrowse: { id: string; recording: Recording | null } | null = null;

  /** A six-digit code, valid ten minutes, that the visitor reads to an operator. */
  async createCobrowseCode(): Promise<{ id: string; code: string; expires_at: string }> {
    await this.#ready();
    const code = await this.#request<{ id: string; code: string; expires_at: string }>('POST', '/cobrowse/code');
    this.#cobrowse = { id: code.id, recording: null };
    return code;
  }

  /**
   * Starts co-browsing: call it once the visitor has agreed. The page is
   * recorded (every input value masked) and streamed to the operators until
   * `stopCobrowse()` or the page goes away.
   */
  async startCobrowse(): Promise<{ id: string }> {
    await this.#ready();
    if (this.#cobrowse?.recording) return { id: this.#cobrowse.id };
    const started = await this.#request<{ id: string }>('POST', '/cobrowse/start', this.#cobrowse ? { id: this.#cobrowse.id } : {});
    const id = started.id;
    const recording = await recordPage(async (events, final) => {
      if (events.length) await this.#request('POST', `/cobrowse/${id}/events`, { events }, true, final);
      if (final) await this.#request('POST', `/cobrowse/${id}/stop`, undefined, true, true).catch(() => {});
    });
    this.#cobrowse = { id, recording };
    this.#events.emit('cobrowse.started', { id });
    return { id };
  }

  /** Stops co-browsing now. */
  async stopCobrowse(): Promise<void> {
    const current = this.#cobrowse;
    if (!current?.recording) return;
    this.#cobrowse = null;
    current.recording.stop();
    this.#events.emit('cobrowse.ended', { id: current.id });
  }

  // ---- the full messenger: ticket forms, help center, visitor data ----

  async getTicketForms(lang?: string): Promise<TicketForm[]> {
    if (lang !== undefined) checkLang('getTicketForms(lang)', lang);
    await this.#ready();
    return (await this.#request<{ forms: TicketForm[] }>('GET', `/ticket-forms${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`)).forms;
  }

  /** Submits a ticket; invalid fields reject with a ChatError whose `fields` says what is wrong with each. */
  async createTicket(formKey: string, fields: Record<string, string | number | boolean | null>): Promise<{ id: string; form_key: string; status: string }> {
    if (typeof formKey !== 'string' || !formKey) throw new TypeError('createTicket(formKey, fields): formKey must be a form key such as "bug_report"');
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new TypeError('createTicket(formKey, fields): fields must be an object');
    await this.#ready();
    return this.#request('POST', '/tickets', { form_key: formKey, fields });
  }

  /** Help-center articles: matching `query` (full text), or all of the locale. */
  async searchArticles(query: string, locale = 'en'): Promise<ArticleSummary[]> {
    if (typeof query !== 'string') throw new TypeError('searchArticles(query): query must be a string');
    checkLang('searchArticles(query, locale)', locale);
    await this.#ready();
    const q = new URLSearchParams({ locale, ...(query.trim() ? { q: query.trim() } : {}) });
    return (await this.#request<{ articles: ArticleSummary[] }>('GET', `/articles?${q}`)).articles;
  }

  async getArticle(locale: string, slug: string): Promise<ArticleSummary & { body: string }> {
    checkLang('getArticle(locale, slug)', locale);
    if (typeof slug !== 'string' || !/^[a-z0-9][a-z0-9-]{0,99}$/.test(slug)) throw new TypeError(`getArticle(locale, slug): not an article slug: ${JSON.stringify(slug)}`);
    await this.#ready();
    return this.#request('GET', `/articles/${encodeURIComponent(locale)}/${encodeURIComponent(slug)}`);
  }

  #sessionWrites: Promise<unknown> = Promise.resolve();

  /**
   * Merges `data` into the session's data and/or replaces its segments. Updates go one
   * after another, in the order they were made: the last segments set are the ones kept.
   */
  updateSessionData(update: { data?: Record<string, unknown>; segments?: string[] }): Promise<{ data: Record<string, unknown>; segments: string[] }> {
    const write = this.#sessionWrites.then(async () => {
      await this.#ready();
      return this.#request<{ data: Record<string, unknown>; segments: string[] }>('POST', '/session-data', update);
    });
    this.#sessionWrites = write.catch(() => {});
    return write;
  }

  #identifying = 0;
  /** The contact last seen from the server (identify or session), to tell a switch made by another tab of the session from ours. */
  #contactKey: string | null = null;

  /**
   * Connects the visitor to a customer identity (plain, user_hash, email_hash or jwt); history switches to theirs.
   * When the server answers that the session now holds another person (`switched`), everything of the
   * previous one goes: the chat id, the unsent outbox entries (they were the previous person's: dropped,
   * never sent as the new one), and the stream (reopened: the server addresses it to the new contact).
   */
  async identify(identity: VisitorIdentity & { id?: string; user_hash?: string; email_hash?: string; jwt?: string }): Promise<{ contact: ClientContact; verified: boolean }> {
    await this.#ready();
    this.#identifying++;
    let res: { contact: ClientContact; verified: boolean; switched?: boolean; unread_count: number };
    try {
      // A message being sent now goes first, as the current person; the rest waits for the answer.
      await this.#sending;
      res = await this.#request('POST', '/identify', identity);
    } catch (error) {
      this.#identifying--;
      void this.#flush(); // refused or unreachable: the same person still, their messages go on
      throw error;
    }
    this.#identifying--;
    this.#contactKey = contactKey(res.contact);
    if (res.switched) this.#switched(res.contact, res.verified, res.unread_count);
    this.#events.emit('chat.identified', { contact: res.contact, verified: res.verified });
    // The realtime channel follows the new identity; nothing of the previous visitor stays.
    this.#openStream();
    await this.#loadHistory();
    void this.#flush();
    return res;
  }

  /** Counts resets and switches of person: an answer that started before one belongs to the previous visitor. */
  #epoch = 0;

  /** Drops what belonged to the person the session held before, and says so. */
  #switched(contact: ClientContact | null, verified: boolean, unreadCount: number): void {
    this.#epoch++;
    this.#stream?.abort();
    this.#stream = null;
    this.#outbox?.clear();
    this.#early = [];
    this.#chatId = null;
    this.#remove(this.#key('chat'));
    this.#events.emit('chat.switched', { contact, verified, unreadCount });
  }

  /** Another tab of this session identified (a `session.switched` we did not cause): follow it. */
  async #followSwitch(switched: boolean): Promise<void> {
    const token = this.#token;
    if (!token || this.#identifying) return;
    const s = await this.#request<{ session: { token: string }; contact: ClientContact | null; unread_count: number }>(
      'POST', '/sessions', { public_key: this.publicKey, session_token: token }, false,
    ).catch(() => null);
    if (!s || s.session.token !== token || token !== this.#token || this.#identifying) return;
    const key = contactKey(s.contact);
    if (key === this.#contactKey) return; // ours, already followed
    this.#contactKey = key;
    if (switched) this.#switched(s.contact, !!s.contact?.verified, s.unread_count);
    if (s.contact) this.#events.emit('chat.identified', { contact: s.contact, verified: !!s.contact.verified });
    this.#openStream();
    await this.#loadHistory();
  }

  /** A short-lived signed token for a verified visitor, or null. */
  async identityToken(): Promise<string | null> {
    await this.#ready();
    return (await this.#request<{ token: string | null }>('POST', '/identity-token')).token;
  }

  /** A web1on1 `>cs` command, applied by the server to the current conversation. */
  async sendCommand(command: string): Promise<{ applied: string }> {
    if (typeof command !== 'string' || !command.startsWith('>cs')) throw new TypeError('sendCommand(command): expected a ">cs ..." command');
    await this.#ready();
    return this.#request('POST', '/commands', { command });
  }

  #typingSentAt = 0;
  /** Tells the operators the visitor is typing (at most every 3 s) or stopped. */
  async sendTyping(typing: boolean): Promise<void> {
    if (!this.#token) return;
    const now = Date.now();
    if (typing && now - this.#typingSentAt < 3000) return;
    this.#typingSentAt = typing ? now : 0;
    await this.#request('POST', '/typing', { typing }).catch(() => {});
  }

  async markRead(): Promise<void> {
    if (!this.#token) return;
    await this.#request('POST', '/read').catch((e) => this.#fail(e));
  }

  async trackEvent(name: string, data: Record<string, unknown> = {}): Promise<void> {
    await this.#ready();
    await this.#request('POST', '/events', { name, data });
  }

  async presence(pageUrl?: string): Promise<boolean> {
    await this.#ready();
    return (await this.#request<{ available: boolean }>('POST', '/presence', pageUrl ? { page_url: pageUrl } : {})).available;
  }

  /** Records a CSAT (1-5) or NPS (0-10) response. */
  async sendSurveyResponse(response: { type: 'csat' | 'nps'; score: number; comment?: string }): Promise<void> {
    await this.#ready();
    await this.#request('POST', '/csat', response);
  }

  /** Forgets this visitor: a new anonymous session, in place. */
  async resetSession(): Promise<void> {
    this.#epoch++;
    this.#stream?.abort();
    this.#stream = null;
    this.#outbox?.clear();
    this.#early = [];
    this.#remove(this.#key('session'));
    this.#remove(this.#key('chat'));
    this.#chatId = null;
    this.#token = null;
    this.#sessionId = null;
    this.#outbox = null;
    this.#contactKey = null;
    this.#events.emit('chat.reset', {});
    await this.connect();
  }

  /** Closes the stream, cancels retries and removes every listener. */
  destroy(): void {
    void this.stopCobrowse();
    this.#destroyed = true;
    this.#stream?.abort();
    this.#stream = null;
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    globalThis.removeEventListener?.('online', this.#onOnline);
    this.#events.clear();
  }

  async #ready(): Promise<void> {
    if (!this.#token) await this.connect();
  }

  #setConnection(state: ConnectionState): void {
    if (this.#connection === state) return;
    this.#connection = state;
    this.#events.emit('chat.status', { connection: state });
  }

  #fail(error: unknown): void {
    const e = error instanceof ChatError ? error : new ChatError('unexpected', String((error as Error)?.message ?? error));
    this.#events.emit('chat.error', { code: e.code, message: e.message });
  }

  async #request<T = any>(method: string, path: string, body?: unknown, auth = true, keepalive = false): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.#token) headers.authorization = `Bearer ${this.#token}`;
    let res: Response;
    try {
      res = await fetch(this.api + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout?.(15_000),
        cache: 'no-store',
        // A last batch sent as the page goes away must outlive it.
        ...(keepalive ? { keepalive: true } : {}),
      });
    } catch {
      this.#setConnection('offline');
      throw new ChatError('network', `Could not reach ${this.api}; will retry when the connection is back`);
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const error = new ChatError(json?.error?.code ?? 'http_error', json?.error?.message ?? `The server answered ${res.status}`, res.status, json?.error?.fields);
      if (Array.isArray(json?.error?.next_slots)) Object.assign(error, { next_slots: json.error.next_slots as string[] });
      throw error;
    }
    return json as T;
  }

  #key(name: string): string {
    return `chat-widget:${this.publicKey}:${name}`;
  }
  #read(key: string): string | null {
    try {
      return this.#storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }
  #write(key: string, value: string): void {
    try {
      this.#storage?.setItem(key, value);
    } catch {
      /* denied: kept in memory */
    }
  }
  #remove(key: string): void {
    try {
      this.#storage?.removeItem(key);
    } catch {
      /* denied */
    }
  }
}
