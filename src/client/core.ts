/**
 * What the client's parts share: the options, the events, the transport (it is the `Http` of the session), the storage and the few
 * facts every part reads (the session token and id, the current chat, whether the client is destroyed).
 * One instance per ChatClient; each part keeps its own state besides.
 */
import { Emitter } from '../emitter.js';
import type { KeyValueStorage } from './consent-storage.js';
import { Http, toChatError } from './http.js';
import { storageKey } from './storage-keys.js';
import type { ChatClientEvents, ChatClientOptions, ChatMessage, ConnectionState } from './types.js';
import { toMessage, type ServerMessage } from './wire.js';

function defaultStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage denied (sandboxed iframe, privacy settings)
  }
}

export class Core extends Http {
  readonly publicKey: string;
  readonly locale?: string;
  readonly events = new Emitter<ChatClientEvents>();
  /** Where the session token, the chat id and the outbox are kept (null: in memory only). */
  readonly storage: KeyValueStorage | null;
  readonly #retry: { baseMs: number; maxMs: number };
  sessionId: string | null = null;
  /** The current chat of the headless SDK (kept in storage for `loadOngoingChat`). */
  chatId: string | null = null;
  /** Counts resets and switches of person: an answer asked for before one belongs to the previous visitor. */
  epoch = 0;
  /**
   * Where the loaded history ends: the conversation and the position of its newest message known
   * (from pages and the stream). A reconnection asks for what came after it; null: nothing loaded.
   */
  latest: { conversation: string | null; cursor: string } | null = null;
  destroyed = false;
  connection: ConnectionState = 'idle';

  /** @param ready connects unless a session is loaded */
  constructor(options: ChatClientOptions, readonly ready: () => Promise<void>) {
    if (!options || typeof options.publicKey !== 'string' || !options.publicKey) {
      throw new TypeError('ChatClient: options.publicKey must be the widget public key (a non-empty string)');
    }
    if (typeof options.api !== 'string' || !/^https?:\/\//.test(new URL(options.api, globalThis.location?.href).href)) {
      throw new TypeError('ChatClient: options.api must be the widget API URL, e.g. "https://chat.example.com/api/widget"');
    }
    super(new URL(options.api, globalThis.location?.href).href.replace(/\/+$/, '').replace(/\/messages$/, ''));
    this.publicKey = options.publicKey;
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.#retry = { baseMs: options.retry?.baseMs ?? 1000, maxMs: options.retry?.maxMs ?? 30_000 };
    this.locale = options.locale;
  }

  protected override offline(): void {
    this.setConnection('offline');
  }

  setConnection(state: ConnectionState): void {
    if (this.connection === state) return;
    this.connection = state;
    this.events.emit('chat.status', { connection: state });
  }

  /** Reports an error to the `chat.error` listeners. */
  fail(error: unknown): void {
    const e = toChatError(error);
    this.events.emit('chat.error', { code: e.code, message: e.message });
  }

  /** The wait before retry number `attempt` (from 0): exponential, capped, with jitter. */
  backoff(attempt: number): number {
    const ms = Math.min(this.#retry.maxMs, this.#retry.baseMs * 2 ** attempt);
    return ms / 2 + Math.random() * (ms / 2);
  }

  toMessage(m: ServerMessage): ChatMessage {
    return toMessage(m, this.api, this.token);
  }

  key(name: string): string {
    return storageKey(this.publicKey, name);
  }
  read(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }
  write(key: string, value: string): void {
    try {
      this.storage?.setItem(key, value);
    } catch {
      /* denied: kept in memory */
    }
  }
  remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      /* denied */
    }
  }
}
