import type { KeyValueStorage } from './consent-storage.js';

/** A visitor message waiting for the server's acknowledgement. */
export interface OutboxEntry {
  clientId: string;
  content: string;
  createdAt: string;
  conversationFields?: Record<string, unknown>;
  /** The chat it belongs to (headless SDK), else the visitor's current conversation. */
  chatId?: string;
  /** Answers of 5xx (or 408/429) so far: bounded, so that one message never holds the others back for long. */
  attempts?: number;
  /** Refused by the server (a 4xx, or too many 5xx): kept, and not sent again until retried. */
  failed?: { code: string; message: string };
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

  /** Replaces an entry (same client id), in place. */
  update(clientId: string, change: (entry: OutboxEntry) => OutboxEntry): void {
    this.#entries = this.#entries.map((e) => (e.clientId === clientId ? change(e) : e));
    this.#save();
  }

  /** Moves an entry behind the others. */
  moveToEnd(clientId: string): void {
    const entry = this.#entries.find((e) => e.clientId === clientId);
    if (!entry) return;
    this.#entries = [...this.#entries.filter((e) => e !== entry), entry];
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
