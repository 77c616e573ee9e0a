/**
 * The dialects' whole surface from the line after the script tag, before the
 * elements arrive: `dist/widget.js` installs these stand-ins for every global
 * that `data-globals` allows. A call is kept in one ordered queue (across the
 * dialects) and brings the elements in at once; widget-main.js replays the
 * queue through the real dialects, in order. Synchronous reads answer from the
 * bootstrap's small mirror (closed, the stored unread count, not ready), never
 * `undefined` or a throw. After the real dialects are in, a page that kept a
 * reference to a stand-in still reaches them: each stand-in forwards.
 *
 * widget-main.js brings a dialect's own chunk in only once the page has used
 * that global (a call, a read, its own pre-loader queue or ready trigger), so
 * the stand-ins stay until then: a global is `live` when its real dialect is in.
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
  /** The globals whose real dialect widget-main.js has installed: their stand-ins forward from then on. */
  live: Partial<Record<DialectGlobal, boolean>>;
  /** The globals the page has used so far (called, read, or brought its own queue for). */
  wanted: Partial<Record<DialectGlobal, boolean>>;
  /** Set by widget-main.js: brings a used global's real dialect in. */
  want?: (global: DialectGlobal) => void;
  /** True while the queue is replayed: the real dialects' calls run, not queue again. */
  replaying?: boolean;
}

/** What the bootstrap knows before the elements arrive. */
export interface EarlyMirror {
  open(): boolean;
  launcherVisible(): boolean;
  unreadCount(): number;
}

const EARLY = Symbol.for('chat-widget/early');
type Page = Record<string | symbol, any>;

const early = (page: Page): Early => (page[EARLY] ??= { calls: [], live: {}, wanted: {} });

/** The page has used `global`: widget-main.js (once in) brings its real dialect. */
function touch(state: Early, global: DialectGlobal): void {
  state.wanted[global] = true;
  state.want?.(global);
}

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
      // Forwarded once its dialect is in, unless earlier calls (to any global) still wait.
      if (state.live[global] && !state.calls.length) {
        const target = real(page, global, path);
        return target && target !== fn ? target(...args) : undefined;
      }
      const call: EarlyCall = { global, path, args };
      const result = returns === 'promise' ? new Promise((resolve) => (call.settle = resolve)) : undefined;
      state.calls.push(call);
      touch(state, global);
      wake();
      return result;
    };
    return fn;
  };
  let draft = '';

  if (allowed.includes('woes')) {
    // A page's own pre-loader stub keeps its queue (`Woes.q`), which the real Woes replays first.
    const own = page['Woes'] as { q?: unknown[][] } | undefined;
    if (own) state.wanted.Woes = true;
    const woes = stub('Woes', []) as ((...args: unknown[]) => unknown) & { q?: unknown[][] };
    if (own?.q) woes.q = own.q;
    page['Woes'] = woes;
  }
  if (allowed.includes('convot') && typeof page['Convot']?.open !== 'function') {
    // The page's own `Convot` (app_id, _q) or ready trigger: it uses Convot.
    if (page['Convot'] || page['CONVOT_READY_TRIGGER']) state.wanted.Convot = true;
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
      if (state.live.Convot) return real(page, 'Convot', ['get'])?.(key, field);
      touch(state, 'Convot');
      if (key === 'chat:unread:count') return mirror.unreadCount();
      if (key === 'message:text') return draft;
      if (key === 'session:data') return field === undefined ? {} : undefined;
      return null;
    };
    convot['is'] = (key: string) => {
      if (state.live.Convot) return real(page, 'Convot', ['is'])?.(key) ?? false;
      touch(state, 'Convot');
      if (key === 'chat:opened') return mirror.open();
      if (key === 'chat:closed') return !mirror.open();
      if (key === 'chat:visible') return mirror.launcherVisible();
      if (key === 'chat:hidden') return !mirror.launcherVisible();
      return false;
    };
    convot['ready'] = () => {
      if (state.live.Convot) return !!real(page, 'Convot', ['ready'])?.();
      touch(state, 'Convot');
      return false;
    };
  }
  if (allowed.includes('web1on1') && typeof page['web1on1']?.open !== 'function') {
    const isOpen = () => {
      if (state.live.web1on1) return !!real(page, 'web1on1', ['isOpen'])?.();
      touch(state, 'web1on1');
      return mirror.open();
    };
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
 * Called by widget-main.js once it is in: `bring` is called (now and later) for
 * each global the page has used, to install its real dialect.
 */
export function watchEarlyDialects(page: Page, bring: (global: DialectGlobal) => void): void {
  const state = early(page);
  state.want = bring;
  for (const global of Object.keys(state.wanted) as DialectGlobal[]) bring(global);
}

/**
 * Called by widget-main.js once the real dialects of `globals` are installed:
 * replays the stand-ins' calls in the order they were made, as far as the
 * first call whose dialect is not in yet, and makes their stand-ins forward.
 */
export function replayEarlyDialects(page: Page, globals: DialectGlobal[]): void {
  const state = early(page);
  for (const global of globals) state.live[global] = true;
  state.replaying = true;
  try {
    while (state.calls.length && state.live[state.calls[0]!.global]) {
      const call = state.calls.shift()!;
      const target = real(page, call.global, call.path);
      const result = target?.(...call.args);
      call.settle?.(result);
    }
  } finally {
    state.replaying = false;
  }
}

/** The methods of each global that act (the others read), by their path on it. */
const ACTS: Record<DialectGlobal, string[][]> = {
  Woes: [[]],
  Convot: [['open'], ['close'], ['toggle'], ['openScheduling'], ['identify'], ['identityToken'], ['setMessageText'], ['sendMessage'], ['push']],
  web1on1: [['open'], ['close'], ['setPredefinedMessage'], ['api', 'showFakeAgentMessage'], ['api', 'sendClientMessage']],
};

/**
 * Called by widget-main.js once the real dialect of `global` is installed: while
 * calls to another global wait for its dialect, this one's calls wait behind
 * them, so that every call runs in the order the page made it.
 */
export function keepInOrder(page: Page, global: DialectGlobal): void {
  const state = early(page);
  for (const path of ACTS[global]) {
    const owner = path.length ? path.slice(0, -1).reduce((o, name) => o?.[name], page[global]) : page;
    const key = path.length ? path.at(-1)! : global;
    const fn = owner?.[key];
    if (typeof fn !== 'function') continue;
    const ordered = (...args: unknown[]): unknown => {
      if (!state.calls.length || state.replaying) return fn.apply(owner, args);
      const call: EarlyCall = { global, path, args };
      const result = key === 'identityToken' ? new Promise((resolve) => (call.settle = resolve)) : undefined;
      state.calls.push(call);
      return result;
    };
    owner[key] = ordered;
  }
}
