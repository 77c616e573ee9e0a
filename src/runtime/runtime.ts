import { Commands } from '../commands/commands.js';
import { ChatClient } from '../client/chat-client.js';
import { ConsentStorage, type StoragePolicy } from '../client/consent-storage.js';
import { UNREAD_KEY, storageKey } from '../client/storage-keys.js';
import type { CloseSource } from '../state/events.js';
import { Store } from '../state/store.js';
import { initialState, type WidgetState } from '../state/types.js';
import { whenIdle } from '../idle.js';
import { bindClient } from './bind.js';
import { syncTabs } from './tabs.js';

/** What the runtime asks of the element it serves. */
export interface RuntimeHost {
  /** Before a close that the visitor starts: fires the cancelable `chat-request-close`; false vetoes. */
  requestClose(source: CloseSource): boolean;
  /** The widget is ready (once): its session and history loaded, or it works without a server. */
  ready(): void;
  /** Whether the visitor's intent (a pointer over the widget, focus, a click) brought the elements in. */
  intended?(): boolean;
}

/** How the element reaches its server: its attributes, as given. */
export interface ServerOptions {
  publicKey: string;
  api: string;
  storage: StoragePolicy | '';
  locale: string;
}

const POLICIES: readonly string[] = ['none', 'session', 'local'];

/**
 * The one place that wires a widget together: the store, the commands (its
 * only writer), and, with a public key, the consent storage, the ChatClient,
 * the binding of the client's events to commands, and the other tabs.
 */
export class WidgetRuntime {
  readonly store = new Store<WidgetState>(initialState);
  readonly commands: Commands;
  #client: ChatClient | null = null;
  #unbind: (() => void) | null = null;
  #resolveReady!: () => void;
  #isReady = false;
  /** Resolves when the widget is ready: its session and history loaded, when it has a server. */
  readonly ready = new Promise<void>((resolve) => (this.#resolveReady = resolve));

  constructor(readonly host: RuntimeHost) {
    this.commands = new Commands(this.store, { requestClose: (source) => host.requestClose(source) });
  }

  /** The ChatClient (null without a public key, or before connecting). */
  get client(): ChatClient | null {
    return this.#client;
  }

  /** With a public key, opens the session through a ChatClient; without one, the widget works locally. */
  connect({ publicKey, api, storage, locale }: ServerOptions): void {
    if (this.#client) return;
    if (!publicKey) {
      this.#markReady();
      return;
    }
    const policy: StoragePolicy = storage === 'none' || storage === 'session' ? storage : 'local';
    if (storage && !POLICIES.includes(storage)) {
      console.error(`chat-widget: storage must be "none", "session" or "local", got ${JSON.stringify(storage)}; using "local" after the first interaction`);
    }
    const consent = new ConsentStorage(policy, POLICIES.includes(storage));
    const sessionKey = storageKey(publicKey, 'session');
    // A returning visitor (a session kept from an earlier interaction) consented then.
    if (!consent.allowed && consent.getItem(sessionKey)) consent.allow();
    let client: ChatClient;
    try {
      client = new ChatClient({ publicKey, api: api || `${location.origin}/api/widget`, storage: consent, ...(locale ? { locale } : {}) });
    } catch (error) {
      this.commands.error('invalid_configuration', (error as Error).message);
      this.#markReady();
      return;
    }
    this.#client = client;
    const { commands } = this;
    const unbind = bindClient(commands, client);
    const unsync = syncTabs(this.store, commands, client, consent);
    const offInteraction = commands.notices.on('interaction', () => consent.allow());
    // The script tag's bootstrap answers `Convot.get('chat:unread:count')` from this before the elements arrive.
    const offUnread = this.store.subscribe((next, prev) => {
      if (next.unreadCount !== prev.unreadCount) consent.setItem(UNREAD_KEY(publicKey), String(next.unreadCount));
    });
    // Ready once the session and its history are loaded.
    const offReady = client.on('chat.history', () => this.#markReady());
    // Nothing connects before the visitor interacts, or before an unread check is due
    // (a returning visitor with a session: checked when the browser is idle).
    // Once: a returning visitor's session connected when idle is not asked for again on the first interaction.
    let opened = false;
    const open = () => {
      if (opened) return;
      opened = true;
      void client.connect().catch(() => {
        /* reported as chat-error; the client retries */
      });
    };
    const offFirst = commands.notices.on('interaction', () => {
      offFirst();
      open();
    });
    this.#unbind = () => {
      offFirst();
      offReady();
      offUnread();
      offInteraction();
      unsync();
      unbind();
    };
    // A returning visitor: at once when they showed intent (the history is then ready by their click), else when idle.
    if (consent.getItem(sessionKey)) {
      if (this.host.intended?.()) open();
      else whenIdle(open);
    }
    this.#identifyFromLink();
  }

  #markReady(): void {
    if (this.#isReady) return;
    this.#isReady = true;
    this.#resolveReady();
    this.host.ready();
  }

  /** Lets go of the client (the element left the page). */
  disconnect(): void {
    this.#unbind?.();
    this.#unbind = null;
    this.#client?.destroy();
    this.#client = null;
  }

  /** A page opened with `?convot_identity=TOKEN` identifies the visitor, and the token leaves the address bar. */
  #identifyFromLink(): void {
    const url = new URL(location.href);
    const token = url.searchParams.get('convot_identity');
    if (!token) return;
    url.searchParams.delete('convot_identity');
    history.replaceState(history.state, '', url.href);
    void this.commands.identify({ jwt: token }).catch(() => {});
  }
}
