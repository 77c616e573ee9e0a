import { LitElement, html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ContextEvent, consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { commandsContext, stateContext } from '../../src/context.js';
import type { Commands } from '../../src/commands/commands.js';
import type { WidgetState } from '../../src/state/types.js';
import { baseStyles, tokenStyles } from '../shared/base.styles.js';
import { launcherStyles } from './chat-launcher.styles.js';

import { chatIconPath, closeIconPath } from './icons.js';

const chatIcon = svg`<path d=${chatIconPath} />`;
const closeIcon = svg`<path d=${closeIconPath} />`;

/**
 * The launcher bubble: a labelled button that opens and closes the messenger,
 * with the unread badge.
 *
 * Inside `<chat-widget>` (its default launcher, or one slotted with
 * `slot="launcher"`) it drives that widget through its context. Anywhere else
 * in the page, `for="ID"` names the widget it drives. A `for=` launcher is the
 * page's own control: it stays visible when the widget's bubble is hidden.
 *
 * @summary The button that opens the messenger, with the unread badge.
 *
 * @csspart launcher - The button.
 * @csspart badge - The unread count.
 *
 * @cssproperty --chat-launcher-size - Diameter of the button (56px).
 * @cssproperty --chat-brand - Background of the button.
 * @cssproperty --chat-brand-contrast - Colour of the icon.
 */
@localized()
export class ChatLauncher extends LitElement {
  static override styles = [baseStyles, tokenStyles, launcherStyles];

  /** The id of the `<chat-widget>` this launcher drives, when it is not inside one. */
  @property({ reflect: true }) for = '';

  /** Accessible name of the button; by default "Open chat" or "Close chat". */
  @property() label = '';

  /** Mirrors the widget's theme, so that a `for=` launcher is themed like it. */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';

  @consume({ context: stateContext, subscribe: true })
  @state()
  private widgetState?: WidgetState;

  @consume({ context: commandsContext })
  private commands?: Commands;

  #release: (() => void)[] = [];
  #observer?: MutationObserver;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.for) this.#attach();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#detach();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('for') && changed.get('for') !== undefined && this.isConnected) this.#attach();
    if (changed.has('widgetState') && this.widgetState) this.theme = this.widgetState.theme;
  }

  /** Subscribes to the named widget's contexts by sending it the context requests directly. */
  #attach(): void {
    this.#detach();
    const target = this.for ? (this.getRootNode() as Document | ShadowRoot).getElementById?.(this.for) ?? document.getElementById(this.for) : null;
    if (!target) {
      // The widget may come later in the page, or get its id later: wait for it. Frameworks
      // set an element's id after it is in the page (@lit/react's ChatWidget sets `id` as a
      // property in a layout effect), so an id given to a widget counts as well as a new one.
      this.#observer = new MutationObserver(() => {
        if (document.getElementById(this.for)) this.#attach();
      });
      this.#observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['id'] });
      return;
    }
    target.dispatchEvent(
      new ContextEvent(stateContext, this, (value, unsubscribe) => {
        this.widgetState = value;
        if (unsubscribe && !this.#release.includes(unsubscribe)) this.#release.push(unsubscribe);
      }, true),
    );
    target.dispatchEvent(new ContextEvent(commandsContext, this, (value) => (this.commands = value)));
  }

  #detach(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    for (const release of this.#release.splice(0)) release();
  }

  #onClick(): void {
    const commands = this.commands;
    if (!commands) {
      console.error(`chat-launcher: no <chat-widget> to drive; put the launcher inside one or name it with for="ID"`);
      return;
    }
    if (commands.state.open) commands.requestClose('launcher');
    else commands.show();
  }

  override render() {
    const s = this.widgetState;
    const open = s?.open ?? false;
    const unread = s?.unreadCount ?? 0;
    const label =
      this.label ||
      (open ? msg('Close chat') : unread ? msg(str`Open chat, ${unread} unread messages`) : msg('Open chat'));
    return html`
      <button part="launcher" type="button" aria-label=${label} aria-expanded=${open ? 'true' : 'false'} @click=${this.#onClick}>
        <svg viewBox="0 0 24 24" aria-hidden="true">${open ? closeIcon : chatIcon}</svg>
        ${unread && !open ? html`<span part="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>` : nothing}
      </button>
    `;
  }

  /** Moves focus to the button. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector('button')?.focus(options);
  }
}

if (!customElements.get('chat-launcher')) customElements.define('chat-launcher', ChatLauncher);

declare global {
  interface HTMLElementTagNameMap {
    'chat-launcher': ChatLauncher;
  }
}
