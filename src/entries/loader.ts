/**
 * `dist/widget.js`: the script-tag bootstrap, a classic script. It keeps the
 * page's early calls (a `Woes` stub queue and `Convot._q`, as their snippets
 * do), mounts `<chat-widget>` with this script tag's data-* and paints its
 * launcher at once (plain DOM, the elements' own styles). The elements, the
 * dialects and the panel (`widget-main.js`, an ES module beside it) load on the
 * visitor's first sign of intent (pointer over it, which a touch is too; focus;
 * click), when the page calls a dialect, or in an idle moment once the page has
 * started; `<chat-widget>` then upgrades in place. Loaded twice, it mounts once.
 * With the inline snippet (scripts/snippet.mjs) the page's HTML has painted the
 * launcher already: the bootstrap adopts that `<chat-widget>` instead of making one.
 */
import { prepaint } from '../../elements/chat-widget/prepaint.js';
import { whenIdle } from '../idle.js';
import { baseStyles, tokenStyles } from '../../elements/shared/base.styles.js';
import { hostStyles } from '../../elements/chat-widget/host.styles.js';
import { launcherStyles } from '../../elements/chat-launcher/chat-launcher.styles.js';
import { earlyCalls, installEarlyDialects } from '../commands/dialects/early.js';
import { UNREAD_KEY } from '../client/storage-keys.js';
import { INTENT } from '../runtime/intent.js';

type Page = typeof globalThis & {
  Woes?: ((...args: unknown[]) => void) & { q?: unknown[][] };
  Convot?: { _q?: unknown[][]; app_id?: string };
  CONVOT_READY_TRIGGER?: () => void;
  [MOUNTED]?: HTMLElement | true;
};

const MOUNTED = Symbol.for('chat-widget/loader');
/** How long after the page's load event the widget waits before using idle time. */
const SETTLE_MS = 3000;
/** The styles the launcher was painted with, handed on to widget-main.js (see rollup.config.mjs). */
const STYLES = Symbol.for('chat-widget/styles');
/** The attributes of the script tag that the widget takes over as its own. */
const PASSED_ON = ['theme', 'position', 'locale', 'brand-color', 'launcher-hidden', 'hide-on-mobile', 'muted', 'embedded', 'open', 'storage'];

const page = globalThis as Page;
const script = document.currentScript as HTMLScriptElement | null;
let wake = () => {};

if (!page[MOUNTED]) {
  page[MOUNTED] = true;
  (page as unknown as Record<symbol, unknown>)[STYLES] = { baseStyles, tokenStyles, hostStyles, launcherStyles };
  const globals = (script?.dataset['globals'] ?? 'woes,convot,web1on1').toLowerCase();
  // Every allowed global exists now, whole: calls wait in order and bring the elements in.
  installEarlyDialects(page as never, globals, () => wake(), {
    open: () => !!page[MOUNTED] && page[MOUNTED] !== true && page[MOUNTED].hasAttribute('open'),
    launcherVisible: () => !script?.hasAttribute('data-launcher-hidden'),
    unreadCount: () => {
      try {
        return Number(localStorage.getItem(UNREAD_KEY(script?.dataset['publicKey'] || page.Convot?.app_id || ''))) || 0;
      } catch {
        return 0; // storage denied
      }
    },
  });
  if (document.body) boot();
  else document.addEventListener('DOMContentLoaded', boot, { once: true });
}

/**
 * The widget element: the inline snippet's `<chat-widget>` when the page has one (its launcher already
 * painted by a declarative shadow root, before this script), else a new one. The script tag's data-*
 * fill in what the element does not say itself.
 */
function mount(): { widget: HTMLElement; inline: boolean } {
  const found = document.querySelector('chat-widget');
  const inline = !!found?.shadowRoot && !customElements.get('chat-widget');
  const widget = inline ? (found as HTMLElement) : document.createElement('chat-widget');
  const set = (name: string, value: string) => widget.hasAttribute(name) || widget.setAttribute(name, value);
  const data = script?.dataset ?? {};
  const src = script?.src ? new URL(script.src, location.href) : null;
  const key = data['publicKey'] || page.Convot?.app_id;
  if (key) set('public-key', key);
  const api = data['api'] || (src ? `${src.origin}/api/widget` : '');
  if (api) set('api', api);
  for (const name of PASSED_ON) {
    const value = script?.getAttribute(`data-${name}`);
    if (value !== null && value !== undefined) set(name, value);
  }
  if (script?.nonce) set('nonce', script.nonce);
  return { widget, inline };
}

/** The inline snippet's pre-painted launcher button (none when embedded, as prepaint()). */
function inlineButton(widget: HTMLElement): HTMLButtonElement | null {
  if (widget.hasAttribute('embedded')) return null;
  return widget.shadowRoot?.querySelector('chat-launcher')?.shadowRoot?.querySelector('button') ?? null;
}

function boot(): void {
  const { widget, inline } = mount();
  page[MOUNTED] = widget;
  const button = inline ? inlineButton(widget) : prepaint(widget);
  if (!inline) document.body.append(widget);

  let loading = false;
  const load = () => {
    if (loading) return;
    loading = true;
    // The script's query (a site's ?v= cache-buster) goes with it.
    const main = new URL(`widget-main.js${script?.src ? new URL(script.src).search : ''}`, script?.src || location.href).href;
    import(/* @vite-ignore */ main)
      .then((m: { start(widget: HTMLElement, script: HTMLScriptElement | null): void }) => m.start(widget, script))
      .catch((error) => console.error(`chat-widget: could not load ${main}`, error));
  };
  wake = load;
  const asked = earlyCalls(page as never) || page.Woes?.q?.length || page.Convot?._q?.length || page.CONVOT_READY_TRIGGER;
  if (!button || asked || widget.hasAttribute('open')) return load();
  // The visitor's intent: the elements connect a returning visitor at once (src/runtime/intent.ts).
  const intent = () => {
    (widget as unknown as Record<symbol, boolean>)[INTENT] = true;
    load();
  };
  for (const type of ['pointerenter', 'focusin']) widget.addEventListener(type, intent, { once: true, passive: true });
  // A click before the elements arrive opens the panel when they do.
  button.addEventListener('click', () => {
    widget.setAttribute('open', '');
    intent();
  });
  afterPageStartup(load);
}

/**
 * Runs `fn` in an idle moment once the page has started: after its load event and
 * SETTLE_MS more, so that the widget's code never competes with the page's own start.
 */
function afterPageStartup(fn: () => void): void {
  const settle = () => setTimeout(() => whenIdle(fn), SETTLE_MS);
  if (document.readyState === 'complete') settle();
  else addEventListener('load', settle, { once: true });
}
