/**
 * The visitor's session: created or resumed (`POST /sessions`), its token kept in storage, shared by
 * the site's tabs (one `navigator.locks` lock around reading, creating and storing it; a tab adopts
 * the session another one announced, with its unsent messages), and the person it holds (identify,
 * a switch made by another tab, reset).
 */
import type { IdentityInput } from '../protocol/index.js';
import { catchUpHistory, history } from './api/chats.js';
import type { Core } from './core.js';
import { ChatError } from './http.js';
import { Outbox, type OutboxSender } from './outbox.js';
import type { Realtime } from './realtime.js';
import type { VisitorIdentity } from './types.js';
import type { ClientContact, SessionAnswer } from './wire.js';

/** Who a contact is, for telling whether the session still holds the same one. */
const contactKey = (c: ClientContact | null | undefined): string | null => (c ? JSON.stringify([c.external_id ?? null, c.email ?? null, c.name ?? null]) : null);

export type Identity = VisitorIdentity & Pick<IdentityInput, 'id' | 'user_hash' | 'email_hash' | 'jwt'>;

export class Session {
  #connecting: Promise<void> | null = null;
  /** The token that another tab announced, resumed on the next connection. */
  #adopted: string | null = null;
  #adopting: Promise<void> | null = null;
  #sharing: Promise<string | null> | null = null;
  #identifying = 0;
  /** The contact last seen from the server (identify or session), to tell a switch made by another tab of the session from ours. */
  #contactKey: string | null = null;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  readonly #core: Core;
  readonly #outbox: OutboxSender;
  readonly #realtime: Realtime;

  constructor(core: Core, outbox: OutboxSender, realtime: Realtime) {
    this.#core = core;
    this.#outbox = outbox;
    this.#realtime = realtime;
  }

  /** Something the outbox waits for before sending: the tabs settling on one session. */
  get settling(): Promise<unknown> | null {
    return this.#sharing ?? this.#adopting;
  }

  /** An identify() is under way: the outbox starts nothing new meanwhile. */
  get identifying(): boolean {
    return this.#identifying > 0;
  }

  async ready(): Promise<void> {
    if (!this.#core.token) await this.connect();
  }

  connect(): Promise<void> {
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = null));
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    const core = this.#core;
    core.setConnection('connecting');
    const key = core.key('session');
    let session: SessionAnswer;
    try {
      // Read the stored session, create or resume it, store it: once for all of the site's tabs.
      session = await this.#withSessionLock(async () => {
        // A session another tab stored wins; else one another tab announced; else this tab's own.
        const stored = core.read(key) ?? this.#adopted ?? core.token;
        const created = await core.request<SessionAnswer>('POST', '/sessions', {
          public_key: core.publicKey,
          ...(stored ? { session_token: stored } : {}),
          ...(core.locale ? { locale: core.locale } : {}),
          ...(globalThis.location ? { page_url: globalThis.location.href } : {}),
        }, false);
        this.#storeToken(created.session.token);
        return created;
      });
    } catch (error) {
      core.setConnection(error instanceof ChatError && error.code === 'network' ? 'offline' : 'idle');
      core.fail(error);
      if (error instanceof ChatError && error.code === 'network') this.#scheduleReconnect();
      throw error;
    }
    // Another session than before (one that another tab stored, or a new one after a 401): what this
    // tab had not sent yet goes into it, not lost with the old one. Messages sent before the session
    // existed join its outbox too.
    const sameSession = core.sessionId === session.session.id;
    core.token = session.session.token;
    core.sessionId = session.session.id;
    this.#adopted = null;
    this.#outbox.open(() => new Outbox(core.storage, core.key(`outbox:${session.session.id}`)), sameSession);
    // Back after being offline with the same session: the messages missed come after the newest known.
    const catchUp = sameSession && !!core.latest;
    this.#realtime.cursor = session.stream_cursor;
    core.events.emit('chat.availability', { available: session.available });
    core.events.emit('chat.connected', {
      sessionId: session.session.id,
      resumed: session.resumed,
      unreadCount: session.unread_count,
      contact: session.contact,
      team: (session.team ?? []).map((t) => ({ name: t.name, avatarUrl: t.avatar_url })),
      booking: !!session.booking,
      appearance: { brandColor: session.appearance?.brand_color ?? null, position: session.appearance?.position ?? null, greeting: session.appearance?.greeting ?? {} },
    });
    this.#contactKey = contactKey(session.contact);
    if (session.contact) core.events.emit('chat.identified', { contact: session.contact, verified: !!session.contact.verified });
    await (catchUp ? catchUpHistory(core, () => this.#outbox.box?.entries ?? []) : this.#loadHistory());
    this.#realtime.open();
    void this.#outbox.flush();
  }

  /**
   * Another tab of this site has a session (its token, through the tabs' channel or
   * storage): use it, so that the tabs share one session and one conversation. What
   * waits in this tab's outbox goes along, into that session.
   */
  adopt(token: string): Promise<void> {
    if (!token || token === this.#core.token) return Promise.resolve();
    this.#adopted = token;
    const run: Promise<void> = this.#adopt(token).finally(() => {
      if (this.#adopting === run) this.#adopting = null;
    });
    this.#adopting = run;
    return run;
  }

  async #adopt(token: string): Promise<void> {
    // A connection under way ends first (it may resume that same session).
    if (this.#connecting) await this.#connecting.catch(() => {});
    if (this.#core.destroyed || this.#adopted !== token) return;
    if (token === this.#core.token) {
      this.#adopted = null;
      return;
    }
    // The messages not yet sent move to the shared session (its current conversation);
    // nothing is sent until the shared session is loaded (its connect sends them).
    this.#outbox.carryOut();
    this.#storeToken(token);
    this.#realtime.close();
    this.#core.token = null;
    this.#core.chatId = null;
    await this.connect();
  }

  /**
   * This tab may now keep its session (the visitor interacted, or the page allowed
   * storage): under the site's session lock, a session that another tab stored wins
   * (this tab adopts it, with its unsent messages); else this tab's own is stored for
   * the others. Messages wait until this is settled. Resolves with the token the
   * tabs now share (null while this tab has no session).
   */
  share(): Promise<string | null> {
    this.#sharing ??= (async () => {
      try {
        if (this.#connecting) await this.#connecting.catch(() => {});
        const key = this.#core.key('session');
        const other = await this.#withSessionLock(async () => {
          const stored = this.#core.read(key);
          const mine = this.#adopted ?? this.#core.token;
          if (stored && stored !== mine) return stored;
          if (mine) this.#core.write(key, mine);
          return null;
        });
        if (other) await this.adopt(other).catch((error) => this.#core.fail(error));
        else if (this.#adopting) await this.#adopting.catch(() => {}); // announced by another tab meanwhile
        return this.#core.token;
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
    const held = locks.request(`chat-widget:session:${this.#core.publicKey}:${this.#core.api}`, () => {
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
   * stays in memory, and `share()` stores it once allowed, unless another tab
   * stored one first.
   */
  #storeToken(token: string): void {
    if ((this.#core.storage as { allowed?: boolean } | null)?.allowed === false) return;
    this.#core.write(this.#core.key('session'), token);
  }

  /**
   * Connects the visitor to a customer identity; history switches to theirs. When the server answers
   * that the session now holds another person (`switched`), everything of the previous one goes.
   */
  async identify(identity: Identity): Promise<{ contact: ClientContact; verified: boolean }> {
    await this.ready();
    this.#identifying++;
    let res: { contact: ClientContact; verified: boolean; switched?: boolean; unread_count: number };
    try {
      // A message being sent now goes first, as the current person; the rest waits for the answer.
      await this.#outbox.sending;
      res = await this.#core.request('POST', '/identify', identity);
    } catch (error) {
      this.#identifying--;
      void this.#outbox.flush(); // refused or unreachable: the same person still, their messages go on
      throw error;
    }
    this.#identifying--;
    this.#contactKey = contactKey(res.contact);
    if (res.switched) this.#switched(res.contact, res.verified, res.unread_count);
    this.#core.events.emit('chat.identified', { contact: res.contact, verified: res.verified });
    // The realtime channel follows the new identity; nothing of the previous visitor stays.
    this.#realtime.open();
    await this.#loadHistory();
    void this.#outbox.flush();
    return res;
  }

  /** Drops what belonged to the person the session held before, and says so. */
  #switched(contact: ClientContact | null, verified: boolean, unreadCount: number): void {
    this.#core.epoch++;
    this.#core.latest = null;
    this.#realtime.close();
    this.#outbox.drop();
    this.#core.chatId = null;
    this.#core.remove(this.#core.key('chat'));
    this.#core.events.emit('chat.switched', { contact, verified, unreadCount });
  }

  /** Another tab of this session identified (a `session.switched` we did not cause): follow it. */
  async followSwitch(switched: boolean): Promise<void> {
    const core = this.#core;
    const token = core.token;
    if (!token || this.#identifying) return;
    const s = await core.request<{ session: { token: string }; contact: ClientContact | null; unread_count: number }>(
      'POST', '/sessions', { public_key: core.publicKey, session_token: token }, false,
    ).catch(() => null);
    if (!s || s.session.token !== token || token !== core.token || this.#identifying) return;
    const key = contactKey(s.contact);
    if (key === this.#contactKey) return; // ours, already followed
    this.#contactKey = key;
    if (switched) this.#switched(s.contact, !!s.contact?.verified, s.unread_count);
    if (s.contact) core.events.emit('chat.identified', { contact: s.contact, verified: !!s.contact.verified });
    this.#realtime.open();
    await this.#loadHistory();
  }

  /** Forgets this visitor: a new anonymous session, in place. */
  async reset(): Promise<void> {
    const core = this.#core;
    // A connection under way (the visitor's first interaction) ends first: the reset then makes a new
    // session, instead of joining that connection and resuming the session it forgets.
    if (this.#connecting) await this.#connecting.catch(() => {});
    core.epoch++;
    core.latest = null;
    this.#realtime.close();
    this.#outbox.drop();
    core.remove(core.key('session'));
    core.remove(core.key('chat'));
    core.chatId = null;
    core.token = null;
    core.sessionId = null;
    this.#outbox.box = null;
    this.#contactKey = null;
    core.events.emit('chat.reset', {});
    await this.connect();
  }

  /** The server no longer knows the token (401): a new session, or the stored one. */
  async renew(): Promise<void> {
    this.#realtime.close();
    await this.connect().catch(() => {});
  }

  stop(): void {
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
  }

  #scheduleReconnect(): void {
    if (this.#reconnectTimer || this.#core.destroyed) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      void this.connect().catch(() => {});
    }, this.#realtime.nextDelay());
  }

  #loadHistory(): Promise<void> {
    return history(this.#core, () => this.#outbox.box?.entries ?? []);
  }
}
