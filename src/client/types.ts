/** The headless client's own shapes: its options, the messages and states it reports, its events. */
import type { KeyValueStorage } from './consent-storage.js';
import type { Chat, ClientContact } from './wire.js';

/** Who wrote a message, as the visitor sees it. */
export type Author = 'visitor' | 'agent' | 'bot' | 'system';

/** Where a visitor's message is on its way to the server. */
export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'offline';

export interface ChatMessage {
  /** Server id once stored; the client id until then. */
  readonly id: string;
  /** The id the client gave the message; the server stores a client id once. */
  readonly clientId?: string;
  readonly author: Author;
  readonly authorName?: string;
  readonly content: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly status: DeliveryStatus;
  /** Shown locally only (`showAgentMessage`), never sent to the server. */
  readonly local?: boolean;
  /** A file sent with the message; `url` downloads it (for this visitor only). */
  readonly attachment?: { readonly id: string; readonly name: string; readonly mime: string; readonly size: number; readonly url: string };
  /** Structured content: the virtual agent's article suggestions. */
  readonly data?: {
    readonly articles?: readonly { readonly title: string; readonly slug: string; readonly locale: string; readonly excerpt?: string }[];
    readonly escalate?: boolean;
    /** The AI agent's answer: the sources it cites (each opens in the help view), how it ended. */
    readonly ai?: { readonly answer_id: string; readonly citations: readonly AnswerSource[]; readonly ended?: 'stopped' | 'error'; readonly declined?: boolean; readonly limited?: boolean };
  };
}

export interface VisitorIdentity {
  readonly external_id?: string;
  readonly email?: string;
  readonly name?: string;
  readonly phone?: string;
  readonly company?: string;
  readonly avatar_url?: string;
  readonly custom_data?: Readonly<Record<string, unknown>>;
  readonly verified?: boolean;
}

export interface ChatClientOptions {
  /** The widget public key (workspace or agent). */
  publicKey: string;
  /** The widget API base, e.g. `https://chat.example.com/api/widget` (a trailing `/messages` is taken off). */
  api: string;
  /** Where the session token and the outbox are kept; null keeps them in memory only. Default: localStorage. */
  storage?: KeyValueStorage | null;
  /** Back-off of retries, in ms. */
  retry?: { baseMs?: number; maxMs?: number };
  locale?: string;
}

/** A help-center source of an AI answer. */
export interface AnswerSource {
  readonly n: number;
  readonly title: string;
  readonly locale: string;
  readonly slug: string;
  readonly heading: string | null;
}

/** The widget's look as the workspace sets it; the page's own attributes and `configure()` win over it. */
export interface Appearance {
  brandColor: string | null;
  position: 'right' | 'left' | null;
  greeting: Readonly<Record<string, string>>;
}

export interface ChatClientEvents {
  /** The session is loaded (created or resumed), and again when a chat is created or loaded (with `chat`). */
  'chat.connected': {
    sessionId: string;
    resumed: boolean;
    unreadCount: number;
    contact: ClientContact | null;
    chat?: Chat;
    /** Who answers (up to three operators, those online first), for a greeting. */
    team?: readonly { name: string; avatarUrl: string | null }[];
    /** The workspace has meetings that visitors can book. */
    booking?: boolean;
    /** The workspace's brand colour, side of the page and greeting (by language), as set in the inbox. */
    appearance?: Appearance;
  };
  /** A chat's status changed. */
  'chat.updated': { chat: Pick<Chat, 'id' | 'status'> };
  /** An operator joined the chat. */
  'chat.memberJoined': { chatId: string; member: { name: string | null; type: string } };
  /** An operator left the chat (it finished). */
  'chat.memberLeft': { chatId: string; member: { type: string } };
  'chat.typingStarted': { chatId: string; name: string | null };
  /** The AI agent begins an answer, from these sources; its text follows in `chat.answerDelta`. */
  'chat.answerStarted': { chatId: string; answerId: string; sources: readonly AnswerSource[] };
  /** The next piece of the answer's text. */
  'chat.answerDelta': { chatId: string; answerId: string; text: string };
  /** The answer is stored (the message `messageId`, which came as `chat.message`) or ended early. */
  'chat.answerEnded': { chatId: string; answerId: string; messageId: string; ended?: 'stopped' | 'error' };
  'chat.typingEnded': { chatId: string; name: string | null };
  /** An operator read the visitor's messages up to `messageId`. */
  'chat.read': { chatId: string; messageId: string };
  /** Co-browsing started (the visitor agreed) or ended. */
  'cobrowse.started': { id: string };
  'cobrowse.ended': { id: string };
  /** `loadOngoingChat()` found a chat still going on. */
  'chat.ongoing': { chat: Chat };
  /** Upload progress of `sendFileMessage`. */
  'chat.upload': { name: string; loaded: number; total: number };
  /** A message arrived, or one of the visitor's changed status. */
  'chat.message': { message: ChatMessage };
  /**
   * The history was (re)loaded: after connecting, identifying or resetting. Its newest page only;
   * `earlier` is the cursor of the page before it (`fetchMessagePage({ before: earlier })`), null when
   * this is the whole conversation.
   */
  'chat.history': { messages: ChatMessage[]; earlier: string | null };
  /** The connection state changed. */
  'chat.status': { connection: ConnectionState };
  'chat.availability': { available: boolean };
  'chat.identified': { contact: ClientContact; verified: boolean };
  /**
   * The session now holds another person than before (identify as someone else, here or in another tab
   * of the session): the previous one's chat, outbox and realtime subscription are dropped; `chat.history`
   * with the new person's messages follows. Nothing of the previous person is emitted after it.
   */
  'chat.switched': { contact: ClientContact | null; verified: boolean; unreadCount: number };
  'chat.conversation': { id: string; status: string };
  'chat.reset': Record<string, never>;
  'chat.error': { code: string; message: string };
}
