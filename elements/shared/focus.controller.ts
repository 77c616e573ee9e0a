import type { ReactiveController, ReactiveElement } from 'lit';
import type { WidgetState } from '../../src/state/types.js';

/** The element that has focus, through open shadow roots. */
export function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

interface FocusHost extends ReactiveElement {
  readonly state: WidgetState;
}

/**
 * Focus follows the panel: into the view that shows when it opens (or when a
 * view replaces the one that had focus), and back when it closes: to the
 * launcher, or without a visible launcher to what had focus before.
 */
export class FocusController implements ReactiveController {
  #returnTo: HTMLElement | null = null;

  constructor(
    private readonly host: FocusHost,
    /** The panel's code (it may load apart from the launcher's). */
    private readonly loadPanel: () => Promise<unknown>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** After a change of state: the panel opened, closed, or shows another view. */
  stateChanged(next: WidgetState, prev: WidgetState): void {
    // Opened while the visitor types in a field of the page (the page called show()): their typing stays there.
    if (next.open && !prev.open && !next.embedded && !this.#typingElsewhere()) {
      this.#returnTo = deepActiveElement();
      this.#focusView();
    }
    if (!next.open && prev.open) this.#closed();
    // Another view while open (the topic picker arriving, a command landing on the conversation):
    // focus that was in the view it replaced moves to the new view's first control.
    if (next.open && prev.open && next.view !== prev.view && !next.embedded && this.#inside()) this.#focusView(true);
  }

  /** Focus on the launcher: a slotted one, else the widget's own. */
  focusLauncher(): void {
    ((this.host.querySelector('[slot="launcher"]') as HTMLElement | null) ?? this.host.renderRoot.querySelector<HTMLElement>('chat-launcher'))?.focus();
  }

  /** Focus moves into the panel: the first control of the view that shows (the composer, a topic button...). */
  #focusView(onlyIfLost = false): void {
    void Promise.all([this.host.updateComplete, this.loadPanel()]).then(async () => {
      const panel = this.host.renderRoot.querySelector('chat-panel') as (ReactiveElement & { focusView?: () => Promise<void> }) | null;
      await panel?.updateComplete;
      // A view that replaced another: focus that stayed (on the panel's tabs, say) stays.
      const active = deepActiveElement();
      if (onlyIfLost && active && active !== document.body && active.isConnected) return;
      // The panel's code came later than the open: a visitor who has started typing in the page meanwhile keeps typing there.
      if (this.#typingElsewhere()) return;
      // (A panel not upgraded: the widget left the page before the panel's code came.)
      if (this.host.state.open && this.host.isConnected && panel?.focusView) await panel.focusView();
    });
  }

  /** Whether focus is in a text field of the page, outside the widget. */
  #typingElsewhere(): boolean {
    const active = deepActiveElement();
    const field = active instanceof HTMLTextAreaElement || active?.isContentEditable || (active instanceof HTMLInputElement && !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(active.type));
    return !!field && !this.#inside();
  }

  /** Whether focus is in the widget (its shadow tree or a slotted launcher), or nowhere (the body). */
  #inside(): boolean {
    const active = deepActiveElement();
    if (active === null || active === document.body) return true;
    // Up through the shadow roots that hold it (a view inside the panel inside this widget).
    for (let node: Node = active; ; ) {
      const root = node.getRootNode();
      if (root === this.host.renderRoot) return true;
      if (!(root instanceof ShadowRoot)) return this.host.contains(node);
      node = root.host;
    }
  }

  #closed(): void {
    const focusWasInside = this.#inside();
    const back = this.#returnTo?.isConnected ? this.#returnTo : null;
    this.#returnTo = null;
    if (!focusWasInside) return;
    // Back to the launcher (however the panel closed: its button, Esc, a command); without
    // a visible launcher, back to what had focus before the panel opened.
    void this.host.updateComplete.then(() => {
      if (this.host.state.launcherVisible || !back || back === document.body) this.focusLauncher();
      else back.focus();
    });
  }
}
