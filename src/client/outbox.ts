/**
 * The outbox: the visitor's messages not yet stored by the server, persisted per session (`Outbox`),
 * and the policy that sends them (`OutboxSender`).
 */
import type { KeyValueStorage } from './consent-storage.js';
import { toChatError, type ChatError } from './http.js';
import type { ChatMessage } from './types.js';

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
 *
 * The same key may be written by another instance at the same time (another tab of
 * the session, or a widget that was removed while its request was in flight): every
 * change is applied to what storage holds now, by client id, never by writing this
 * instance's whole list over it.
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
    this.#persist((stored) => (stored.some((e) => e.clientId === entry.clientId) ? stored : [...stored, entry]));
  }

  /** Replaces an entry (same client id), in place. */
  update(clientId: string, change: (entry: OutboxEntry) => OutboxEntry): void {
    const entry = this.#entries.find((e) => e.clientId === clientId);
    if (!entry) return;
    const changed = change(entry);
    this.#entries = this.#entries.map((e) => (e === entry ? changed : e));
    this.#persist((stored) => stored.map((e) => (e.clientId === clientId ? changed : e))); // gone from storage: another instance sent it
  }

  /** Moves an entry behind the others. */
  moveToEnd(clientId: string): void {
    const entry = this.#entries.find((e) => e.clientId === clientId);
    if (!entry) return;
    this.#entries = [...this.#entries.filter((e) => e !== entry), entry];
    this.#persist((stored) => [...stored.filter((e) => e.clientId !== clientId), entry]);
  }

  remove(clientId: string): void {
    this.#entries = this.#entries.filter((e) => e.clientId !== clientId);
    this.#persist((stored) => stored.filter((e) => e.clientId !== clientId));
  }

  /** Removes this instance's entries (what another instance added meanwhile stays). */
  clear(): void {
    const mine = new Set(this.#entries.map((e) => e.clientId));
    this.#entries = [];
    this.#persist((stored) => stored.filter((e) => !mine.has(e.clientId)));
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

  #persist(change: (stored: OutboxEntry[]) => OutboxEntry[]): void {
    try {
      const next = change(this.#load());
      if (next.length) this.storage?.setItem(this.key, JSON.stringify(next));
      else this.storage?.removeItem(this.key);
    } catch {
      // Storage full or denied: the entries stay in memory.
    }
  }
}

/** How a message of the outbox shows until the server has it. */
export const outboxMessage = (e: OutboxEntry, status: 'pending' | 'failed'): ChatMessage =>
  Object.freeze({ id: e.clientId, clientId: e.clientId, author: 'visitor', content: e.content, createdAt: e.createdAt, status });

/** Answers of 5xx (or 408) after which a message is marked failed rather than retried again. */
export const MAX_SERVER_ATTEMPTS = 4;

/** What the sender needs of the client around it. */
export interface SenderHooks {
  /** Sends one entry; resolves with the message as the server stored it, rejects with a ChatError. */
  send(entry: OutboxEntry): Promise<ChatMessage>;
  /** A message to show (sent, failed, or pending again). */
  show(message: ChatMessage): void;
  /** A message refused for good, or failing for too long. */
  fail(error: ChatError): void;
  /** The server answered 401: the session is to be renewed. */
  renew(): void;
  /** What to wait for before sending (the tabs settling on one session), if anything. */
  settling(): Promise<unknown> | null;
  /** Nothing new starts while this holds (an identify under way). */
  paused(): boolean;
  stopped(): boolean;
  backoff(attempt: number): number;
}

/**
 * Sends the outbox of the current session, one message at a time, in order:
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
export class OutboxSender {
  /** The current session's outbox; null until a session is loaded (and while the tabs change it). */
  box: Outbox | null = null;
  /** Messages written before a session exists (or carried from another one): they join the next outbox. */
  early: OutboxEntry[] = [];
  /** The entry being sent now (identify waits for it). */
  sending: Promise<unknown> | null = null;
  #flushing = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #attempt = 0;

  readonly #hooks: SenderHooks;

  constructor(hooks: SenderHooks) {
    this.#hooks = hooks;
  }

  /** Queues a message: in the session's outbox and sent, or kept until a session exists (false). */
  add(entry: OutboxEntry): boolean {
    if (!this.box) {
      this.early.push(entry);
      return false;
    }
    this.box.add(entry);
    void this.flush();
    return true;
  }

  /**
   * The session's outbox is now the one `make` loads: what the previous one held goes into it (without
   * its chat when the session changed: the shared session's conversation takes it), before what was written early.
   */
  open(make: () => Outbox, sameSession: boolean): void {
    const previous = this.box;
    if (previous && !sameSession) {
      this.early.unshift(...previous.entries.map(({ chatId: _chatId, ...entry }) => entry));
      previous.clear();
    } else if (previous) {
      this.early.unshift(...previous.entries); // the same session: kept (known ones are not added twice)
    }
    const box = (this.box = make());
    for (const e of this.early.splice(0)) box.add(e);
  }

  /** The messages not yet sent leave this outbox (for another session's); nothing is sent until `open`. */
  carryOut(): void {
    if (!this.box) return;
    this.early.push(...this.box.entries.map(({ chatId: _chatId, ...entry }) => entry));
    this.box.clear();
    this.box = null;
  }

  /** Drops every message not yet sent (they belonged to the person the session held before). */
  drop(): void {
    this.box?.clear();
    this.early = [];
  }

  /** Sends now, from a fresh back-off (online again, the stream is back, a retry). */
  kick(): void {
    this.#attempt = 0;
    void this.flush();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }

  async flush(): Promise<void> {
    // While the tabs settle on one session, nothing goes to this tab's own.
    for (let wait = this.#hooks.settling(); wait; wait = this.#hooks.settling()) await wait.catch(() => {});
    if (!this.box || this.#hooks.stopped()) return;
    for (const e of this.early.splice(0)) this.box.add(e);
    if (this.#flushing) return;
    this.#flushing = true;
    const outbox = this.box;
    /** Messages that got a 5xx in this round: tried again after the back-off. */
    const deferred = new Set<string>();
    try {
      // Entries added meanwhile included. While identify() runs, nothing new starts: an entry
      // sent after a switch would go to the new person.
      for (let entry = this.#next(deferred); entry && !this.#hooks.paused(); entry = this.#next(deferred)) {
        if (this.box !== outbox || this.#hooks.stopped()) return; // the session changed: its own flush takes over
        try {
          const sending = this.#hooks.send(entry);
          this.sending = sending.catch(() => {});
          const message = await sending;
          // Reset or switched meanwhile: that message belongs to the previous visitor; nothing of it shows.
          if (this.box !== outbox) return;
          outbox.remove(entry.clientId);
          this.#attempt = 0;
          this.#hooks.show(message);
        } catch (error) {
          if (this.box !== outbox) return;
          const e = toChatError(error);
          if (e.code === 'network' || e.status === 401 || e.status === 429) {
            if (e.status === 401) this.#hooks.renew();
            this.#schedule();
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
          this.#hooks.show(outboxMessage(entry, 'failed'));
          this.#hooks.fail(e);
        }
      }
      if (deferred.size) this.#schedule();
    } finally {
      this.#flushing = false;
    }
  }

  /** Sends a message that the server refused again (its "Retry"). False when no failed message has this client id. */
  retry(clientId: string): boolean {
    const entry = this.#failed(clientId);
    if (!entry) return false;
    this.box!.update(clientId, ({ failed: _failed, attempts: _attempts, ...rest }) => rest);
    this.#hooks.show(outboxMessage(entry, 'pending'));
    this.kick();
    return true;
  }

  /** Forgets a message that the server refused (its "Discard"). False when no failed message has this client id. */
  discard(clientId: string): boolean {
    if (!this.#failed(clientId)) return false;
    this.box!.remove(clientId);
    return true;
  }

  #failed(clientId: string): OutboxEntry | undefined {
    return this.box?.entries.find((e) => e.clientId === clientId && e.failed);
  }

  /** The first message that waits to be sent (not failed, not deferred in this round). */
  #next(deferred: ReadonlySet<string>): OutboxEntry | undefined {
    return this.box?.entries.find((e) => !e.failed && !deferred.has(e.clientId));
  }

  #schedule(): void {
    if (this.#timer || this.#hooks.stopped()) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, this.#hooks.backoff(this.#attempt++));
  }
}
