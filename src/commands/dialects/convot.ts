import type { ChatEventName } from '../../state/events.js';
import type { WidgetState } from '../../state/types.js';
import { guard, readyQueue, type WidgetHandle } from './handle.js';

type Handler = (payload?: unknown) => void;
export interface ConvotApi {
  app_id?: string;
  _q?: unknown[][];
  open(): void;
  close(): void;
  toggle(): void;
  openScheduling(options?: { meeting_type_id?: number }): void;
  identify(identity: Record<string, unknown>): void;
  identityToken(): Promise<string | null>;
  setMessageText(text: string): void;
  sendMessage(message: unknown): void;
  push(args: unknown[]): void;
  get(key: string, field?: string): unknown;
  is(key: string): boolean;
  ready(): boolean;
}

/** Convot's user keys and the identity fields they set. */
const USER: Record<string, string> = { email: 'email', phone: 'phone', nickname: 'name', avatar: 'avatar_url', company: 'company' };

/** Convot's events, from the widget's chat-* events. */
const EVENTS: Record<string, [ChatEventName, (detail: any, state: WidgetState) => unknown, ((detail: any) => boolean)?]> = {
  'session:loaded': ['chat-session-loaded', (d) => ({ session_id: d.sessionId })],
  'chat:opened': ['chat-show', () => undefined],
  'chat:closed': ['chat-hide', () => undefined],
  'chat:visibility': ['chat-launcher-visibility', (d) => d.visible],
  'message:sent': ['chat-message-sent', (_d, s) => ({ unread_count: s.unreadCount })],
  'message:received': ['chat-message-received', (_d, s) => ({ unread_count: s.unreadCount })],
  'user:email:changed': ['chat-user-change', (d) => d.value, (d) => d.field === 'email'],
  'user:phone:changed': ['chat-user-change', (d) => d.value, (d) => d.field === 'phone'],
  'user:nickname:changed': ['chat-user-change', (d) => d.value, (d) => d.field === 'name'],
  'user:avatar:changed': ['chat-user-change', (d) => d.value, (d) => d.field === 'avatar_url'],
  'user:company:changed': ['chat-user-change', (d) => d.value, (d) => d.field === 'company'],
  'website:availability:changed': ['chat-availability-change', (d) => d.available],
  'preview:shown': ['chat-preview-show', () => undefined],
  'preview:hidden': ['chat-preview-hide', () => undefined],
};

/**
 * The Convot dialect: `window.Convot` with `open`, `close`, `push([verb, ...])`,
 * `get`, `is`, `ready` and the rest of the reference. A pre-loader `_q` is
 * replayed in order once ready, then `CONVOT_READY_TRIGGER` is called.
 */
export function installConvot(target: { Convot?: Partial<ConvotApi>; CONVOT_READY_TRIGGER?: () => void }, widget: WidgetHandle): ConvotApi {
  const c = widget.commands;
  const state = () => c.state;
  const listeners = new Map<string, Map<Handler, () => void>>();
  let ready = false;
  const queue = readyQueue(widget.ready);

  const actions: Record<string, (arg?: unknown) => unknown> = {
    'chat:open': () => c.show(),
    'chat:close': () => c.hide(),
    'chat:toggle': () => c.toggle(),
    'chat:show': () => c.showLauncher(),
    'chat:hide': () => c.hideLauncher(),
    'message:send': (m) => sendMessage(m),
    'message:read': () => c.markRead(),
    'session:reset': (reload) => c.resetSession().then(() => (reload === true ? widget.reload() : undefined)),
    'helpdesk:search': () => c.openHelp(),
    'helpdesk:query': (q) => c.openHelp(q),
    'helpdesk:article:open': (a) => c.openArticle(a),
    'scheduling:open': (o) => c.openScheduling(o),
    'message:show': (m) => {
      const msg = m as { type?: string; content?: unknown } | undefined;
      if (!msg || (msg.type !== undefined && msg.type !== 'text')) throw new TypeError('push(["do", "message:show", {type: "text", content}]): only text messages can be shown');
      return c.showAgentMessage(msg.content);
    },
  };

  const sets: Record<string, (value: unknown) => unknown> = {
    'session:data': (v) => c.setSessionData(v),
    'session:segments': (v) => c.setSegments(v),
    'session:event': (v) => {
      const e = v as { name?: unknown; data?: unknown } | undefined;
      return c.trackEvent(e?.name, e?.data);
    },
    'message:text': (v) => c.setMessageText(v),
    ...Object.fromEntries(Object.entries(USER).map(([key, field]) => [`user:${key}`, (v: unknown) => c.identify({ [field]: v })])),
  };

  const configs: Record<string, (value: unknown) => unknown> = {
    'hide:on:mobile': (v) => c.configure({ hideOnMobile: v }),
    'position:reverse': (v) => {
      if (typeof v !== 'boolean') throw new TypeError(`push(["config", "position:reverse", value]): expected true or false, got ${JSON.stringify(v)}`);
      return c.configure({ position: v ? 'left' : 'right' });
    },
    locale: (v) => c.configure({ locale: v }),
    'sound:mute': (v) => c.configure({ muted: v }),
    'color:theme': (v) => c.configure({ brandColor: v }),
    'color:mode': (v) => c.configure({ theme: v }),
    'container:index': (v) => c.configure({ zIndex: v }),
  };

  const on = (event: unknown, handler: unknown) => {
    const spec = typeof event === 'string' ? EVENTS[event] : undefined;
    if (!spec) throw new TypeError(`push(["on", ${JSON.stringify(event)}, fn]): unknown event; known: ${Object.keys(EVENTS).join(', ')}`);
    if (typeof handler !== 'function') throw new TypeError(`push(["on", "${event}", fn]): expected a function`);
    const [name, payload, when] = spec;
    const off = widget.on(name, (detail) => {
      if (!when || when(detail)) (handler as Handler)(payload(detail, state()));
    });
    let byHandler = listeners.get(event as string);
    if (!byHandler) listeners.set(event as string, (byHandler = new Map()));
    byHandler.get(handler as Handler)?.();
    byHandler.set(handler as Handler, off);
  };

  const off = (event: unknown, handler?: unknown) => {
    const byHandler = listeners.get(event as string);
    if (!byHandler) return;
    if (handler === undefined) {
      for (const stop of byHandler.values()) stop();
      byHandler.clear();
    } else {
      byHandler.get(handler as Handler)?.();
      byHandler.delete(handler as Handler);
    }
  };

  /** A string or {content}; anything else (an Event, an Element...) is a console error and sends nothing. */
  function sendMessage(message: unknown) {
    const plain = typeof message === 'object' && message !== null && Object.getPrototypeOf(message) === Object.prototype;
    if (typeof message !== 'string' && !(plain && typeof (message as { content?: unknown }).content === 'string')) {
      throw new TypeError(`sendMessage: expected a string or {content: "..."}, got ${Object.prototype.toString.call(message).slice(8, -1)}`);
    }
    return c.sendMessage(message);
  }

  const push = (args: unknown) =>
    guard('Convot', 'push', () => {
      if (!Array.isArray(args) || typeof args[0] !== 'string') throw new TypeError('Convot.push(args): expected an array such as ["do", "chat:open"]');
      const [verb, key, value] = args as [string, unknown, unknown];
      switch (verb) {
        case 'do': {
          const fn = typeof key === 'string' ? actions[key] : undefined;
          if (!fn) throw new TypeError(`push(["do", ${JSON.stringify(key)}]): unknown action; known: ${Object.keys(actions).join(', ')}`);
          return fn(value);
        }
        case 'set': {
          const fn = typeof key === 'string' ? sets[key] : undefined;
          if (!fn) throw new TypeError(`push(["set", ${JSON.stringify(key)}, value]): unknown key; known: ${Object.keys(sets).join(', ')}`);
          return fn(value);
        }
        case 'config': {
          const fn = typeof key === 'string' ? configs[key] : undefined;
          if (!fn) throw new TypeError(`push(["config", ${JSON.stringify(key)}, value]): unknown key; known: ${Object.keys(configs).join(', ')}`);
          return fn(value);
        }
        case 'on':
          return on(key, value);
        case 'off':
          return off(key, value);
        default:
          throw new TypeError(`Convot.push([${JSON.stringify(verb)}, ...]): unknown verb; known: do, set, config, on, off`);
      }
    });

  const api: ConvotApi = {
    app_id: target.Convot?.app_id,
    open: () => queue(() => guard('Convot', 'open', () => c.show())),
    close: () => queue(() => guard('Convot', 'close', () => c.hide())),
    toggle: () => queue(() => guard('Convot', 'toggle', () => c.toggle())),
    openScheduling: (options) => queue(() => guard('Convot', 'openScheduling', () => c.openScheduling(options))),
    identify: (identity) => queue(() => guard('Convot', 'identify', () => c.identify(identity))),
    identityToken: () => widget.ready.then(() => c.identityToken()),
    setMessageText: (text) => queue(() => guard('Convot', 'setMessageText', () => c.setMessageText(text))),
    sendMessage: (message) => queue(() => guard('Convot', 'sendMessage', () => sendMessage(message))),
    // `on`/`off` subscribe at once (so that session:loaded is not missed); the rest waits until ready.
    push: (args) => (Array.isArray(args) && (args[0] === 'on' || args[0] === 'off') ? push(args) : queue(() => push(args))),
    get: (key, field) => {
      const s = state();
      switch (key) {
        case 'chat:unread:count': return s.unreadCount;
        case 'message:text': return s.draft;
        case 'session:identifier': return s.sessionId;
        case 'session:data': return field === undefined ? { ...s.sessionData } : s.sessionData[field];
        default:
          if (key.startsWith('user:') && USER[key.slice(5)]) return (s.user as Record<string, unknown>)[USER[key.slice(5)]!] ?? null;
          console.error(`Convot.get(${JSON.stringify(key)}): unknown key`);
          return undefined;
      }
    },
    is: (key) => {
      const s = state();
      switch (key) {
        case 'chat:opened': return s.open;
        case 'chat:closed': return !s.open;
        case 'chat:visible': return s.launcherVisible;
        case 'chat:hidden': return !s.launcherVisible;
        case 'session:ongoing': return s.sessionId !== null;
        case 'website:available': return s.available;
        default:
          console.error(`Convot.is(${JSON.stringify(key)}): unknown key`);
          return false;
      }
    },
    ready: () => ready,
  };

  const earlier = Array.from(target.Convot?._q ?? []);
  target.Convot = api;
  for (const args of earlier) api.push(args);
  void widget.ready.then(() => {
    ready = true;
    guard('Convot', 'CONVOT_READY_TRIGGER', () => target.CONVOT_READY_TRIGGER?.());
  });
  return api;
}
