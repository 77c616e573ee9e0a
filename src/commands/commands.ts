import { Emitter } from '../emitter.js';
import { newId } from '../id.js';
import type { Store } from '../state/store.js';
import type { Article, ChatMessage, Position, Theme, VisitorIdentity, WidgetState } from '../state/types.js';
import type { CloseSource } from '../state/events.js';
import * as v from './validate.js';
import { IDENTITY_STRINGS, MAX_MESSAGE_LENGTH, isCsCommand, parseCsCommand, type IdentityInput } from '../protocol/index.js';

export { MAX_MESSAGE_LENGTH, type IdentityInput };

export const THEMES: readonly Theme[] = ['light', 'dark', 'auto'];
export const POSITIONS: readonly Position[] = ['right', 'left'];

/** What `configure()` accepts; every key is optional, unknown keys are refused. */
export interface WidgetOptions {
  theme?: Theme;
  position?: Position;
  locale?: string;
  brandColor?: string;
  muted?: boolean;
  hideOnMobile?: boolean;
  launcherHidden?: boolean;
  zIndex?: number | null;
  title?: string;
}

/** Notifications that are not a change of state (state changes become events by diffing snapshots). */
export interface CommandNotices {
  identify: { identity: VisitorIdentity };
  error: { code: string; message: string };
  track: { name: string; data: Record<string, unknown> };
  /** The visitor (or the page on their behalf) opened, typed or sent: storage may now be written. */
  interaction: Record<string, never>;
}

/** What the commands hand to the server side (see src/client/bind.ts). */
export interface Remote {
  send(message: ChatMessage, conversationFields: Readonly<Record<string, unknown>>): void;
  /** A message the server refused: send it again, or forget it. */
  retry(clientId: string): void;
  discard(clientId: string): void;
  markRead(): void;
  identify(identity: IdentityInput): Promise<void>;
  identityToken(): Promise<string | null>;
  reset(): Promise<void>;
  track(name: string, data: Record<string, unknown>): void;
  typing(typing: boolean): void;
  /** The headless SDK's chat lifecycle, for the messenger's views. */
  startChat(topicId: number, lang: string): Promise<void>;
  attachFile(file: File): Promise<void>;
  finishChat(): Promise<void>;
  escalateChat(): Promise<void>;
  rateChat(rating: number, feedback: string): Promise<void>;
  answerSurvey(answers: Record<string, string | number>): Promise<void>;
  sendTranscript(email: string): Promise<void>;
  sendEmail(input: { name?: string; email: string; content: string; topicId: number; lang: string }): Promise<void>;
  /** The full messenger. */
  submitTicket(key: string, values: Record<string, unknown>): Promise<string>;
  searchArticles(query: string, locale: string): Promise<readonly Article[]>;
  getArticle(locale: string, slug: string): Promise<Article>;
  sessionData(update: { data?: Record<string, unknown>; segments?: readonly string[] }): void;
  /** Calls, booking and co-browsing. */
  callSlots(topicId: number): Promise<readonly string[]>;
  requestCall(input: { topicId: number; phone: string; slot: string | null }): Promise<void>;
  meetingTypes(): Promise<readonly { id: number; name: string; duration_minutes: number }[]>;
  meetingSlots(meetingTypeId: number): Promise<readonly string[]>;
  book(input: { meetingTypeId: number; slot: string; name: string; email: string }): Promise<void>;
  cobrowseCode(): Promise<string>;
  startCobrowse(): Promise<void>;
  stopCobrowse(): Promise<void>;
  /** A web1on1 `>cs` command for the server to apply. */
  csCommand(text: string): Promise<void>;
}



const OPTION_CHECKS: { [K in keyof Required<WidgetOptions>]: (value: unknown) => Partial<WidgetState> } = {
  theme: (x) => ({ theme: v.oneOf('configure({theme})', x, THEMES) }),
  position: (x) => ({ position: v.oneOf('configure({position})', x, POSITIONS) }),
  locale: (x) => ({ locale: v.locale('configure({locale})', x) }),
  brandColor: (x) => ({ brandColor: v.color('configure({brandColor})', x) }),
  muted: (x) => ({ muted: v.boolean('configure({muted})', x) }),
  hideOnMobile: (x) => ({ hideOnMobile: v.boolean('configure({hideOnMobile})', x) }),
  launcherHidden: (x) => ({ launcherVisible: !v.boolean('configure({launcherHidden})', x) }),
  zIndex: (x) => {
    if (x !== null && !Number.isInteger(x)) v.fail('configure({zIndex})', 'expected an integer or null', x);
    return { zIndex: x as number | null };
  },
  title: (x) => ({ title: v.string('configure({title})', x, { max: 200 }) }),
};

/**
 * The canonical command set. Element methods, the three dialects and the
 * widget's own controls all come here; each command checks its arguments first
 * (a TypeError that says what is wrong, and nothing changes), then makes one
 * new snapshot.
 */
export class Commands {
  readonly notices = new Emitter<CommandNotices>();
  /** Set by the element: fires the cancelable `chat-request-close`; false vetoes. */
  closeGuard: ((source: CloseSource) => boolean) | null = null;
  remote: Remote | null = null;

  constructor(readonly store: Store<WidgetState>) {}

  get state(): WidgetState {
    return this.store.state;
  }

  show(): void {
    this.notices.emit('interaction', {});
    const hadUnread = this.state.unreadCount > 0;
    this.store.update({ open: true, unreadCount: 0, preview: null });
    if (hadUnread) this.remote?.markRead();
  }

  hide(): void {
    if (this.state.embedded) return;
    this.store.update({ open: false });
  }

  toggle(): void {
    if (this.state.open) this.hide();
    else this.show();
  }

  /** A close that the visitor starts: cancelable through `closeGuard`. Returns whether it closed. */
  requestClose(source: CloseSource): boolean {
    if (!this.state.open || this.state.embedded) return false;
    if (this.closeGuard && !this.closeGuard(source)) return false;
    this.hide();
    return true;
  }

  showLauncher(): void {
    this.store.update({ launcherVisible: true });
  }

  hideLauncher(): void {
    this.store.update({ launcherVisible: false });
  }

  setTheme(theme: unknown): void {
    this.store.update({ theme: v.oneOf('setTheme(theme)', theme, THEMES) });
  }

  /** Applies several options at once; all are checked before any is applied. */
  configure(options: unknown): void {
    const given = v.plainObject('configure(options)', options);
    let patch: Partial<WidgetState> = {};
    for (const [key, value] of Object.entries(given)) {
      const check = OPTION_CHECKS[key as keyof WidgetOptions];
      if (!check) {
        v.fail('configure(options)', `unknown option "${key}"; known: ${Object.keys(OPTION_CHECKS).join(', ')}`, options);
      }
      patch = { ...patch, ...check(value) };
    }
    this.store.update(patch);
  }

  /** Internal: attributes of the element that only it may set. */
  setEmbedded(embedded: boolean): void {
    this.store.update(embedded ? { embedded, open: true, unreadCount: 0, preview: null } : { embedded });
  }

  /** Opens the panel on the conversation, with `text` in the composer. */
  showNewMessage(text?: unknown): void {
    const draft = text === undefined ? this.state.draft : v.string('showNewMessage(text)', text, { max: MAX_MESSAGE_LENGTH });
    this.store.update({ draft, view: 'conversation' });
    this.show();
  }

  /** Opens the panel on the conversation (the preview card of an operator's reply), not the view shown before. */
  showConversation(): void {
    this.store.update({ view: 'conversation' });
    this.show();
  }

  setMessageText(text: unknown): void {
    this.store.update({ draft: v.string('setMessageText(text)', text, { max: MAX_MESSAGE_LENGTH }) });
  }

  /** The visitor typed in the composer: operators see that they are typing. */
  visitorTyped(): void {
    this.notices.emit('interaction', {});
    this.remote?.typing(this.state.draft.trim() !== '');
  }

  /** Sends a visitor message: it shows at once as `pending`; the delivery moves it on. */
  sendMessage(input: unknown): ChatMessage {
    const raw = typeof input === 'object' && input !== null && !Array.isArray(input) &&
      Object.getPrototypeOf(input) === Object.prototype ? (input as { content?: unknown }).content : input;
    if (typeof raw !== 'string') {
      v.fail('sendMessage(message)', 'expected a string or {content: string}', input);
    }
    const content = v.string('sendMessage(message)', raw.trim(), { max: MAX_MESSAGE_LENGTH, empty: false });
    const id = newId();
    const message: ChatMessage = Object.freeze({
      id,
      clientId: id,
      author: 'visitor',
      content,
      createdAt: new Date().toISOString(),
      status: 'pending',
    });
    this.notices.emit('interaction', {});
    // The panel lands on the conversation that holds it, whatever view it showed (the topic picker...).
    this.store.update((s) => ({
      messages: Object.freeze([...s.messages, message]),
      draft: s.draft.trim() === content ? '' : s.draft,
      view: 'conversation',
    }));
    this.remote?.send(message, this.state.conversationFields);
    this.remote?.typing(false);
    return message;
  }

  /**
   * Sends again a visitor message that the server refused (`status: 'failed'`, its "Retry").
   * Returns false when no failed message has this client id.
   */
  retryMessage(clientId: unknown): boolean {
    const id = v.string('retryMessage(clientId)', clientId, { max: 200, empty: false });
    const failed = this.state.messages.find((m) => m.author === 'visitor' && (m.clientId ?? m.id) === id && m.status === 'failed');
    if (!failed) return false;
    this.notices.emit('interaction', {});
    this.store.update((s) => ({ messages: Object.freeze(s.messages.map((m) => (m === failed ? Object.freeze({ ...m, status: 'pending' as const }) : m))) }));
    this.remote?.retry(id);
    return true;
  }

  /**
   * Forgets a visitor message that the server refused (its "Discard"): it leaves the
   * list and the outbox. Returns false when no failed message has this client id.
   */
  discardMessage(clientId: unknown): boolean {
    const id = v.string('discardMessage(clientId)', clientId, { max: 200, empty: false });
    const failed = this.state.messages.find((m) => m.author === 'visitor' && (m.clientId ?? m.id) === id && m.status === 'failed');
    if (!failed) return false;
    this.store.update((s) => ({ messages: Object.freeze(s.messages.filter((m) => m !== failed)) }));
    this.remote?.discard(id);
    return true;
  }

  /**
   * Sends a message on the visitor's behalf; a `>cs ` message is a command
   * for the server (checked here first: a malformed one is a TypeError), never
   * a chat bubble.
   */
  sendClientMessage(text: unknown): Promise<void> | ChatMessage {
    const message = v.string('sendClientMessage(text)', text, { max: MAX_MESSAGE_LENGTH, empty: false });
    if (!isCsCommand(message)) return this.sendMessage(message);
    try {
      parseCsCommand(message);
    } catch (error) {
      v.fail('sendClientMessage(text)', (error as Error).message, message);
    }
    if (!this.remote) return Promise.reject(new Error('sendClientMessage: a >cs command needs the server (set a public key)'));
    return this.remote.csCommand(message).catch((error: { code?: string; message?: string }) => {
      this.error(error.code ?? 'invalid_command', error.message ?? String(error));
      throw error;
    });
  }

  /** Shows a message as if an operator wrote it; local only, never sent. */
  showAgentMessage(text: unknown, name?: unknown): ChatMessage {
    const content = v.string('showAgentMessage(text)', text, { max: MAX_MESSAGE_LENGTH, empty: false });
    const authorName = name === undefined || name === null ? undefined : v.string('showAgentMessage(text, name)', name, { max: 200 });
    const id = newId();
    const message: ChatMessage = Object.freeze({
      id,
      author: 'agent',
      content,
      createdAt: new Date().toISOString(),
      status: 'sent',
      local: true,
      ...(authorName ? { authorName } : {}),
    });
    // The panel lands on the conversation, whatever view it showed.
    this.receive([message], { view: 'conversation' });
    return message;
  }

  markRead(): void {
    this.store.update({ unreadCount: 0, preview: null });
    this.remote?.markRead();
  }

  /** Hides the preview card; the messages stay unread. */
  dismissPreview(): void {
    this.store.update({ preview: null });
  }

  /**
   * Merges messages into the list (by client id, else id): new ones are added
   * in time order, known ones replaced (a pending message becoming sent). New
   * messages from others raise the unread count while the panel is closed.
   */
  receive(incoming: readonly ChatMessage[], patch: Partial<WidgetState> = {}): void {
    this.store.update((s) => {
      const byKey = new Map(s.messages.map((m, i) => [m.clientId ?? m.id, i]));
      const list = [...s.messages];
      const fresh: ChatMessage[] = [];
      for (const m of incoming) {
        const at = byKey.get(m.clientId ?? m.id) ?? byKey.get(m.id);
        if (at === undefined) {
          byKey.set(m.clientId ?? m.id, list.length);
          list.push(m);
          fresh.push(m);
        } else {
          list[at] = m;
        }
      }
      if (fresh.length) list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      const unseen = s.open ? [] : fresh.filter((m) => m.author !== 'visitor');
      return {
        ...patch,
        messages: Object.freeze(list),
        ...(fresh.some((m) => m.author === 'agent') ? { typing: null } : {}),
        ...(unseen.length ? { unreadCount: s.unreadCount + unseen.length, preview: unseen[unseen.length - 1]! } : {}),
      };
    });
  }

  setSessionData(data: unknown): void {
    const given = v.plainObject('setSessionData(data)', data);
    this.store.update((s) => ({ sessionData: Object.freeze({ ...s.sessionData, ...given }) }));
    this.remote?.sessionData({ data: given });
  }

  setSegments(list: unknown): void {
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
      v.fail('setSegments(list)', 'expected an array of strings', list);
    }
    this.store.update({ segments: Object.freeze([...list]) });
    this.remote?.sessionData({ segments: list });
  }

  // ---- ticket forms ----

  /** Opens a ticket form by key (known once the forms are loaded; an unknown key is reported as chat-error). */
  showTicketForm(key: unknown): void {
    const formKey = v.string('showTicketForm(key)', key, { max: 100, empty: false });
    const s = this.state;
    if (s.ticketForms.length && !s.ticketForms.some((f) => f.key === formKey)) {
      this.error('unknown_form', `showTicketForm: no ticket form has the key "${formKey}"; known: ${s.ticketForms.map((f) => f.key).join(', ')}`);
      return;
    }
    this.store.update({ view: 'tickets', ticket: Object.freeze({ key: formKey, values: s.ticketPrefill, errors: Object.freeze({}), sentId: null }), notice: null });
    this.show();
  }

  /** Prefills ticket form fields (merged); applies to the open form too. */
  setTicketFormFields(fields: unknown): void {
    const given = v.plainObject('setTicketFormFields(fields)', fields);
    this.store.update((s) => ({
      ticketPrefill: Object.freeze({ ...s.ticketPrefill, ...given }),
      ticket: Object.freeze({ ...s.ticket, values: Object.freeze({ ...s.ticket.values, ...given }) }),
    }));
  }

  /** Limits the ticket forms the visitor may choose from; null shows them all again. */
  setVisibleTicketForms(keys: unknown): void {
    if (keys !== null && (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))) {
      v.fail('setVisibleTicketForms(keys)', 'expected an array of form keys, or null', keys);
    }
    this.store.update({ visibleTicketForms: keys === null ? null : Object.freeze([...(keys as string[])]) });
  }

  /** Records what the visitor typed in the open form. */
  setTicketValue(name: string, value: unknown): void {
    this.store.update((s) => ({ ticket: Object.freeze({ ...s.ticket, values: Object.freeze({ ...s.ticket.values, [name]: value }) }) }));
  }

  /** Submits the open form; the server's errors show beside their fields. */
  async submitTicket(): Promise<boolean> {
    const { key, values } = this.state.ticket;
    if (!key) return false;
    let sentId: string | null = null;
    let errors: Record<string, string> = {};
    const ok = await this.#run(async (r) => {
      try {
        sentId = await r.submitTicket(key, { ...values });
      } catch (error) {
        const fields = (error as { fields?: Record<string, string> }).fields;
        if (!fields) throw error;
        errors = fields;
      }
    });
    this.store.update((s) => ({ ticket: Object.freeze({ ...s.ticket, errors: Object.freeze(errors), sentId }) }));
    return ok && sentId !== null;
  }

  // ---- help center ----

  /** Opens the help view, searching for `query` when given. */
  openHelp(query?: unknown): Promise<boolean> {
    const q = query === undefined ? '' : v.string('openHelp(query)', query, { max: 500 });
    this.store.update({ view: 'help', help: Object.freeze({ query: q, results: null, article: null }), notice: null });
    this.show();
    return this.searchHelp(q);
  }

  searchHelp(query: string): Promise<boolean> {
    return this.#run(async (r) => {
      const results = await r.searchArticles(query, this.state.locale || 'en');
      this.store.update((s) => ({ help: Object.freeze({ ...s.help, query, results: Object.freeze([...results]) }) }));
    });
  }

  /** Opens one help article by locale and slug. */
  openArticle(article: unknown): Promise<boolean> {
    const given = v.plainObject('openArticle({locale, slug})', article) as { locale?: unknown; slug?: unknown };
    const locale = v.locale('openArticle({locale})', given.locale ?? 'en');
    const slug = v.string('openArticle({slug})', given.slug, { max: 100, empty: false });
    this.store.update((s) => ({ view: 'help', help: Object.freeze({ ...s.help, article: null }), notice: null }));
    this.show();
    return this.#run(async (r) => {
      const found = await r.getArticle(locale, slug);
      this.store.update((s) => ({ help: Object.freeze({ ...s.help, article: Object.freeze(found) }) }));
    });
  }

  // ---- calls and booking ----

  #schedule(patch: Partial<NonNullable<WidgetState['schedule']>>): void {
    this.store.update((s) => ({ schedule: s.schedule && Object.freeze({ ...s.schedule, ...patch }) }));
  }

  /** "Call me back" on a topic with the voice channel: the slot picker. */
  requestCallback(topicId: unknown): Promise<boolean> {
    if (!Number.isInteger(topicId)) v.fail('requestCallback(topicId)', 'expected a topic id', topicId);
    this.store.update({ view: 'call', notice: null, schedule: Object.freeze({ kind: 'call', topicId: topicId as number, meetingTypes: [], meetingTypeId: null, slots: null, slot: null, done: null }) });
    return this.#run(async (r) => this.#schedule({ slots: Object.freeze([...(await r.callSlots(topicId as number))]) }));
  }

  submitCall(phone: unknown, slot: unknown): Promise<boolean> {
    const number = v.string('submitCall(phone)', phone, { max: 20, empty: false }).replace(/[\s().-]/g, '');
    const when = slot === null || slot === '' ? null : v.string('submitCall(phone, slot)', slot, { max: 40 });
    const topicId = this.state.schedule?.topicId;
    if (topicId === null || topicId === undefined) return Promise.resolve(false);
    return this.#run(async (r) => {
      await r.requestCall({ topicId, phone: number, slot: when });
      this.#schedule({ done: Object.freeze({ when }) });
    });
  }

  /**
   * Opens the messenger on the booking flow, with `meeting_type_id`
   * preselected; works whatever the messenger shows, and says clearly when the
   * workspace has no meeting type.
   */
  openScheduling(options?: unknown): Promise<boolean> {
    const given = options === undefined ? {} : (v.plainObject('openScheduling(options)', options) as { meeting_type_id?: unknown });
    if (given.meeting_type_id !== undefined && !(Number.isInteger(given.meeting_type_id) && (given.meeting_type_id as number) > 0)) {
      v.fail('openScheduling({meeting_type_id})', 'expected a meeting type id (a positive whole number)', given.meeting_type_id);
    }
    const wanted = (given.meeting_type_id as number | undefined) ?? null;
    this.store.update({ view: 'booking', notice: null, schedule: Object.freeze({ kind: 'booking', topicId: null, meetingTypes: [], meetingTypeId: wanted, slots: null, slot: null, done: null }) });
    this.show();
    return this.#run(async (r) => {
      const types = await r.meetingTypes();
      if (!types.length) throw Object.assign(new Error('no-meeting-types'), { code: 'no_meeting_types' });
      const id = wanted ?? types[0]!.id;
      if (!types.some((t) => t.id === id)) throw Object.assign(new Error(`unknown-meeting-type`), { code: 'unknown_meeting_type' });
      this.#schedule({ meetingTypes: Object.freeze([...types]), meetingTypeId: id, slots: Object.freeze([...(await r.meetingSlots(id))]) });
    });
  }

  chooseMeetingType(id: number): Promise<boolean> {
    this.#schedule({ meetingTypeId: id, slots: null, slot: null });
    return this.#run(async (r) => this.#schedule({ slots: Object.freeze([...(await r.meetingSlots(id))]) }));
  }

  chooseSlot(slot: string | null): void {
    this.#schedule({ slot });
  }

  /** Books the chosen slot; if another visitor took it meanwhile, the free slots are offered again. */
  book(name: unknown, email: unknown): Promise<boolean> {
    const s = this.state.schedule;
    if (!s?.slot || !s.meetingTypeId) return Promise.resolve(false);
    const input = { meetingTypeId: s.meetingTypeId, slot: s.slot, name: v.string('book(name)', name, { max: 200, empty: false }), email: v.string('book(email)', email, { max: 320, empty: false }) };
    return this.#run(async (r) => {
      try {
        await r.book(input);
        this.#schedule({ done: Object.freeze({ when: input.slot }) });
      } catch (error) {
        const next = (error as { next_slots?: string[] }).next_slots;
        if (next) this.#schedule({ slots: Object.freeze([...(await r.meetingSlots(input.meetingTypeId))]), slot: null });
        throw error;
      }
    });
  }

  // ---- co-browsing ----

  /** The visitor asks to share their screen: the code to read out, and a consent question. */
  shareScreen(): Promise<boolean> {
    this.store.update({ cobrowse: Object.freeze({ phase: 'consent', code: null }) });
    return this.#run(async (r) => {
      const code = await r.cobrowseCode();
      this.store.update((s) => ({ cobrowse: s.cobrowse && Object.freeze({ ...s.cobrowse, code }) }));
    });
  }

  /** The visitor agreed: recording starts now, not before. */
  allowCobrowse(): Promise<boolean> {
    return this.#run(async (r) => {
      await r.startCobrowse();
      this.store.update((s) => ({ cobrowse: Object.freeze({ phase: 'live', code: s.cobrowse?.code ?? null }) }));
    });
  }

  /** Stops sharing (or declines). */
  async stopCobrowse(): Promise<void> {
    const live = this.state.cobrowse?.phase === 'live';
    this.store.update({ cobrowse: null });
    if (live) await this.remote?.stopCobrowse();
  }

  closeArticle(): void {
    this.store.update((s) => ({ help: Object.freeze({ ...s.help, article: null }) }));
  }

  setConversationFields(fields: unknown): void {
    const given = v.plainObject('setConversationFields(fields)', fields);
    this.store.update((s) => ({ conversationFields: Object.freeze({ ...s.conversationFields, ...given }) }));
  }

  trackEvent(name: unknown, data?: unknown): void {
    const event = v.string('trackEvent(name)', name, { max: 100, empty: false });
    const payload = data === undefined ? {} : v.plainObject('trackEvent(name, data)', data);
    this.notices.emit('track', { name: event, data: payload });
    this.remote?.track(event, payload);
  }

  /**
   * Connects the visitor to a customer identity: plain, or verified with
   * `user_hash`, `email_hash` or `jwt`. The details show at once; the server
   * checks the proof. Resolves when the server has it.
   */
  identify(identity: unknown): Promise<void> {
    const given = v.plainObject('identify(identity)', identity);
    for (const key of Object.keys(given)) {
      if (!(IDENTITY_STRINGS as readonly string[]).includes(key) && key !== 'custom_data') {
        v.fail('identify(identity)', `unknown field "${key}"; known: ${[...IDENTITY_STRINGS, 'custom_data'].join(', ')}`, identity);
      }
    }
    for (const key of IDENTITY_STRINGS) {
      if (given[key] !== undefined) v.string(`identify({${key}})`, given[key], { max: key === 'jwt' ? 8192 : 2048 });
    }
    if (given['custom_data'] !== undefined) v.plainObject('identify({custom_data})', given['custom_data']);
    const input = given as IdentityInput;
    const user: VisitorIdentity = Object.freeze({
      ...this.state.user,
      ...(input.id || input.external_id ? { external_id: input.external_id ?? input.id } : {}),
      ...(input.email ? { email: input.email } : {}),
      ...(input.name ? { name: input.name } : {}),
      ...(input.phone ? { phone: input.phone } : {}),
      ...(input.company ? { company: input.company } : {}),
      ...(input.avatar_url ? { avatar_url: input.avatar_url } : {}),
      ...(input.custom_data ? { custom_data: input.custom_data } : {}),
    });
    if (!this.remote) {
      this.store.update({ user });
      this.notices.emit('identify', { identity: user });
      return Promise.resolve();
    }
    // Checked above, synchronously (a TypeError throws at the call); the server's answer comes later.
    return this.remote.identify(input).catch((error: { code?: string; message?: string }) => {
      this.error(error.code ?? 'identify_failed', error.message ?? String(error));
      throw error;
    });
  }

  /** A short-lived signed identity token for a verified visitor, or null. */
  async identityToken(): Promise<string | null> {
    return this.remote ? this.remote.identityToken() : null;
  }

  /** Forgets the visitor in place: a new anonymous session, nothing of the previous one on screen. */
  async resetSession(): Promise<void> {
    this.store.update({
      messages: Object.freeze([]) as readonly ChatMessage[],
      unreadCount: 0,
      preview: null,
      draft: '',
      user: Object.freeze({}),
      sessionId: null,
      conversationFields: Object.freeze({}),
      sessionData: Object.freeze({}),
      segments: Object.freeze([]) as readonly string[],
    });
    await this.remote?.reset();
  }

  // ---- the chat lifecycle, for the messenger's views (each reports failures as a notice) ----

  /** Shows one of the panel's views. */
  setView(view: WidgetState['view']): void {
    this.store.update({ view, notice: null });
  }

  dismissNotice(): void {
    this.store.update({ notice: null });
  }

  async #run(task: (remote: Remote) => Promise<void>): Promise<boolean> {
    if (!this.remote || this.state.busy) return false;
    this.store.update({ busy: true, notice: null });
    try {
      await task(this.remote);
      return true;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      this.store.update({ notice: { kind: 'error', text: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) } });
      this.error(e.code ?? 'failed', e.message ?? String(error));
      return false;
    } finally {
      this.store.update({ busy: false });
    }
  }

  /** Starts a chat on a support topic (the topic picker). */
  startChat(topicId: unknown): Promise<boolean> {
    if (!Number.isInteger(topicId)) v.fail('startChat(topicId)', 'expected a topic id', topicId);
    return this.#run((r) => r.startChat(topicId as number, this.state.locale || 'en'));
  }

  /** Sends a file in the current chat. */
  attachFile(file: unknown): Promise<boolean> {
    if (typeof File === 'undefined' || !(file instanceof File)) v.fail('attachFile(file)', 'expected a File', file);
    return this.#run((r) => r.attachFile(file as File));
  }

  finishChat(): Promise<boolean> {
    return this.#run((r) => r.finishChat());
  }

  escalateChat(): Promise<boolean> {
    return this.#run((r) => r.escalateChat());
  }

  rateChat(rating: unknown, feedback: unknown = ''): Promise<boolean> {
    if (!Number.isInteger(rating) || (rating as number) < 1 || (rating as number) > 5) v.fail('rateChat(rating)', 'expected a whole number from 1 to 5', rating);
    return this.#run((r) => r.rateChat(rating as number, v.string('rateChat(rating, feedback)', feedback, { max: 2000 })));
  }

  answerSurvey(answers: unknown): Promise<boolean> {
    return this.#run((r) => r.answerSurvey(v.plainObject('answerSurvey(answers)', answers) as Record<string, string | number>));
  }

  sendTranscript(email: unknown): Promise<boolean> {
    return this.#run((r) => r.sendTranscript(v.string('sendTranscript(email)', email, { max: 320, empty: false })));
  }

  sendEmail(input: unknown): Promise<boolean> {
    const given = v.plainObject('sendEmail(input)', input) as { name?: string; email: string; content: string; topicId: number };
    return this.#run((r) => r.sendEmail({ ...given, lang: this.state.locale || 'en' }));
  }

  /** Replaces the whole message list (a history load), keeping what the visitor sent meanwhile. */
  /**
   * The history as the server has it. What is not on the server stays, in time order: the
   * messages the page showed locally (`showAgentMessage`, e.g. a greeting set before the
   * session loaded) and the visitor's own that are still pending or failed (a refused one
   * keeps its Retry and Discard when a chat's history is loaded after it).
   */
  replaceMessages(messages: readonly ChatMessage[]): void {
    const key = (m: ChatMessage) => m.clientId ?? m.id;
    const known = new Set(messages.map(key));
    const all = [...messages];
    // Each kept message goes back after the one it followed (clocks of the server and the
    // browser differ, so times alone would misplace it), or first when it was first.
    let after: ChatMessage | null = null;
    for (const m of this.store.state.messages) {
      if (known.has(key(m))) after = m;
      else if (m.local || m.status === 'pending' || m.status === 'failed') {
        const at = after ? all.findIndex((x) => key(x) === key(after!)) + 1 : 0;
        all.splice(after && at === 0 ? all.length : at, 0, m);
        after = m;
        known.add(key(m));
      }
    }
    this.store.update({ messages: Object.freeze(all) });
  }

  /** Reports a failure to the page as `chat-error`. */
  error(code: string, message: string): void {
    this.notices.emit('error', { code, message });
  }
}

/** The canonical command names that the dialects may call by name. */
export const COMMAND_NAMES = [
  'show', 'hide', 'toggle', 'showLauncher', 'hideLauncher', 'setTheme', 'configure',
  'showNewMessage', 'setMessageText', 'sendMessage', 'showAgentMessage', 'markRead',
  'setSessionData', 'setSegments', 'setConversationFields', 'trackEvent', 'identify', 'identityToken',
  'resetSession', 'showTicketForm', 'setTicketFormFields', 'setVisibleTicketForms', 'openHelp', 'openArticle',
  'openScheduling',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** The one dispatcher: runs a canonical command by name. */
export function dispatch(commands: Commands, name: string, ...args: unknown[]): unknown {
  if (!(COMMAND_NAMES as readonly string[]).includes(name)) {
    throw new TypeError(`chat-widget: unknown command ${JSON.stringify(name)}; known: ${COMMAND_NAMES.join(', ')}`);
  }
  return (commands[name as CommandName] as (...a: unknown[]) => unknown).apply(commands, args);
}
