import type { ChatStatus } from '../protocol/chat.js';
import type { AnswerSource, Appearance, ChatMessage, ConnectionState, VisitorIdentity } from '../client/types.js';

// The client's message, connection and identity shapes: the store holds what the client emits.
export type { Author, DeliveryStatus, ChatMessage, ConnectionState, VisitorIdentity } from '../client/types.js';

export type Theme = 'light' | 'dark' | 'auto';
export type Position = 'right' | 'left';

export interface Topic {
  readonly id: number;
  readonly name: string;
  readonly channels: readonly string[];
  readonly children: readonly Topic[];
}

/** The topics a visitor can pick (the leaves of the tree), in order. */
export const leafTopics = (topics: readonly Topic[]): Topic[] => topics.flatMap((t) => (t.children.length ? leafTopics(t.children) : [t]));

export interface SurveyQuestion {
  readonly id: number;
  readonly type: 'rating' | 'choice' | 'text';
  readonly display_text: string;
  readonly valid_answers?: readonly unknown[];
}

/** The headless SDK's chat as the messenger shows it. */
export interface ChatState {
  readonly id: string;
  readonly status: ChatStatus;
  readonly menuId: number | null;
  /** Expected wait in seconds while queued; null when unknown. */
  readonly waitSeconds: number | null;
  readonly rated: boolean;
  readonly surveyed: boolean;
  readonly transcriptSent: boolean;
}

export interface TicketFormDef {
  readonly key: string;
  readonly title: string;
  readonly fields: readonly {
    readonly name: string;
    readonly label: string;
    readonly type: 'text' | 'textarea' | 'email' | 'number' | 'select' | 'checkbox';
    readonly required: boolean;
    readonly options?: readonly string[];
    readonly max?: number;
  }[];
}

export interface Article {
  readonly locale: string;
  readonly slug: string;
  readonly title: string;
  readonly excerpt?: string;
  readonly body?: string;
  /** The visitor's "Was this helpful?" answer on the article shown, once given. */
  readonly helpful?: boolean;
  readonly comment?: string | null;
}

/** What the messenger shows in its panel. */
/** The features whose commands wait for the server, each with its own pending flag. */
export type PendingFeature = 'tickets' | 'help' | 'schedule' | 'cobrowse' | 'lifecycle';

export type PanelView = 'conversation' | 'topics' | 'email' | 'after-chat' | 'tickets' | 'help' | 'call' | 'booking';

/** The call-me-back and booking views. */
export interface ScheduleState {
  readonly kind: 'call' | 'booking';
  /** The topic of a callback. */
  readonly topicId: number | null;
  readonly meetingTypes: readonly { readonly id: number; readonly name: string; readonly duration_minutes: number }[];
  readonly meetingTypeId: number | null;
  /** Free slots (ISO 8601 for meetings, the SDK's "YYYY-MM-DD HH:mm +0000" for calls); null while loading. */
  readonly slots: readonly string[] | null;
  readonly slot: string | null;
  /** What was booked or requested, to confirm. */
  readonly done: { readonly when: string | null } | null;
}

/**
 * The widget's whole state: one immutable snapshot. A change makes a new
 * snapshot; nothing ever mutates one (Lit context notifies on a new object).
 */
export interface WidgetState {
  readonly open: boolean;
  readonly launcherVisible: boolean;
  readonly theme: Theme;
  readonly position: Position;
  readonly locale: string;
  readonly embedded: boolean;
  readonly hideOnMobile: boolean;
  readonly muted: boolean;
  readonly brandColor: string;
  readonly zIndex: number | null;
  readonly title: string;

  readonly messages: readonly ChatMessage[];
  /** The cursor of the server's page before the oldest message loaded; null: the conversation is loaded from its start. */
  readonly earlier: string | null;
  /** That page is on its way. */
  readonly loadingEarlier: boolean;
  readonly unreadCount: number;
  /** The message shown in the preview card by the launcher, or null. */
  readonly preview: ChatMessage | null;
  /** The composer's text. */
  readonly draft: string;

  readonly sessionId: string | null;
  readonly connection: ConnectionState;
  /** At least one operator is online. */
  readonly available: boolean;
  /** Who answers: up to three operators (those online first), shown on the home. */
  readonly team: readonly { readonly name: string; readonly avatarUrl: string | null }[];
  /** The workspace has meetings to book (the home offers it). */
  readonly booking: boolean;
  /** The workspace's look (from the session): used where the page set nothing of its own. */
  readonly appearance: Appearance;
  /** The page chose the side itself (an attribute, a dialect, configure): the workspace's side does not apply. */
  readonly positionChosen: boolean;
  /** The page's greeting (`configure({greeting})`); '' for the workspace's, or the default. */
  readonly greeting: string;
  /** The AI agent's answer being written: its text so far (empty while it thinks) and its sources; null when none is. */
  readonly answer: { readonly id: string; readonly text: string; readonly sources: readonly AnswerSource[] } | null;
  readonly user: VisitorIdentity;
  /** Metadata for the next new conversation (`setConversationFields`). */
  readonly conversationFields: Readonly<Record<string, unknown>>;
  /** Merged by `setSessionData`. */
  readonly sessionData: Readonly<Record<string, unknown>>;
  /** Replaced by `setSegments`. */
  readonly segments: readonly string[];

  /** The panel's view: the conversation, the topic picker, the email form, or the after-chat survey. */
  readonly view: PanelView;
  /** The workspace's support topics (menus); empty when it has none. */
  readonly topics: readonly Topic[];
  /** The after-hours message, when outside business hours. */
  readonly afterHours: string | null;
  /** The topic the visitor picked: its chat starts with their first message (nothing is created before). */
  readonly topic: number | null;
  /** The current chat of the lifecycle (topic chosen), or null for a plain conversation. */
  readonly chat: ChatState | null;
  readonly survey: { readonly signOff: string; readonly questions: readonly SurveyQuestion[] } | null;
  /** A file on its way up. */
  readonly upload: { readonly name: string; readonly loaded: number; readonly total: number } | null;
  /** A message for the visitor about something that failed or succeeded (shown as an alert). */
  readonly notice: { readonly kind: 'error' | 'info'; readonly text: string; readonly code?: string } | null;
  /** What each feature is sending or loading (its forms show it and don't submit twice); features wait independently. */
  readonly pending: Readonly<Record<PendingFeature, boolean>>;
  /** Some feature is pending (any of `pending`). */
  readonly busy: boolean;
  /** The last of the visitor's messages an operator has read (its id), for the "Seen" receipt. */
  readonly readUpTo: string | null;
  /** Who of the operators is typing (their name, or '' when unnamed); null when nobody. */
  readonly typing: string | null;

  /** The workspace's ticket forms, and which of them the page lets the visitor see (null: all). */
  readonly ticketForms: readonly TicketFormDef[];
  readonly visibleTicketForms: readonly string[] | null;
  /** The form open in the tickets view (a key), its values and the errors beside its fields. */
  readonly ticket: { readonly key: string | null; readonly values: Readonly<Record<string, unknown>>; readonly errors: Readonly<Record<string, string>>; readonly sentId: string | null };
  /** Values the page prefilled (`setTicketFormFields`), applied to every form that has those fields. */
  readonly ticketPrefill: Readonly<Record<string, unknown>>;
  readonly schedule: ScheduleState | null;
  /** Co-browsing: the visitor is asked (with the code to read out), or the page is being shared. */
  readonly cobrowse: { readonly phase: 'consent' | 'live'; readonly code: string | null } | null;
  /** The help view: the query, its results, and the article open. */
  readonly help: { readonly query: string; readonly results: readonly Article[] | null; readonly article: Article | null };
}

export const initialState: WidgetState = Object.freeze({
  open: false,
  launcherVisible: true,
  theme: 'auto',
  position: 'right',
  locale: '',
  embedded: false,
  hideOnMobile: false,
  muted: false,
  brandColor: '',
  zIndex: null,
  title: '',
  messages: Object.freeze([]) as readonly ChatMessage[],
  earlier: null,
  loadingEarlier: false,
  unreadCount: 0,
  preview: null,
  draft: '',
  sessionId: null,
  connection: 'idle',
  available: false,
  team: Object.freeze([]),
  booking: false,
  appearance: Object.freeze({ brandColor: null, position: null, greeting: Object.freeze({}) }),
  positionChosen: false,
  greeting: '',
  answer: null,
  user: Object.freeze({}),
  conversationFields: Object.freeze({}),
  sessionData: Object.freeze({}),
  segments: Object.freeze([]) as readonly string[],
  view: 'conversation',
  topics: Object.freeze([]) as readonly Topic[],
  afterHours: null,
  topic: null,
  chat: null,
  survey: null,
  upload: null,
  notice: null,
  pending: Object.freeze({ tickets: false, help: false, schedule: false, cobrowse: false, lifecycle: false }),
  busy: false,
  readUpTo: null,
  typing: null,
  ticketForms: Object.freeze([]) as readonly TicketFormDef[],
  visibleTicketForms: null,
  ticket: Object.freeze({ key: null, values: Object.freeze({}), errors: Object.freeze({}), sentId: null }),
  ticketPrefill: Object.freeze({}),
  help: Object.freeze({ query: '', results: null, article: null }),
  schedule: null,
  cobrowse: null,
});

/** The side of the page the messenger sits on: the page's choice, else the workspace's, else right. */
export const sideOf = (s: WidgetState): Position => (s.positionChosen ? s.position : (s.appearance.position ?? s.position));

/** The greeting to show: the page's, else the workspace's in the visitor's language (or its first), else ''. */
export function greetingOf(s: WidgetState): string {
  if (s.greeting) return s.greeting;
  const g = s.appearance.greeting;
  const lang = (s.locale || (typeof navigator === 'undefined' ? 'en' : navigator.language)).toLowerCase();
  return g[lang] ?? g[lang.split('-')[0]!] ?? g.en ?? Object.values(g)[0] ?? '';
}
