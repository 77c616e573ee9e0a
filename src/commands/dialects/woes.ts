import { dispatch, type CommandName } from '../commands.js';
import { guard, readyQueue, type WidgetHandle } from './handle.js';

type Callback = ((...args: unknown[]) => void) | null;
type WoesFn = ((command: string, payload?: unknown) => void) & { q?: ArrayLike<unknown>[] };

/**
 * The Woes dialect: `window.Woes(command, payload)`. Calls made before the
 * widget is ready (including those a page queued on a stub's `q`) are replayed
 * in order. Each command is a thin translation to a canonical command.
 */
export function installWoes(target: { Woes?: WoesFn }, widget: WidgetHandle): WoesFn {
  const c = widget.commands;
  const callbacks: Record<'show' | 'hide' | 'unread', { fn: Callback; off: (() => void) | null }> = {
    show: { fn: null, off: null },
    hide: { fn: null, off: null },
    unread: { fn: null, off: null },
  };
  const setCallback = (slot: keyof typeof callbacks, command: string, payload: unknown, subscribe: (fn: (...a: unknown[]) => void) => () => void) => {
    if (payload !== null && typeof payload !== 'function') throw new TypeError(`Woes("${command}", callback): expected a function or null`);
    callbacks[slot].off?.();
    callbacks[slot] = { fn: payload as Callback, off: payload ? subscribe(payload as (...a: unknown[]) => void) : null };
  };
  /** Woes commands that are a canonical command under another name, run by the one dispatcher. */
  const canonical: Record<string, CommandName> = {
    show: 'show',
    hide: 'hide',
    hideChatBubble: 'hideLauncher',
    showChatBubble: 'showLauncher',
    setTheme: 'setTheme',
    identify: 'identify',
    setNewConversationFields: 'setConversationFields',
    showNewMessage: 'showNewMessage',
    showTicketForm: 'showTicketForm',
    setTicketFormFields: 'setTicketFormFields',
    setVisibleTicketForms: 'setVisibleTicketForms',
  };
  const withCallback: Record<string, (payload: unknown) => unknown> = {
    onShow: (cb) => setCallback('show', 'onShow', cb, (fn) => widget.on('chat-show', () => fn())),
    onHide: (cb) => setCallback('hide', 'onHide', cb, (fn) => widget.on('chat-hide', () => fn())),
    onChangeUnreadMessagesCount: (cb) => setCallback('unread', 'onChangeUnreadMessagesCount', cb, (fn) => widget.on('chat-unread-change', ({ count }) => fn(count))),
  };
  const commands: Record<string, (payload: unknown) => unknown> = {
    ...Object.fromEntries(Object.entries(canonical).map(([name, to]) => [name, (payload: unknown) => (payload === undefined ? dispatch(c, to) : dispatch(c, to, payload))])),
    ...withCallback,
  };
  const queue = readyQueue(widget.ready);
  const run = (command: unknown, payload: unknown) =>
    guard('Woes', String(command), () => {
      const fn = typeof command === 'string' ? commands[command] : undefined;
      if (!fn) throw new TypeError(`Woes(${JSON.stringify(command)}): unknown command; known: ${Object.keys(commands).join(', ')}`);
      return fn(payload);
    });
  const earlier = Array.from(target.Woes?.q ?? []);
  const Woes: WoesFn = (command, payload) => queue(() => run(command, payload));
  for (const args of earlier) Woes(args[0] as string, args[1]);
  target.Woes = Woes;
  return Woes;
}
