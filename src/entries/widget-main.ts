/**
 * The script-tag build's ES module (`dist/widget-main.js`), loaded by the
 * `dist/widget.js` bootstrap once the visitor shows intent, the page calls a
 * dialect, or the browser is idle. Defining the elements upgrades the
 * `<chat-widget>` the bootstrap mounted (its pre-painted launcher gives way to
 * the real one); then the dialect globals that `data-globals` allows
 * (default: woes, convot, web1on1) are installed and replay what the page queued.
 * web1on1 (a few lines) comes in this file; Woes and Convot are chunks of their
 * own, fetched once the page uses them (until then the bootstrap's stand-ins
 * answer and queue, as before this file came). The panel comes in the same
 * file: a visitor who clicks waits for one file.
 */
import '../../elements/chat-widget/chat-widget.js';
import '../../elements/chat-panel/chat-panel.js';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { ContextEvent } from '@lit/context';
import { commandsContext } from '../context.js';
import type { Commands } from '../commands/commands.js';
import type { WidgetHandle } from '../commands/dialects/handle.js';
import { installWeb1on1 } from '../commands/dialects/web1on1.js';
import { keepInOrder, replayEarlyDialects, watchEarlyDialects, type DialectGlobal } from '../commands/dialects/early.js';
import { setRecorderLoader, type RecorderModule } from '../client/cobrowse.js';

// Co-browsing's recorder: a chunk of its own, loaded only when a visitor agrees to share.
setRecorderLoader(() => import('@rrweb/record') as unknown as Promise<RecorderModule>);

const DIALECTS = ['woes', 'convot', 'web1on1'] as const;

type Install = (page: never, handle: WidgetHandle) => unknown;
/** The dialects that come as chunks of their own, on the page's first use of their global. */
const LAZY: Partial<Record<DialectGlobal, () => Promise<Install>>> = {
  Woes: () => import('../commands/dialects/woes.js').then((m) => m.installWoes as Install),
  Convot: () => import('../commands/dialects/convot.js').then((m) => m.installConvot as Install),
};

/** The dialects' view of the widget: its commands (asked for by context, as any part of it does) and its events. */
function handleOf(widget: ChatWidget): WidgetHandle {
  let commands: Commands | undefined;
  // The provider ignores requests from its own host: ask on behalf of the page.
  widget.dispatchEvent(new ContextEvent(commandsContext, document.body, (value) => (commands = value)));
  if (!commands) throw new Error('chat-widget: the widget gave no commands');
  const ready: WidgetHandle['ready'] = widget.updateComplete.then(() => {
    ready.settled = true;
  });
  return {
    commands,
    // The dialects are ready when the widget is rendered; its session waits for the visitor.
    ready,
    on: (name, listener) => {
      const handler = (event: Event) => listener((event as CustomEvent).detail);
      widget.addEventListener(name, handler);
      return () => widget.removeEventListener(name, handler);
    },
    reload: () => location.reload(),
  };
}

/** Installs the dialects for the widget the bootstrap mounted (the bootstrap calls this once per page). */
export function start(element: HTMLElement, script: HTMLScriptElement | null): void {
  const widget = element as ChatWidget;
  const page = globalThis;
  const handle = handleOf(widget);
  const asked = (script?.dataset['globals'] ?? DIALECTS.join(',')).toLowerCase().split(/[\s,]+/).filter(Boolean);
  const unknown = asked.filter((g) => !(DIALECTS as readonly string[]).includes(g));
  if (unknown.length) console.error(`chat-widget: data-globals: unknown ${unknown.join(', ')}; known: ${DIALECTS.join(', ')}`);
  if (asked.includes('web1on1')) {
    installWeb1on1(page as never, handle);
    keepInOrder(page as never, 'web1on1');
  }
  // What the page called on the bootstrap's stand-ins, in order, through the real dialects.
  replayEarlyDialects(page as never, asked.includes('web1on1') ? ['web1on1'] : []);
  // A session that loads while a dialect's chunk is on its way still reaches the listeners the
  // page asked for before (its pre-loader queue, its calls so far), as when the dialects came at once.
  let loaded: { sessionId: string } | null = null;
  let catchingUp = false;
  handle.on('chat-session-loaded', (detail) => (loaded = detail));
  const caughtUp: WidgetHandle = {
    ...handle,
    on: (name, listener) => {
      if (catchingUp && loaded && name === 'chat-session-loaded') listener(loaded as never);
      return handle.on(name, listener);
    },
  };
  const bringing = new Set<DialectGlobal>();
  const bring = (global: DialectGlobal) => {
    const load = LAZY[global];
    if (!load || bringing.has(global) || !asked.includes(global.toLowerCase())) return;
    bringing.add(global);
    load().then(
      (install) => {
        catchingUp = true;
        try {
          install(page as never, caughtUp);
          keepInOrder(page as never, global);
          replayEarlyDialects(page as never, [global]);
        } finally {
          catchingUp = false;
        }
      },
      (error) => {
        bringing.delete(global); // the page's next call tries again
        console.error(`chat-widget: could not load the ${global} dialect`, error);
      },
    );
  };
  watchEarlyDialects(page as never, bring);
  // A ready trigger set after the bootstrap ran: the page uses Convot too.
  if ((page as { CONVOT_READY_TRIGGER?: unknown }).CONVOT_READY_TRIGGER) bring('Convot');
}
