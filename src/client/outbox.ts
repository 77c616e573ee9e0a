import type { KeyValueStorage } from './consent-storage.js';

/** A visitor message waiting for the server's acknowledgement. */
export interface OutboxEntry {
  clientId: string;
  content: string;
  createdAt: string;
  conversationFields?: Record<string, unknown>;
  /** The chat it belongs to (headless SDK), else the visitor's current conversation. */
  chatId?: string;
}

/**
 * The unsent messages of one session, persisted (localStorage by default) so
 * that a reload or a network loss loses none. The server stores a client id
 * once, so sending an entry twice is harmless.
 */
export class Outbox {
  #entries: OutboxEntry[];

  constructor(private readonly storage: KeyValueStorage | null, private readonly key: string) {
    this.#entries = this.#load();
  }

  get entries(): readonly OutboxEntry[] {
    return this.#entries;
  }

  add(entry: OutboxEntry): void {
    if (this.#entries.some((e) => e.clientId === entry.clientId)) return;
    this.#entries = [...this.#entries, entry];
    this.#save();
  }

  remove(clientId: string): void {
    this.#entries = this.#entries.filter((e) => e.clientId !== clientId);
    this.#save();
  }

  clear(): void {
    this.#entries = [];
    this.#save();
  }

  #load(): OutboxEntry[] {
    try {
      const raw = this.storage?.getItem(this.key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter((e): e is OutboxEntry => typeof e?.clientId === 'string' && typeof e?.content === 'string') : [];
    } catch {
      return [];
    }
  }

  #save(): void {
    try {
      if (this.#entries.length) this.storage?.setItem(this.key, JSON.stringify(this.#entries));
      else this.storage?.removeItem(this.key);
    } catch {
      // Storage full or denied: the entries stay in memory.
    }
  }
}
