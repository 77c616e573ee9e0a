/**
 * The script-tag build's ES module (`dist/widget-main.js`, loaded by the
 * `dist/widget.js` bootstrap): reads the tag's data-*
 * attributes (or a Convot snippet's `window.Convot.app_id`), mounts one
 * `<chat-widget>` into the page, installs the dialect globals that
 * `data-globals` allows (default: woes, convot, web1on1), and replays what
 * the page queued. Loaded twice, it mounts once.
 */
import '../elements/chat-widget/chat-widget.js';
import type { ChatWidget } from '../elements/chat-widget/chat-widget.js';
import { ContextEvent } from '@lit/context';
import { commandsContext } from './context.js';
import type { Commands } from './commands/commands.js';
import type { WidgetHandle } from './commands/dialects/handle.js';
import { installWoes } from './commands/dialects/woes.js';
import { installConvot } from './commands/dialects/convot.js';
import { installWeb1on1 } from './commands/dialects/web1on1.js';
import { setRecorderLoader, type RecorderModule } from './client/cobrowse.js';

// Co-browsing's recorder: a chunk of its own, loaded only when a visitor agrees to share.
setRecorderLoader(() => import('@rrweb/record') as unknown as Promise<RecorderModule>);

const MOUNTED = Symbol.for('chat-widget/loader');
type Page = typeof globalThis & { [MOUNTED]?: ChatWidget; Convot?: { app_id?: string }; Woes?: unknown; web1on1?: unknown; CONVOT_READY_TRIGGER?: () => void };

/** The attributes of the script tag that the widget takes over as its own. */
const PASSED_ON = ['theme', 'position', 'locale', 'brand-color', 'launcher-hidden', 'hide-on-mobile', 'muted', 'embedded', 'open', 'storage'];
const DIALECTS = ['woes', 'convot', 'web1on1'] as const;

function mount(page: Page, script: HTMLScriptElement | null): ChatWidget {
  const widget = document.createElement('chat-widget');
  const data = script?.dataset ?? {};
  const src = script?.src ? new URL(script.src, location.href) : null;
  widget.publicKey = data['publicKey'] || page.Convot?.app_id || '';
  widget.api = data['api'] || (src ? `${src.origin}/api/widget` : '');
  for (const name of PASSED_ON) {
    const value = script?.getAttribute(`data-${name}`);
    if (value !== null && value !== undefined) widget.setAttribute(name, value);
  }
  if (script?.nonce) widget.setAttribute('nonce', script.nonce);
  document.body.append(widget);
  return widget;
}

/** The dialects' view of the widget: its commands (asked for by context, as any part of it does) and its events. */
function handleOf(widget: ChatWidget): WidgetHandle {
  let commands: Commands | undefined;
  // The provider ignores requests from its own host: ask on behalf of the page.
  widget.dispatchEvent(new ContextEvent(commandsContext, document.body, (value) => (commands = value)));
  if (!commands) throw new Error('chat-widget: the widget gave no commands');
  return {
    commands,
    // The dialects are ready when the widget is rendered; its session waits for the visitor.
    ready: widget.updateComplete.then(() => undefined),
    on: (name, listener) => {
      const handler = (event: Event) => listener((event as CustomEvent).detail);
      widget.addEventListener(name, handler);
      return () => widget.removeEventListener(name, handler);
    },
    reload: () => location.reload(),
  };
}

function run(page: Page, script: HTMLScriptElement | null): void {
  if (page[MOUNTED]) return;
  const widget = mount(page, script);
  page[MOUNTED] = widget;
  const handle = handleOf(widget);
  const asked = (script?.dataset['globals'] ?? DIALECTS.join(',')).toLowerCase().split(/[\s,]+/).filter(Boolean);
  const unknown = asked.filter((g) => !(DIALECTS as readonly string[]).includes(g));
  if (unknown.length) console.error(`chat-widget: data-globals: unknown ${unknown.join(', ')}; known: ${DIALECTS.join(', ')}`);
  if (asked.includes('woes')) installWoes(page as never, handle);
  if (asked.includes('convot')) installConvot(page as never, handle);
  if (asked.includes('web1on1')) installWeb1on1(page as never, handle);
}

/** Mounts the widget for the script tag that loaded the bootstrap (once per page). */
export function start(script: HTMLScriptElement | null): void {
  const page = globalThis as Page;
  if (page[MOUNTED]) return;
  if (document.body) run(page, script);
  else document.addEventListener('DOMContentLoaded', () => run(page, script), { once: true });
}
