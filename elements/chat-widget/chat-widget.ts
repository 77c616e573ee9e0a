import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { localized, msg } from '@lit/localize';
import type { CommandName, IdentityInput, WidgetOptions } from '../../src/commands/commands.js';
import type { ChatClient } from '../../src/client/chat-client.js';
import type { StoragePolicy } from '../../src/client/consent-storage.js';
import { WidgetRuntime } from '../../src/runtime/runtime.js';
import { INTENT } from '../../src/runtime/intent.js';
import { commandsContext, stateContext } from '../../src/context.js';
import { eventsBetween } from '../../src/state/events.js';
import { whenIdle } from '../../src/idle.js';
import { sideOf, type ChatMessage, type Theme, type WidgetState } from '../../src/state/types.js';
import { baseStyles, tokenStyles } from '../shared/base.styles.js';
import { emit } from '../shared/emit.js';
import '../shared/events.js';
import { applyHostLocale } from '../shared/localize.js';
import { chime } from '../shared/sound.js';
import '../chat-launcher/chat-launcher.js';
import { FocusController } from '../shared/focus.controller.js';
import { ViewportController } from '../shared/viewport.controller.js';
import { hostStyles } from './host.styles.js';
import { widgetStyles } from './chat-widget.styles.js';

/**
 * The panel's code (its elements and their styles) loads apart from the
 * launcher: on the visitor's first sign of intent (hover, focus, open) or when
 * the browser is idle. `<chat-panel>` upgrades when it arrives.
 */
let panelModule: Promise<typeof import('../chat-panel/chat-panel.js')> | null = null;
const loadPanel = () => (panelModule ??= import('../chat-panel/chat-panel.js'));
/** The home (topics, the team's greeting): fetched as soon as the workspace turns out to have topics, before the panel opens. */
let homeModule: Promise<unknown> | null = null;
const loadHome = () => (homeModule ??= import('../chat-topics/chat-topics.js').catch(() => (homeModule = null)));

/** The options that attributes set (through `configure`), and their value in a snapshot. */
const ATTRIBUTE_OPTIONS = {
  theme: (s: WidgetState) => s.theme,
  launcherHidden: (s: WidgetState) => !s.launcherVisible,
  // The side shown: the page's, else the workspace's (sideOf); a page setting it marks it chosen.
  position: (s: WidgetState) => sideOf(s),
  locale: (s: WidgetState) => s.locale,
  hideOnMobile: (s: WidgetState) => s.hideOnMobile,
  muted: (s: WidgetState) => s.muted,
  brandColor: (s: WidgetState) => s.brandColor,
} satisfies { [K in keyof WidgetOptions]?: (s: WidgetState) => WidgetOptions[K] };
type OptionKey = keyof typeof ATTRIBUTE_OPTIONS;
const OPTION_KEYS = Object.keys(ATTRIBUTE_OPTIONS) as OptionKey[];

/**
 * The messenger: a launcher bubble and a panel with the conversation. It owns
 * the store and the commands and provides both by context to its parts and to
 * any `<chat-launcher>` slotted in it or pointing at it with `for=`.
 *
 * @summary The customer-chat messenger, and the context provider for its parts.
 *
 * @slot launcher - Replaces the default launcher, e.g. `<chat-launcher slot="launcher" label="Help">`.
 *
 * @csspart launcher - The launcher button.
 * @csspart badge - The unread count on the launcher.
 * @csspart panel - The messenger panel.
 * @csspart header - The panel's title bar.
 * @csspart messages - The message log.
 * @csspart message - One message; `data-author` is visitor, agent, bot or system.
 * @csspart composer - The form at the bottom of the panel.
 * @csspart input - The message field.
 * @csspart send-button - The send button.
 * @csspart preview - The card by the launcher that shows a new message while the panel is closed.
 *
 * @cssproperty --chat-brand - Brand colour: launcher, header, the visitor's bubbles.
 * @cssproperty --chat-brand-contrast - Text and icons on the brand colour.
 * @cssproperty --chat-bg - Panel background.
 * @cssproperty --chat-fg - Text colour.
 * @cssproperty --chat-muted - Secondary text.
 * @cssproperty --chat-border - Borders and separators.
 * @cssproperty --chat-surface - Background of others' message bubbles.
 * @cssproperty --chat-error - Text of error messages beside form fields.
 * @cssproperty --chat-shadow - Shadow of the panel, launcher and preview.
 * @cssproperty --chat-radius - Corner radius of the panel (16px).
 * @cssproperty --chat-font - Font family (the system UI font).
 * @cssproperty --chat-z-index - Stacking order of the floating widget.
 * @cssproperty --chat-launcher-size - Diameter of the launcher (56px).
 * @cssproperty --chat-panel-width - Width of the panel (380px).
 * @cssproperty --chat-panel-height - Height of the panel (640px).
 * @cssproperty --chat-offset-x - Distance from the side of the window (20px).
 * @cssproperty --chat-offset-y - Distance from the bottom of the window (20px).
 *
 * @fires {{ sessionId: string | null }} chat-ready - The widget is ready.
 * @fires {{}} chat-show - The panel opened.
 * @fires {{}} chat-hide - The panel closed.
 * @fires {ChatRequestCloseDetail} chat-request-close - Cancelable (`preventDefault()` keeps the panel open); the visitor is about to close the panel.
 * @fires {{ visible: boolean }} chat-launcher-visibility - The launcher was shown or hidden.
 * @fires {{ count: number }} chat-unread-change - The unread count changed.
 * @fires {ChatMessageDetail} chat-message-sent - The visitor sent a message (before delivery).
 * @fires {ChatMessageDetail} chat-message-received - A message from an operator, bot or the system arrived.
 * @fires {{ sessionId: string }} chat-session-loaded - The visitor's session is loaded.
 * @fires {ChatIdentifyDetail} chat-identify - The visitor was identified.
 * @fires {{ field: string; value: unknown }} chat-user-change - A visitor field changed.
 * @fires {{ available: boolean }} chat-availability-change - Operators came online or went offline.
 * @fires {ChatThemeDetail} chat-theme-change - The theme changed.
 * @fires {ChatMessageDetail} chat-preview-show - The preview card appeared.
 * @fires {{}} chat-preview-hide - The preview card went away.
 * @fires {{ code: string; message: string }} chat-error - Something failed.
 */
@localized()
export class ChatWidget extends LitElement {
  static override styles = [baseStyles, tokenStyles, hostStyles, widgetStyles];

  /** The widget public key (workspace or agent). Also read from `data-public-key`. */
  @property({ attribute: 'public-key' }) publicKey = '';
  @property({ attribute: 'data-public-key' }) private dataPublicKey = '';

  /** The widget API base URL. Also read from `data-api`; a value ending in `/messages` means its parent. */
  @property() api = '';
  @property({ attribute: 'data-api' }) private dataApi = '';

  /** Whether the panel is open. */
  @property({ type: Boolean, reflect: true }) open = false;

  /** `light`, `dark`, or `auto` (follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme: Theme = 'auto';

  /** Hides the launcher bubble. */
  @property({ attribute: 'launcher-hidden', type: Boolean, reflect: true }) launcherHidden = false;

  /** The corner: `right` or `left` (the inline end or start: mirrored in right-to-left locales). */
  @property({ reflect: true }) position: 'right' | 'left' = 'right';

  /** The UI language (BCP 47); empty follows the browser. */
  @property() locale = '';

  /** Renders inline in its container, always open; show and hide do nothing. */
  @property({ type: Boolean, reflect: true }) embedded = false;

  /** Hides the whole widget on screens narrower than 768px. */
  @property({ attribute: 'hide-on-mobile', type: Boolean, reflect: true }) hideOnMobile = false;

  /** Mutes notification sounds. */
  @property({ type: Boolean, reflect: true }) muted = false;

  /** Sets `--chat-brand`. */
  @property({ attribute: 'brand-color' }) brandColor = '';

  /**
   * Where the visitor's session is kept: `local` (default), `session` or `none`.
   * Without the attribute nothing is written before the visitor first
   * interacts; setting it is the page's consent to write from the start.
   */
  @property() storage: StoragePolicy | '' = '';

  readonly #runtime = new WidgetRuntime({
    requestClose: (source) => emit(this, 'chat-request-close', { source }, { cancelable: true }),
    ready: () => emit(this, 'chat-ready', { sessionId: this.#store.state.sessionId }),
    // The script tag's bootstrap marks the element when the visitor's intent (pointer, focus, click) brought the elements in.
    intended: () => !!(this as unknown as Record<symbol, unknown>)[INTENT],
  });
  readonly #store = this.#runtime.store;
  readonly #commands = this.#runtime.commands;
  readonly #stateProvider = new ContextProvider(this, { context: stateContext, initialValue: this.#store.state });
  readonly #commandsProvider = new ContextProvider(this, { context: commandsContext, initialValue: this.#commands });
  readonly #focus = new FocusController(this, loadPanel);
  readonly #viewport = new ViewportController(this);
  #everOpened = false;
  #ownsDir = false;

  constructor() {
    super();
    void this.#commandsProvider;
    this.#store.subscribe((next, prev) => this.#onState(next, prev));
    this.#commands.notices.on('error', (detail) => emit(this, 'chat-error', detail));
    this.#commands.notices.on('identify', (detail) => emit(this, 'chat-identify', detail));
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#store.state.open && !this.embedded) {
        event.stopPropagation();
        this.#commands.requestClose('keyboard');
      }
    });
  }

  // ---- read-only properties ----

  /** Whether the panel is open. */
  get isOpen(): boolean { return this.#store.state.open; }

  /** Messages from others that the visitor has not seen. */
  get unreadCount(): number { return this.#store.state.unreadCount; }

  /** The visitor's session id, once loaded. */
  get sessionId(): string | null { return this.#store.state.sessionId; }

  /**
   * Resolves when the widget is ready: its session and history loaded, when it has a
   * server. A session is made on the visitor's first interaction (or a page's call that
   * needs the server, or `client.connect()`), or at once for a returning visitor.
   */
  get ready(): Promise<void> { return this.#runtime.ready; }

  /** The widget's ChatClient (null without a public key): the one path to the server. */
  get client(): ChatClient | null { return this.#runtime.client; }

  /** The current snapshot of the widget's state (immutable). */
  get state(): WidgetState { return this.#store.state; }

  /** The effective public key (`public-key` or `data-public-key`). */
  private get effectivePublicKey(): string { return this.publicKey || this.dataPublicKey; }

  /** The effective API base URL: `api` or `data-api`, with a trailing `/messages` taken off. */
  private get effectiveApi(): string { return (this.api || this.dataApi).replace(/\/+$/, '').replace(/\/messages$/, ''); }

  // ---- methods (each also reachable through the dialects) ----

  /** Opens the panel. */
  show(): void { this.#commands.show(); }
  /** Closes the panel. */
  hide(): void { this.#commands.hide(); }
  /** Opens the panel if closed, closes it if open. */
  toggle(): void { this.#commands.toggle(); }
  /** Shows the launcher bubble. */
  showLauncher(): void { this.#commands.showLauncher(); }
  /** Hides the launcher bubble. */
  hideLauncher(): void { this.#commands.hideLauncher(); }
  /** Sets the theme: `light`, `dark` or `auto`. */
  setTheme(theme: Theme): void { this.#commands.setTheme(theme); }
  /** Sets several options at once: theme, position, locale, brandColor, muted, hideOnMobile, launcherHidden, zIndex, title. */
  configure(options: WidgetOptions): void { this.#commands.configure(options); }
  /** Opens the panel with `text` in the composer. */
  showNewMessage(text?: string): void { this.#commands.showNewMessage(text); }
  /** Puts `text` in the composer without opening the panel. */
  setMessageText(text: string): void { this.#commands.setMessageText(text); }
  /** Sends a message as the visitor. */
  sendMessage(message: string | { content: string }): ChatMessage { return this.#commands.sendMessage(message); }
  /** Sends a message on the visitor's behalf; a `>cs ` message is a command for the server, never a chat bubble. */
  sendClientMessage(text: string): Promise<void> | ChatMessage { return this.#commands.sendClientMessage(text); }
  /** Shows a message as if an operator wrote it (local only). */
  showAgentMessage(text: string, name?: string): ChatMessage { return this.#commands.showAgentMessage(text, name); }
  /** Marks every message as read. */
  markRead(): void { this.#commands.markRead(); }
  /** Attaches metadata to the next new conversation (merged). */
  setConversationFields(fields: Record<string, unknown>): void { this.#commands.setConversationFields(fields); }
  /** Merges data into the visitor's session data. */
  setSessionData(data: Record<string, unknown>): void { this.#commands.setSessionData(data); }
  /** Replaces the visitor's segments. */
  setSegments(list: string[]): void { this.#commands.setSegments(list); }
  /** Records an event of the visitor's. */
  trackEvent(name: string, data?: Record<string, unknown>): void { this.#commands.trackEvent(name, data); }
  /** Opens a ticket form by key (e.g. "bug_report"). */
  showTicketForm(key: string): void { this.#commands.showTicketForm(key); }
  /** Prefills ticket form fields. */
  setTicketFormFields(fields: Record<string, unknown>): void { this.#commands.setTicketFormFields(fields); }
  /** Limits the ticket forms the visitor sees; null shows them all. */
  setVisibleTicketForms(keys: string[] | null): void { this.#commands.setVisibleTicketForms(keys); }
  /** Opens the help center, searching for `query` when given. */
  openHelp(query?: string): Promise<boolean> { return this.#commands.openHelp(query); }
  /** Opens one help article. */
  openArticle(article: { locale: string; slug: string }): Promise<boolean> { return this.#commands.openArticle(article); }
  /** Opens the messenger on the booking flow, with `meeting_type_id` preselected. */
  openScheduling(options?: { meeting_type_id?: number }): Promise<boolean> { return this.#commands.openScheduling(options); }
  /** Connects the visitor to a customer identity: plain, or verified with `user_hash`, `email_hash` or `jwt`. */
  identify(identity: IdentityInput): Promise<void> { return this.#commands.identify(identity); }
  /** A short-lived signed token for a verified visitor (for `?convot_identity=` links), or null. */
  identityToken(): Promise<string | null> { return this.#commands.identityToken(); }
  /** Forgets the visitor in place (a new anonymous session); `{reload: true}` also reloads the page. */
  async resetSession(options: { reload?: boolean } = {}): Promise<void> {
    await this.#commands.resetSession();
    if (options?.reload) location.reload();
  }

  // ---- state <-> attributes ----

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Read every attribute-driven value first: applying one publishes a
    // snapshot, which is mirrored back onto all of them.
    const s = this.#store.state;
    const { open, embedded } = this;
    const want = OPTION_KEYS.map((key) => [key, this[key]] as const);
    if (changed.has('embedded') && embedded !== s.embedded) this.#commands.setEmbedded(embedded);
    for (const [key, value] of want) {
      // A side written on the tag is the page's choice even when it is the default (the workspace's does not apply).
      const chosenSide = key === 'position' && !this.hasUpdated && this.hasAttribute('position');
      if (!changed.has(key) || (Object.is(value, ATTRIBUTE_OPTIONS[key](s)) && !chosenSide)) continue;
      try {
        this.#commands.configure({ [key]: value });
      } catch (error) {
        // A bad attribute value: say so, and keep the last good one.
        console.error((error as Error).message);
      }
    }
    if (changed.has('open') && open !== this.#store.state.open) {
      if (open) this.#commands.show();
      else this.#commands.hide();
    }
    this.#mirror(this.#store.state);
  }

  /** Copies the snapshot onto the reflected properties (and the host's inline custom properties). */
  #mirror(s: WidgetState): void {
    this.open = s.open;
    this.embedded = s.embedded;
    for (const key of OPTION_KEYS) (this as Record<OptionKey, unknown>)[key] = ATTRIBUTE_OPTIONS[key](s);
    const brand = s.brandColor || s.appearance.brandColor;
    if (brand) this.style.setProperty('--chat-brand', brand);
    else this.style.removeProperty('--chat-brand');
    if (s.zIndex !== null) this.style.setProperty('--chat-z-index', String(s.zIndex));
    else this.style.removeProperty('--chat-z-index');
  }

  #onState(next: WidgetState, prev: WidgetState): void {
    this.#mirror(next);
    this.requestUpdate();
    this.#stateProvider.setValue(next);
    if (next.locale !== prev.locale) this.#ownsDir = applyHostLocale(this, next.locale, this.#ownsDir);
    if (next.open) this.#everOpened = true;
    this.#viewport.follow(next.open);
    this.#focus.stateChanged(next, prev);
    if (next.topics.length && !prev.topics.length) void loadHome();
    // A sound for an operator's new message, unless muted or already in view: once, for the newest
    // that came after the others (not for a history loading, nor for an earlier page coming in above).
    const newest = next.messages.at(-1);
    let sound = !!prev.messages.length && newest !== prev.messages.at(-1) && !next.muted && (!next.open || document.hidden);
    for (const [name, detail] of eventsBetween(prev, next)) {
      emit(this, name, detail as never);
      const message = (detail as { message?: ChatMessage }).message;
      if (sound && name === 'chat-message-received' && message && message === newest && !message.local) {
        sound = false;
        chime();
      }
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.updateComplete.then(() => this.#connectServer());
    // The first sign of intent brings the panel's code in; else the browser's idle time does. Then,
    // when idle, what its first paint would wait for (the language's data for times of day).
    const prepare = () => void loadPanel().then((m) => whenIdle(() => m.prepareTimes(this.#store.state.locale)));
    this.addEventListener('pointerenter', prepare, { once: true });
    this.addEventListener('focusin', prepare, { once: true });
    if (this.#store.state.open || this.embedded) prepare();
    else whenIdle(prepare);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#runtime.disconnect();
  }

  /** With a public key, the runtime opens the session through a ChatClient; without one, the widget works locally. */
  #connectServer(): void {
    if (!this.isConnected) return;
    this.#runtime.connect({ publicKey: this.effectivePublicKey, api: this.effectiveApi, storage: this.storage, locale: this.locale });
  }

  // ---- rendering ----

  /** The script tag's pre-painted launcher (see prepaint.ts) gives way to the rendered one, keeping focus. */
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const painted = this.shadowRoot;
    if (painted) {
      if (painted.activeElement) {
        void this.updateComplete
          .then(() => this.renderRoot.querySelector('chat-launcher')?.updateComplete)
          .then(() => this.#focus.focusLauncher());
      }
      painted.replaceChildren();
    }
    return super.createRenderRoot();
  }

  override render() {
    const s = this.#store.state;
    return html`${this.#panel(s)}${this.#preview(s)}${this.#launcher(s)}`;
  }

  #panel(s: WidgetState) {
    if (!s.open && !this.#everOpened && !s.embedded) return nothing;
    return html`<chat-panel
      part="panel"
      role=${s.embedded ? 'region' : 'dialog'}
      aria-label=${s.title || msg('Chat with us')}
      exportparts="header, messages, message, composer, input, send-button"
      ?hidden=${!s.open}
    ></chat-panel>`;
  }

  #preview(s: WidgetState) {
    if (!s.preview || s.open || s.embedded) return nothing;
    const m = s.preview;
    return html`<div class="preview-wrap">
      <button part="preview" type="button" @click=${() => this.#commands.showConversation()}>
        <span class="author">${m.authorName || msg('New message')}</span>
        <span class="text">${m.content}</span>
      </button>
      <button class="dismiss" type="button" aria-label=${msg('Dismiss')} @click=${() => this.#commands.dismissPreview()}>×</button>
    </div>`;
  }

  #launcher(s: WidgetState) {
    if (s.embedded) return nothing;
    return html`<div class="launcher" ?hidden=${!s.launcherVisible}>
      <slot name="launcher"><chat-launcher exportparts="launcher, badge"></chat-launcher></slot>
    </div>`;
  }
}

/** Checked by the compiler: every canonical command of the registry (src/commands/registry.ts) is a method of the element. */
export type ChatWidgetCommands = Pick<ChatWidget, CommandName>;

if (!customElements.get('chat-widget')) customElements.define('chat-widget', ChatWidget);

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget': ChatWidget;
  }
}
