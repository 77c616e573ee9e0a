/**
 * The dialects' whole surface from the line after the script tag, before the
 * elements arrive: `dist/widget.js` installs these stand-ins for every global
 * that `data-globals` allows. A call is kept in one ordered queue (across the
 * dialects) and brings the elements in at once; widget-main.js replays the
 * queue through the real dialects, in order. Synchronous reads answer from the
 * bootstrap's small mirror (closed, the stored unread count, not ready), never
 * `undefined` or a throw. After the real dialects are in, a page that kept a
 * reference to a stand-in still reaches them: each stand-in forwards.
 */

export type DialectGlobal = 'Woes' | 'Convot' | 'web1on1';

interface EarlyCall {
  global: DialectGlobal;
  /** The method's path on the global: [] for `Woes(...)`, ['open'], ['api', 'sendClientMessage']. */
  path: string[];
  args: unknown[];
  settle?: (value: unknown) => void;
}

interface Early {
  calls: EarlyCall[];
  /** Set once widget-main.js has installed the real dialects: stand-ins forward from then on. */
  live: boolean;
}

/** What the bootstrap knows before the elements arrive. */
export interface EarlyMirror {
  open(): boolean;
  launcherVisible(): boolean;
  unreadCount(): number;
}

const EARLY = Symbol.for('chat-widget/early');
type Page = Record<string | symbol, any>;

const early = (page: Page): Early => (page[EARLY] ??= { calls: [], live: false });

/** The real method at `path` of the global as it is now (the real dialect, once installed). */
function real(page: Page, global: DialectGlobal, path: string[]): ((...args: unknown[]) => unknown) | null {
  let owner: any = page[global];
  for (const name of path.slice(0, -1)) owner = owner?.[name];
  const fn = path.length ? owner?.[path.at(-1)!] : owner;
  return typeof fn === 'function' ? (...args: unknown[]) => fn.apply(owner, args) : null;
}

/** Installs the stand-ins for the allowed globals; `wake` brings the elements in. */
export function installEarlyDialects(page: Page, allowed: string, wake: () => void, mirror: EarlyMirror): void {
  const state = early(page);
  const stub = (global: DialectGlobal, path: string[], returns?: 'promise') => {
    const fn = (...args: unknown[]): unknown => {
      if (state.live) {
        const target = real(page, global, path);
        return target && target !== fn ? target(...args) : undefined;
      }
      const call: EarlyCall = { global, path, args };
      const result = returns === 'promise' ? new Promise((resolve) => (call.settle = resolve)) : undefined;
      state.calls.push(call);
      wake();
      return result;
    };
    return fn;
  };
  let draft = '';

  if (allowed.includes('woes')) {
    // A page's own pre-loader stub keeps its queue (`Woes.q`), which the real Woes replays first.
    const own = page['Woes'] as { q?: unknown[][] } | undefined;
    const woes = stub('Woes', []) as ((...args: unknown[]) => unknown) & { q?: unknown[][] };
    if (own?.q) woes.q = own.q;
    page['Woes'] = woes;
  }
  if (allowed.includes('convot') && typeof page['Convot']?.open !== 'function') {
    const convot: Page = (page['Convot'] ??= {});
    for (const name of ['open', 'close', 'toggle', 'openScheduling', 'identify', 'sendMessage']) convot[name] = stub('Convot', [name]);
    const push = stub('Convot', ['push']);
    convot['push'] = (args: unknown) => {
      if (Array.isArray(args) && args[0] === 'set' && args[1] === 'message:text' && typeof args[2] === 'string') draft = args[2];
      return push(args);
    };
    const setText = stub('Convot', ['setMessageText']);
    convot['setMessageText'] = (text: unknown) => {
      if (typeof text === 'string') draft = text;
      return setText(text);
    };
    convot['identityToken'] = stub('Convot', ['identityToken'], 'promise');
    // Reads answer from the mirror until the real Convot replaces this object.
    convot['get'] = (key: string, field?: string) => {
      if (state.live) return real(page, 'Convot', ['get'])?.(key, field);
      if (key === 'chat:unread:count') return mirror.unreadCount();
      if (key === 'message:text') return draft;
      if (key === 'session:data') return field === undefined ? {} : undefined;
      return null;
    };
    convot['is'] = (key: string) => {
      if (state.live) return real(page, 'Convot', ['is'])?.(key) ?? false;
      if (key === 'chat:opened') return mirror.open();
      if (key === 'chat:closed') return !mirror.open();
      if (key === 'chat:visible') return mirror.launcherVisible();
      if (key === 'chat:hidden') return !mirror.launcherVisible();
      return false;
    };
    convot['ready'] = () => (state.live ? !!real(page, 'Convot', ['ready'])?.() : false);
  }
  if (allowed.includes('web1on1') && typeof page['web1on1']?.open !== 'function') {
    const isOpen = () => (state.live ? !!real(page, 'web1on1', ['isOpen'])?.() : mirror.open());
    page['web1on1'] = {
      open: stub('web1on1', ['open']),
      close: stub('web1on1', ['close']),
      isOpen,
      isOpened: isOpen,
      setPredefinedMessage: stub('web1on1', ['setPredefinedMessage']),
      api: {
        showFakeAgentMessage: stub('web1on1', ['api', 'showFakeAgentMessage']),
        sendClientMessage: stub('web1on1', ['api', 'sendClientMessage']),
      },
    };
  }
}

/** True when the page has called a stand-in (the elements are wanted now). */
export const earlyCalls = (page: Page): number => early(page).calls.length;

/**
 * Called by widget-main.js once the real dialects are installed: replays the
 * stand-ins' calls in the order they were made, and makes the stand-ins forward.
 */
export function replayEarlyDialects(page: Page): void {
  const state = early(page);
  state.live = true;
  for (const call of state.calls.splice(0)) {
    const target = real(page, call.global, call.path);
    const result = target?.(...call.args);
    call.settle?.(result);
  }
}
