/**
 * The headless client: the one path to the server. It needs no element:
 * `new ChatClient({publicKey, api})`, then `connect()`.
 *
 * A flat facade: each method says what it does and hands over to one part (`session.ts`,
 * `realtime.ts`, `outbox.ts`, `api/*`), which share a `Core` (options, events, transport, storage).
 * The current chat's lifecycle (chat-lifecycle.ts), calls, booking, co-browsing and desk.ts (emails,
 * tickets, help, surveys) are imported on their first
 * use: a page that never asks for them never loads them.
 */
import * as chats from './api/chats.js';
import type * as bookings from './api/bookings.js';
import type { CobrowseApi } from './api/cobrowse.js';
import * as content from './api/content.js';
import { Core } from './core.js';
import { outboxMessage, OutboxSender } from './outbox.js';
import { Realtime } from './realtime.js';
import { Session, type Identity } from './session.js';
import type { ChatClientEvents, ChatClientOptions, ChatMessage, ConnectionState } from './types.js';
import type { MessagePage } from './api/chats.js';
import type { ArticleSummary, Call, CallRequest, Chat, ChatRequest, ClientContact, EmailRequest, MenuItem, TicketForm } from './wire.js';

export { ChatError } from './http.js';
export type { ChatClientEvents, ChatClientOptions } from './types.js';
export type { MessagePage } from './api/chats.js';
export type { ArticleSummary, Call, CallRequest, Chat, ChatRequest, ClientContact, EmailRequest, MenuItem, TicketForm } from './wire.js';

export class ChatClient {
  readonly publicKey: string;
  readonly api: string;
  readonly #core: Core;
  readonly #outbox: OutboxSender;
  readonly #realtime: Realtime;
  readonly #session: Session;
  readonly #typing: (typing: boolean) => Promise<void>;
  readonly #fileRules: () => Promise<content.FileRules>;
  readonly #trigger: () => Promise<content.Trigger | null>;
  readonly #sessionData: (update: { data?: Record<string, unknown>; segments?: string[] }) => Promise<content.SessionData>;
  #cobrowse: Promise<CobrowseApi> | null = null;
  readonly #onOnline = () => {
    this.#outbox.kick();
    if (!this.#realtime.isOpen && this.#core.token) this.#realtime.open();
  };

  constructor(options: ChatClientOptions) {
    const core = (this.#core = new Core(options, () => this.#session.ready()));
    this.publicKey = core.publicKey;
    this.api = core.api;
    this.#typing = chats.typing(core);
    this.#fileRules = content.fileRules(core);
    this.#trigger = content.trigger(core);
    this.#sessionData = content.sessionData(core);
    this.#outbox = new OutboxSender({
      send: (entry) => chats.send(core, entry),
      show: (message) => core.events.emit('chat.message', { message }),
      fail: (error) => core.fail(error),
      renew: () => void this.#session.renew(),
      settling: () => this.#session.settling,
      paused: () => this.#session.identifying,
      stopped: () => core.destroyed,
      backoff: (attempt) => core.backoff(attempt),
    });
    this.#realtime = new Realtime(core, {
      renew: () => this.#session.renew(),
      ready: () => this.#outbox.kick(),
      switched: (switched) => void this.#session.followSwitch(switched),
    });
    this.#session = new Session(core, this.#outbox, this.#realtime);
    globalThis.addEventListener?.('online', this.#onOnline);
  }

  // ---- the session, shared by the site's tabs ----

  get sessionId(): string | null {
    return this.#core.sessionId;
  }

  /** The session token, to share with this site's other tabs. */
  get sessionToken(): string | null {
    return this.#core.token;
  }

  get connection(): ConnectionState {
    return this.#core.connection;
  }

  on<K extends keyof ChatClientEvents>(name: K, handler: (detail: ChatClientEvents[K]) => void): () => void {
    return this.#core.events.on(name, handler);
  }

  off<K extends keyof ChatClientEvents>(name: K, handler?: (detail: ChatClientEvents[K]) => void): void {
    this.#core.events.off(name, handler);
  }

  /** Creates or resumes the session, loads the history, opens the realtime stream and sends what waits in the outbox. */
  connect(): Promise<void> {
    return this.#session.connect();
  }

  /** Another tab of this site has a session: use it (with what waits in this tab's outbox). */
  adoptSession(token: string): Promise<void> {
    return this.#session.adopt(token);
  }

  /** This tab may now keep its session: under the site's session lock, another tab's stored one wins. Resolves with the shared token. */
  shareSession(): Promise<string | null> {
    return this.#session.share();
  }

  /**
   * Connects the visitor to a customer identity (plain, user_hash, email_hash or jwt); history switches to theirs.
   * When the server answers that the session now holds another person (`switched`), everything of the
   * previous one goes: the chat id, the unsent outbox entries (they were the previous person's: dropped,
   * never sent as the new one), and the stream (reopened: the server addresses it to the new contact).
   */
  identify(identity: Identity): Promise<{ contact: ClientContact; verified: boolean }> {
    return this.#session.identify(identity);
  }

  /** Forgets this visitor: a new anonymous session, in place. */
  resetSession(): Promise<void> {
    return this.#session.reset();
  }

  /** Closes the stream, cancels retries and removes every listener. */
  destroy(): void {
    void this.stopCobrowse();
    this.#core.destroyed = true;
    this.#realtime.close();
    this.#outbox.stop();
    this.#session.stop();
    globalThis.removeEventListener?.('online', this.#onOnline);
    this.#core.events.clear();
  }

  // ---- messages ----

  /** Every message of the current conversation that the visitor may see, oldest first (page by page, newest back). */
  fetchMessages(): Promise<ChatMessage[]> {
    return chats.fetchMessages(this.#core);
  }

  /**
   * One page of the current conversation, oldest first: the newest `limit` (50 by default, at most 200),
   * or those `before` (or `after`) a cursor that an earlier page or `chat.history` gave. `earlier` and
   * `later` are the cursors of the pages beside it, null at either end.
   */
  fetchMessagePage(options: { before?: string; after?: string; limit?: number } = {}): Promise<MessagePage> {
    return chats.fetchPage(this.#core, options);
  }

  /** Sends a visitor message: it waits in the persisted outbox until the server has it. */
  async sendTextMessage(text: string, options: { clientId?: string; createdAt?: string; conversationFields?: Record<string, unknown> } = {}): Promise<ChatMessage> {
    const entry = chats.draft(this.#core, text, options);
    // Not connected yet: kept in memory until the session exists.
    if (!this.#outbox.add(entry)) void this.connect().catch(() => {});
    return outboxMessage(entry, 'pending');
  }

  /** Sends a message that the server refused again (its "Retry"). False when no failed message has this client id. */
  retryMessage(clientId: string): boolean {
    return this.#outbox.retry(clientId);
  }

  /** Forgets a message that the server refused (its "Discard"). False when no failed message has this client id. */
  discardMessage(clientId: string): boolean {
    return this.#outbox.discard(clientId);
  }

  /** Sends a file in the current chat, after checking it against the workspace's rules; `chat.upload` reports progress. */
  sendFileMessage(file: File | (Blob & { name?: string })): Promise<ChatMessage> {
    return content.sendFileMessage(this.#core, this.#fileRules, file);
  }

  /** A web1on1 `>cs` command, applied by the server to the current conversation. */
  sendCommand(command: string): Promise<{ applied: string }> {
    return chats.sendCommand(this.#core, command);
  }

  /** Tells the operators the visitor is typing (at most every 3 s) or stopped. */
  sendTyping(typing: boolean): Promise<void> {
    return this.#typing(typing);
  }

  markRead(): Promise<void> {
    return chats.markRead(this.#core);
  }

  // ---- the headless SDK's chats (see shared/seeds/headless-web-sdk.txt) ----

  /** Creates a chat on a menu; with deflection on, the virtual agent answers first. */
  createChat(data: ChatRequest, customData?: Record<string, unknown>): Promise<Chat> {
    return import('./api/chat-lifecycle.js').then((m) => m.createChat(this.#core, data, customData));
  }

  /** A chat of this visitor, by id. */
  loadChat(chatId: number | string): Promise<Chat> {
    return import('./api/chat-lifecycle.js').then((m) => m.loadChat(this.#core, chatId));
  }

  /** Resumes a dismissed chat. */
  resumeChat(chatId: number | string): Promise<Chat> {
    return import('./api/chat-lifecycle.js').then((m) => m.resumeChat(this.#core, chatId));
  }

  /** The chat still going on (its id kept in storage, or the server's), or null. */
  loadOngoingChat(): Promise<Chat | null> {
    return import('./api/chat-lifecycle.js').then((m) => m.loadOngoingChat(this.#core));
  }

  /** The deflection settings of the current chat's menu, or null. */
  getChatDeflection(): Promise<{ enabled: boolean; threshold: number; keep_waiting: boolean } | null> {
    return import('./api/chat-lifecycle.js').then((m) => m.getChatDeflection(this.#core));
  }

  /** Hands the current chat from the virtual agent to the human queue. */
  /** Stops the AI agent's answer being written in the current chat (what it said stays); whether one was. */
  stopAnswer(): Promise<boolean> {
    return import('./api/chat-lifecycle.js').then((m) => m.stopAnswer(this.#core));
  }

  escalateChat(): Promise<Chat> {
    return import('./api/chat-lifecycle.js').then((m) => m.escalateChat(this.#core));
  }

  /** Finishes the current chat; then sendChatRate and sendChatSurvey apply. */
  finishChat(): Promise<Chat> {
    return import('./api/chat-lifecycle.js').then((m) => m.finishChat(this.#core));
  }

  /** Dismisses the current chat (resumeChat brings it back). */
  destroyChat(): Promise<Chat> {
    return import('./api/chat-lifecycle.js').then((m) => m.destroyChat(this.#core));
  }

  /** Mails the current chat's transcript to up to five addresses. */
  sendChatTranscripts(emails: string[]): Promise<{ id: string; status: string }> {
    return import('./api/chat-lifecycle.js').then((m) => m.sendChatTranscripts(this.#core, emails));
  }

  /** Rates the current (finished) chat: 1 to 5, with optional feedback. */
  sendChatRate(input: { rating: number; feedback?: string }): Promise<{ rating: number; feedback: string | null }> {
    return import('./api/chat-lifecycle.js').then((m) => m.sendChatRate(this.#core, input));
  }

  /** The survey questions, with their types and valid answers. */
  getChatSurvey(lang?: string): Promise<content.Survey> {
    return import('./api/desk.js').then((m) => m.getChatSurvey(this.#core, lang));
  }

  /** Answers the survey for the current (finished) chat: `{question_id: answer}`; the server checks each answer. */
  sendChatSurvey(answers: Record<string, number | string>): Promise<{ answered: number }> {
    return import('./api/chat-lifecycle.js').then((m) => m.sendChatSurvey(this.#core, answers));
  }

  // ---- the workspace: company, hours, menus, triggers, files ----

  /** The company: name, subdomain, support email, languages and feature flags. */
  getCompany(): Promise<content.Company> {
    return content.getCompany(this.#core);
  }

  /** The after-hours message when outside business hours, else null. */
  getAfterHourMessage(lang?: string): Promise<string | null> {
    return content.getAfterHourMessage(this.#core, lang);
  }

  /** The menu tree of support topics; a direct key returns that topic alone (`direct.key` true). */
  getMenus(key?: string, lang?: string): Promise<{ menus: MenuItem[]; direct: { key: boolean; user: boolean } }> {
    return content.getMenus(this.#core, key, lang);
  }

  /** Expected waits in seconds for the menu's chat and call channels (null: nobody online, or no such channel). */
  getWaitTimes(menuId: number | string, lang?: string): Promise<{ chat: number | null; voice_call: number | null }> {
    return content.getWaitTimes(this.#core, menuId, lang);
  }

  /** The file extensions the workspace refuses. */
  getProhibitedFileTypes(): Promise<string[]> {
    return content.getProhibitedFileTypes(this.#fileRules);
  }

  /** The proactive trigger that matches this page (address, seconds on page, visits), or null. */
  getTrigger(): Promise<content.Trigger | null> {
    return this.#trigger();
  }

  /** Creates an email ticket (with files, uploaded first). */
  createEmail(input: EmailRequest): Promise<{ id: string; status: string }> {
    return import('./api/desk.js').then((m) => m.createEmail(this.#core, input));
  }

  // ---- calls, booking and co-browsing ----

  /** Free callback slots of a menu with the voice channel: "2023-05-31 11:45 +0000". */
  getTimeSlots(menuId: number | string, lang?: string): Promise<string[]> {
    return import('./api/calls.js').then((m) => m.getTimeSlots(this.#core, menuId, lang));
  }

  /** An instant callback request or, with `scheduled_at`, a scheduled one. */
  createCall(input: CallRequest): Promise<Call> {
    return import('./api/calls.js').then((m) => m.createCall(this.#core, input));
  }

  loadCall(callId: number | string): Promise<Call> {
    return import('./api/calls.js').then((m) => m.loadCall(this.#core, callId));
  }

  cancelCall(callId: number | string): Promise<Call> {
    return import('./api/calls.js').then((m) => m.cancelCall(this.#core, callId));
  }

  /** The workspace's meeting types (for booking). */
  getMeetingTypes(lang?: string): Promise<bookings.MeetingType[]> {
    return import('./api/bookings.js').then((m) => m.getMeetingTypes(this.#core, lang));
  }

  /** Free start times (ISO 8601) of a meeting type. */
  getMeetingSlots(meetingTypeId: number): Promise<string[]> {
    return import('./api/bookings.js').then((m) => m.getMeetingSlots(this.#core, meetingTypeId));
  }

  /** Books a slot; a slot taken meanwhile rejects with `slot_taken` and `next_slots`. */
  bookMeeting(input: { meeting_type_id: number; starts_at: string; name: string; email: string }): Promise<{ id: string; starts_at: string; ends_at: string; status: string }> {
    return import('./api/bookings.js').then((m) => m.bookMeeting(this.#core, input));
  }

  /** A six-digit code, valid ten minutes, that the visitor reads to an operator. */
  createCobrowseCode(): Promise<{ id: string; code: string; expires_at: string }> {
    return this.#cobrowseApi().then((c) => c.createCode());
  }

  /** Starts co-browsing once the visitor has agreed: the page is recorded (inputs masked) and streamed until `stopCobrowse()` or the page goes away. */
  startCobrowse(): Promise<{ id: string }> {
    return this.#cobrowseApi().then((c) => c.start());
  }

  /** Stops co-browsing now. */
  stopCobrowse(): Promise<void> {
    return this.#cobrowse ? this.#cobrowse.then((c) => c.stop()) : Promise.resolve();
  }

  // ---- the full messenger: ticket forms, help center, visitor data ----

  getTicketForms(lang?: string): Promise<TicketForm[]> {
    return import('./api/desk.js').then((m) => m.getTicketForms(this.#core, lang));
  }

  /** Submits a ticket; invalid fields reject with a ChatError whose `fields` says what is wrong with each. */
  createTicket(formKey: string, fields: Record<string, string | number | boolean | null>): Promise<{ id: string; form_key: string; status: string }> {
    return import('./api/desk.js').then((m) => m.createTicket(this.#core, formKey, fields));
  }

  /** Help-center articles: matching `query` (full text), or all of the locale. */
  searchArticles(query: string, locale?: string): Promise<ArticleSummary[]> {
    return import('./api/desk.js').then((m) => m.searchArticles(this.#core, query, locale));
  }

  getArticle(locale: string, slug: string): Promise<ArticleSummary & { body: string }> {
    return import('./api/desk.js').then((m) => m.getArticle(this.#core, locale, slug));
  }

  /** "Was this helpful?": the visitor's answer on an article (one per session; answering again replaces it). */
  rateArticle(locale: string, slug: string, helpful: boolean, comment?: string): Promise<content.ArticleRating> {
    return import('./api/desk.js').then((m) => m.rateArticle(this.#core, locale, slug, helpful, comment));
  }

  /** Merges `data` into the session's data and/or replaces its segments, in the order the updates were made. */
  updateSessionData(update: { data?: Record<string, unknown>; segments?: string[] }): Promise<{ data: Record<string, unknown>; segments: string[] }> {
    return this.#sessionData(update);
  }

  /** A short-lived signed token for a verified visitor, or null. */
  identityToken(): Promise<string | null> {
    return content.identityToken(this.#core);
  }

  trackEvent(name: string, data?: Record<string, unknown>): Promise<void> {
    return content.trackEvent(this.#core, name, data);
  }

  presence(pageUrl?: string): Promise<boolean> {
    return content.presence(this.#core, pageUrl);
  }

  /** Records a CSAT (1-5) or NPS (0-10) response. */
  sendSurveyResponse(response: { type: 'csat' | 'nps'; score: number; comment?: string }): Promise<void> {
    return import('./api/desk.js').then((m) => m.sendSurveyResponse(this.#core, response));
  }

  /** Co-browsing's part of the client, imported on first use. */
  #cobrowseApi(): Promise<CobrowseApi> {
    return (this.#cobrowse ??= import('./api/cobrowse.js').then(
      (m) => new m.CobrowseApi(this.#core),
      (error) => {
        this.#cobrowse = null; // not loaded (offline): the next call tries again
        throw error;
      },
    ));
  }
}
