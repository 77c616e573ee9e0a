import type { ChatEventDetails } from '../../src/state/events.js';

/** Every `chat-*` event, typed for `addEventListener`. */
export type ChatEvents = { [K in keyof ChatEventDetails]: CustomEvent<ChatEventDetails[K]> };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface GlobalEventHandlersEventMap extends ChatEvents {}
}
