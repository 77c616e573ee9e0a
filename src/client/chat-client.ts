import { Emitter } from '../emitter.js';
import type { ChatMessage, ConnectionState, VisitorIdentity } from '../state/types.js';
import { Outbox } from './outbox.js';
import { readEventStream } from './sse.js';

export interface ChatClientOptions {
  /** The widget public key (workspace or agent). */
  publicKey: string;
  /** The widget API base, e.g. `https://chat.example.com/api/widget` (a trailing `/messages` is taken off). */
  api: string;
  /** Where the session token and the outbox are kept; null keeps them in memory only. Default: localStorage. */
  storage?: Storage | null;
  /** Back-off of retries, in ms. */
  retry?: { baseMs?: number; maxMs?: number };
  locale?: string;
}

/** An error from the server or the network: `code` says what kind, `message` what is wrong. */
export class ChatError extends Error {
  constructor(readonly code: string, message: string, readonly status = 0) {
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

export interface ChatClientEvents {
  /** The session is loaded (created or resumed). */
  'chat.connected': { sessionId: string; resumed: boolean; unreadCount: number; contact: ClientContact | null };
  /** A message arrived, or one of the visitor's changed status. */
  'chat.message': { message: ChatMessage };
  /** The whole history was (re)loaded: after connecting, identifying or resetting. */
  'chat.history': { messages: ChatMessage[] };
  /** The connection state changed. */
  'chat.status': { connection: ConnectionState };
  'chat.availability': { available: boolean };
  'chat.identified': { contact: ClientContact; verified: boolean };
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
}

const toMessage = (m: ServerMessage): ChatMessage =>
  Object.freeze({
    id: m.id,
    ...(m.client_id ? { clientId: m.client_id } : {}),
    author: m.author,
    ...(m.author_name ? { authorName: m.author_name } : {}),
    content: m.content,
    createdAt: m.created_at,
    status: 'sent',
  });

function defaultStorage(): Storage | null {
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
  readonly #storage: Storage | null;
  readonly #retry: { baseMs: number; maxMs: number };
  readonly #locale?: string;
  #token: string | null = null;
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
    const stored = this.#read(key);
    let session: { session: { id: string; token: string }; stream_cursor: number; unread_count: number; available: boolean; resumed: boolean; contact: ClientContact | null };
    try {
      session = await this.#request('POST', '/sessions', {
        public_key: this.publicKey,
        ...(stored ? { session_token: stored } : {}),
        ...(this.#locale ? { locale: this.#locale } : {}),
        ...(globalThis.location ? { page_url: globalThis.location.href } : {}),
      }, false);
    } catch (error) {
      this.#setConnection(error instanceof ChatError && error.code === 'network' ? 'offline' : 'idle');
      this.#fail(error);
      if (error instanceof ChatError && error.code === 'network') this.#scheduleReconnect();
      throw error;
    }
    this.#token = session.session.token;
    this.#sessionId = session.session.id;
    this.#write(key, this.#token);
    this.#outbox = new Outbox(this.#storage, this.#key(`outbox:${this.#sessionId}`));
    this.#lastEventId = session.stream_cursor;
    this.#events.emit('chat.availability', { available: session.available });
    this.#events.emit('chat.connected', { sessionId: this.#sessionId, resumed: session.resumed, unreadCount: session.unread_count, contact: session.contact });
    if (session.contact) this.#events.emit('chat.identified', { contact: session.contact, verified: !!session.contact.verified });
    await this.#loadHistory();
    this.#openStream();
    void this.#flush();
  }

  /** Every message of the current conversation that the visitor may see, oldest first. */
  async fetchMessages(): Promise<ChatMessage[]> {
    await this.#ready();
    const all: ChatMessage[] = [];
    let after = '0';
    for (let page = 0; page < 50; page++) {
      const res = await this.#request<{ messages: ServerMessage[]; cursor: string }>('GET', `/messages?after=${after}&limit=500`);
      all.push(...res.messages.map(toMessage));
      if (res.messages.length < 500) break;
      after = res.cursor;
    }
    return all;
  }

  async #loadHistory(): Promise<void> {
    const messages = await this.fetchMessages();
    const pending = (this.#outbox?.entries ?? []).map((e) =>
      Object.freeze({ id: e.clientId, clientId: e.clientId, author: 'visitor' as const, content: e.content, createdAt: e.createdAt, status: 'pending' as const }),
    );
    const known = new Set(messages.map((m) => m.clientId));
    this.#events.emit('chat.history', { messages: [...messages, ...pending.filter((p) => !known.has(p.clientId))] });
  }

  /** Sends a visitor message: it waits in the persisted outbox until the server has it. */
  async sendTextMessage(text: string, options: { clientId?: string; createdAt?: string; conversationFields?: Record<string, unknown> } = {}): Promise<ChatMessage> {
    if (typeof text !== 'string' || !text.trim()) throw new TypeError('sendTextMessage(text): expected a non-empty string');
    if (text.length > 10_000) throw new TypeError(`sendTextMessage(text): expected at most 10000 characters, got ${text.length}`);
    const entry = {
      clientId: options.clientId ?? crypto.randomUUID?.() ?? `${Date.now()}${Math.random()}`.replace('.', ''),
      content: text,
      createdAt: options.createdAt ?? new Date().toISOString(),
      ...(options.conversationFields && Object.keys(options.conversationFields).length ? { conversationFields: options.conversationFields } : {}),
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

  #early: { clientId: string; content: string; createdAt: string; conversationFields?: Record<string, unknown> }[] = [];

  /** Sends the outbox in order; on a network or server failure, retries with back-off. */
  async #flush(): Promise<void> {
    if (!this.#outbox || this.#destroyed) return;
    for (const e of this.#early.splice(0)) this.#outbox.add(e);
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      for (const entry of [...this.#outbox.entries]) {
        try {
          const res = await this.#request<{ message: ServerMessage }>('POST', '/messages', {
            client_id: entry.clientId,
            content: entry.content,
            ...(entry.conversationFields ? { conversation_fields: entry.conversationFields } : {}),
          });
          this.#outbox.remove(entry.clientId);
          this.#flushAttempt = 0;
          this.#events.emit('chat.message', { message: toMessage(res.message) });
        } catch (error) {
          if (error instanceof ChatError && (error.code === 'network' || error.status >= 500 || error.status === 429 || error.status === 401)) {
            if (error.status === 401) void this.#reconnectSession();
            this.#scheduleFlush();
            return;
          }
          // The server refused it for good (bad input): say so, and drop it.
          this.#outbox.remove(entry.clientId);
          this.#events.emit('chat.message', {
            message: Object.freeze({ id: entry.clientId, clientId: entry.clientId, author: 'visitor', content: entry.content, createdAt: entry.createdAt, status: 'failed' }),
          });
          this.#fail(error);
        }
      }
    } finally {
      this.#flushing = false;
    }
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
    switch (type) {
      case 'ready':
        this.#streamAttempt = 0;
        this.#setConnection('online');
        this.#flushAttempt = 0;
        void this.#flush();
        break;
      case 'message':
        this.#events.emit('chat.message', { message: toMessage(payload.message) });
        break;
      case 'availability':
        this.#events.emit('chat.availability', { available: !!payload.available });
        break;
      case 'conversation.status':
        this.#events.emit('chat.conversation', { id: payload.conversation_id, status: payload.status });
        break;
    }
  }

  /** Connects the visitor to a customer identity (plain, user_hash, email_hash or jwt); history switches to theirs. */
  async identify(identity: VisitorIdentity & { id?: string; user_hash?: string; email_hash?: string; jwt?: string }): Promise<{ contact: ClientContact; verified: boolean }> {
    await this.#ready();
    const res = await this.#request<{ contact: ClientContact; verified: boolean; unread_count: number }>('POST', '/identify', identity);
    this.#events.emit('chat.identified', { contact: res.contact, verified: res.verified });
    // The realtime channel follows the new identity; nothing of the previous visitor stays.
    this.#openStream();
    await this.#loadHistory();
    return res;
  }

  /** A short-lived signed token for a verified visitor, or null. */
  async identityToken(): Promise<string | null> {
    await this.#ready();
    return (await this.#request<{ token: string | null }>('POST', '/identity-token')).token;
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
    this.#stream?.abort();
    this.#stream = null;
    this.#outbox?.clear();
    this.#early = [];
    this.#remove(this.#key('session'));
    this.#token = null;
    this.#sessionId = null;
    this.#outbox = null;
    this.#events.emit('chat.reset', {});
    await this.connect();
  }

  /** Closes the stream, cancels retries and removes every listener. */
  destroy(): void {
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

  async #request<T = any>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
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
      throw new ChatError(json?.error?.code ?? 'http_error', json?.error?.message ?? `The server answered ${res.status}`, res.status);
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
