import type { ChatMessage, Theme, VisitorIdentity, WidgetState } from './types.js';
import { PROFILE_FIELDS } from '../protocol/identity.js';

/** The `chat-*` events and their `detail`, as DESIGN section 4 names them. */
export interface ChatEventDetails {
  'chat-ready': { sessionId: string | null };
  'chat-show': Record<string, never>;
  'chat-hide': Record<string, never>;
  'chat-launcher-visibility': { visible: boolean };
  'chat-unread-change': { count: number };
  'chat-message-sent': { message: ChatMessage };
  'chat-message-received': { message: ChatMessage };
  'chat-session-loaded': { sessionId: string };
  'chat-identify': { identity: VisitorIdentity };
  'chat-user-change': { field: string; value: unknown };
  'chat-availability-change': { available: boolean };
  'chat-theme-change': { theme: Theme };
  'chat-preview-show': { message: ChatMessage };
  'chat-preview-hide': Record<string, never>;
  'chat-error': { code: string; message: string };
  'chat-request-close': { source: CloseSource };
}

export type CloseSource = 'close-button' | 'keyboard' | 'launcher';
/** The details of the events that carry one of the package's types (named, so that the generated framework typings can import them). */
export type ChatMessageDetail = ChatEventDetails['chat-message-sent'];
export type ChatIdentifyDetail = ChatEventDetails['chat-identify'];
export type ChatThemeDetail = ChatEventDetails['chat-theme-change'];
export type ChatRequestCloseDetail = ChatEventDetails['chat-request-close'];

/** Every event's name, at run time (the React wrapper's `onChat...` props are made from it). */
export const CHAT_EVENT_NAMES = Object.keys({
  'chat-ready': 1, 'chat-show': 1, 'chat-hide': 1, 'chat-launcher-visibility': 1, 'chat-unread-change': 1, 'chat-message-sent': 1,
  'chat-message-received': 1, 'chat-session-loaded': 1, 'chat-identify': 1, 'chat-user-change': 1, 'chat-availability-change': 1,
  'chat-theme-change': 1, 'chat-preview-show': 1, 'chat-preview-hide': 1, 'chat-error': 1, 'chat-request-close': 1,
} satisfies Record<keyof ChatEventDetails, 1>) as (keyof ChatEventDetails)[];
export type ChatEventName = keyof ChatEventDetails;
export type ChatEventEntry = { [K in ChatEventName]: [K, ChatEventDetails[K]] }[ChatEventName];

export const messageKey = (m: ChatMessage): string => m.clientId ?? m.id;

const USER_FIELDS = PROFILE_FIELDS;

/**
 * The events that a change from `prev` to `next` causes. Deriving them from the
 * snapshots means every path to a change (method, attribute, dialect, server)
 * fires the same events, once.
 */
export function eventsBetween(prev: WidgetState, next: WidgetState): ChatEventEntry[] {
  const out: ChatEventEntry[] = [];
  if (prev.open !== next.open) out.push(next.open ? ['chat-show', {}] : ['chat-hide', {}]);
  if (prev.launcherVisible !== next.launcherVisible) {
    out.push(['chat-launcher-visibility', { visible: next.launcherVisible }]);
  }
  if (prev.theme !== next.theme) out.push(['chat-theme-change', { theme: next.theme }]);
  if (prev.sessionId !== next.sessionId && next.sessionId) {
    out.push(['chat-session-loaded', { sessionId: next.sessionId }]);
  }
  if (prev.available !== next.available) {
    out.push(['chat-availability-change', { available: next.available }]);
  }
  if (prev.user !== next.user) {
    for (const field of USER_FIELDS) {
      if (prev.user[field] !== next.user[field] && next.user[field] !== undefined) {
        out.push(['chat-user-change', { field, value: next.user[field] }]);
      }
    }
  }
  if (prev.messages !== next.messages) {
    const seen = new Set(prev.messages.map(messageKey));
    for (const message of next.messages) {
      if (seen.has(messageKey(message))) continue;
      out.push(
        message.author === 'visitor'
          ? ['chat-message-sent', { message }]
          : ['chat-message-received', { message }],
      );
    }
  }
  if (prev.unreadCount !== next.unreadCount) {
    out.push(['chat-unread-change', { count: next.unreadCount }]);
  }
  if (prev.preview !== next.preview) {
    if (prev.preview && !next.preview) out.push(['chat-preview-hide', {}]);
    if (next.preview) out.push(['chat-preview-show', { message: next.preview }]);
  }
  return out;
}
