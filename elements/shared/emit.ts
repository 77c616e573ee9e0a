import type { ChatEventDetails, ChatEventName } from '../../src/state/events.js';

/** Dispatches a `chat-*` CustomEvent that bubbles and is composed. Returns false if a listener cancelled it. */
export function emit<K extends ChatEventName>(
  host: EventTarget,
  name: K,
  detail: ChatEventDetails[K],
  options: { cancelable?: boolean } = {},
): boolean {
  return host.dispatchEvent(
    new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false }),
  );
}
