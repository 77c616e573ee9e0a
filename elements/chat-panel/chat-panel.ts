import { LitElement, html, nothing, svg } from 'lit';
import { state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { localized, msg, str } from '@lit/localize';
import { greetingOf, leafTopics, type ChatMessage, type WidgetState } from '../../src/state/types.js';
import { messageKey } from '../../src/state/events.js';
import { MAX_PAGE } from '../../src/protocol/limits.js';
import { linkify } from '../../src/linkify.js';
import { formatted, link } from '../shared/formatted.js';
import { WidgetContext } from '../shared/widget-context.js';
import { baseStyles } from '../shared/base.styles.js';
import { panelStyles } from './chat-panel.styles.js';
import { noticeText } from '../shared/notice.js';
import { initials } from '../shared/initials.js';

const closeIcon = svg`<path d="M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z"/>`;
const screenIcon = svg`<path d="M3 4h18a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1h-7v2h3v2H7v-2h3v-2H3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm1 2v9h16V6z"/>`;
const attachIcon = svg`<path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"/>`;
const sendIcon = svg`<path d="M3.4 20.4 21 12 3.4 3.6l-.1 6.5L15 12 3.3 13.9z"/>`;


/** The AI agent's answer and its sources (./ai-answer.ts): loaded with the first answer. */
let aiModule: typeof import('./ai-answer.js') | null = null;
let aiLoading: Promise<unknown> | null = null;

/** Whether `m` continues the run of `prev`: the same author (and name), within two minutes. */
const continues = (prev: ChatMessage | undefined, m: ChatMessage): boolean =>
  !!prev && prev.author === m.author && prev.authorName === m.authorName && Date.parse(m.createdAt) - Date.parse(prev.createdAt) < 120_000;


/**
 * The views most visitors never open come as chunks of their own, fetched the first
 * time one shows (DESIGN section 3): the element renders at once and upgrades when its code is in.
 * The home (chat-topics) is one too, fetched early by `<chat-widget>` when the workspace has topics.
 */
const LATER_VIEWS: Record<string, () => Promise<unknown>> = {
  'chat-topics': () => import('../chat-topics/chat-topics.js'),
  'chat-after': () => import('../chat-after/chat-after.js'),
  'chat-tickets': () => import('../chat-tickets/chat-tickets.js'),
  'chat-help': () => import('../chat-help/chat-help.js'),
  'chat-schedule': () => import('../chat-schedule/chat-schedule.js'),
};
const loads = new Map<string, Promise<unknown>>();

/** The view's code, fetched once; a view whose code failed to come is reported (and tried again next time). */
export function loadView(tag: string): Promise<unknown> {
  if (customElements.get(tag) || !LATER_VIEWS[tag]) return Promise.resolve();
  let load = loads.get(tag);
  if (!load) {
    load = LATER_VIEWS[tag]().catch((error: unknown) => {
      loads.delete(tag);
      throw error;
    });
    loads.set(tag, load);
  }
  return load;
}

/**
 * The messenger panel inside `<chat-widget>`: header, message log and composer.
 * It renders the widget's snapshot and changes nothing but through commands.
 *
 * @summary The messenger panel: header, messages and composer.
 *
 * @csspart header - The title bar.
 * @csspart messages - The message log (`role=log`).
 * @csspart message - One message bubble; `data-author` says who wrote it.
 * @csspart composer - The form at the bottom.
 * @csspart input - The message field.
 * @csspart send-button - The send button.
 */
@localized()
export class ChatPanel extends LitElement {
  static override styles = [baseStyles, panelStyles];

  readonly #context = new WidgetContext(this);

  /** "End chat" was pressed: the panel asks first (ending cannot be undone). */
  @state() private confirmingEnd = false;


  /** Moves focus to the message field. */
  focusComposer(): void {
    this.renderRoot.querySelector<HTMLTextAreaElement>('[part="input"]')?.focus();
  }

  /**
   * Moves focus to the first control of the view that shows: the composer in
   * the conversation, the first topic button in the topic picker, the first
   * field of a form... (through the view's shadow root). Returns whether it found one.
   */
  async focusView(): Promise<boolean> {
    await this.updateComplete;
    if (this.#context.state?.view === 'conversation') {
      const input = this.renderRoot.querySelector<HTMLTextAreaElement>('[part="input"]');
      // On a touch screen focusing the field brings the keyboard up over the conversation:
      // the panel itself takes focus there, and the visitor taps the field when they want to write.
      if (input && matchMedia('(pointer: coarse)').matches) {
        this.renderRoot.querySelector<HTMLElement>('[part="messages"]')?.focus({ preventScroll: true });
        return true;
      }
      input?.focus();
      return !!input;
    }
    const view = this.renderRoot.querySelector<LitElement>('chat-topics, chat-after, chat-tickets, chat-help, chat-schedule');
    if (view) await loadView(view.localName).catch(() => {});
    await view?.updateComplete;
    const first = view?.shadowRoot ? firstControl(view.shadowRoot) : null;
    first?.focus();
    return !!first;
  }

  #shownMessages?: WidgetState['messages'];
  /** More of the loaded messages were brought into the DOM (above). */
  #grew = false;
  #shownLoading?: boolean;
  /** The list's distance from its bottom before an update that brings older messages in above. */
  #fromBottom: number | null = null;

  /**
   * Brings earlier messages in: those already loaded that are not in the DOM yet, else the
   * server's page before the oldest loaded. What the visitor looks at stays in place.
   */
  #showEarlier = () => {
    const s = this.#context.state;
    if (!s) return;
    if (s.messages.length > this.#window) {
      this.#window += PAGE;
      this.#grew = true;
      this.requestUpdate();
    } else if (s.earlier && !s.loadingEarlier) {
      // The page that comes is shown whole.
      this.#window = s.messages.length + MAX_PAGE;
      void this.#context.commands?.loadEarlier();
    }
  };

  /** The answer being written as last shown, and whether the list was at its end then (it stays there as the answer grows). */
  #shownAnswer: WidgetState['answer'] = null;
  #pinned = false;

  protected override willUpdate(): void {
    // Read only when the list changes (reading it lays the page out).
    const s = this.#context.state;
    if (s && s.answer !== this.#shownAnswer) {
      const log = this.renderRoot.querySelector<HTMLElement>('[part="messages"]');
      this.#pinned = !!log && log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    }
    const changes = s && (s.messages !== this.#shownMessages || s.loadingEarlier !== this.#shownLoading || this.#grew);
    const log = changes ? this.renderRoot.querySelector<HTMLElement>('[part="messages"]') : null;
    this.#fromBottom = log ? log.scrollHeight - log.scrollTop : null;
  }

  protected override updated(): void {
    const log = this.renderRoot.querySelector<HTMLElement>('[part="messages"]');
    const messages = this.#context.state?.messages;
    const before = this.#shownMessages;
    const last = messages?.at(-1);
    const lastBefore = before?.at(-1);
    // Older messages came in above (a page from the server, or more of those loaded): the list keeps
    // its distance from the bottom. New messages, or another conversation: the list shows its end.
    const grewAbove = log && this.#fromBottom !== null && (messages === before || (!!last && !!lastBefore && messageKey(last) === messageKey(lastBefore) && messages!.length > before!.length));
    if (grewAbove) log.scrollTop = log.scrollHeight - this.#fromBottom!;
    else if (messages && messages !== before) log?.scrollTo({ top: log.scrollHeight });
    // The answer being written grew: a list that was at its end stays there (no jump while reading above).
    const answer = this.#context.state?.answer ?? null;
    if (answer !== this.#shownAnswer && this.#pinned && log) log.scrollTop = log.scrollHeight;
    this.#shownAnswer = answer;
    this.#grew = false;
    this.#shownMessages = messages;
    this.#shownLoading = this.#context.state?.loadingEarlier;
    // The top of the list in view (or nearly) brings earlier messages in, without a click: the
    // observer says so as soon as it watches, so a list still short of the top keeps coming.
    const earlier = this.renderRoot.querySelector('.earlier');
    this.#earlierObserver?.disconnect();
    if (earlier && log) {
      this.#earlierObserver = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting) && log.scrollHeight > log.clientHeight) this.#showEarlier();
      }, { root: log, rootMargin: '150% 0px 0px 0px' });
      this.#earlierObserver.observe(earlier);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#earlierObserver?.disconnect();
  }

  override render() {
    const s = this.#context.state;
    if (!s) return nothing;
    return html`${this.#header(s)}${this.#confirmEnd(s)}${this.#cobrowse(s)}${this.#tabs(s)}${this.#body(s)}${this.#viewer()}`;
  }

  /** The image a thumbnail opened, full size in a modal dialog; focus goes back to the thumbnail once closed. */
  #zoomed?: { url: string; name: string; from: HTMLElement };

  #zoom(e: MouseEvent, a: { url: string; name: string }): void {
    if (e.ctrlKey || e.metaKey || e.shiftKey) return; // a new tab or window, as the link says
    e.preventDefault();
    this.#zoomed = { ...a, from: e.currentTarget as HTMLElement };
    this.requestUpdate();
    void this.updateComplete.then(() => this.renderRoot.querySelector('dialog')?.showModal());
  }

  #viewer() {
    const z = this.#zoomed;
    return z
      ? html`<dialog class="viewer" aria-label=${z.name} @click=${(e: Event) => e.target === e.currentTarget && (e.target as HTMLDialogElement).close()}
          @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && e.stopPropagation()}
          @close=${() => (z.from.focus(), (this.#zoomed = undefined), this.requestUpdate())}>
          <img src=${z.url} alt=${z.name} />
          <form method="dialog">
            <a href=${z.url} download=${z.name}>${msg(str`Download ${z.name}`)}</a>
            <button class="icon-button" aria-label=${msg('Close')} autofocus><svg viewBox="0 0 24 24" aria-hidden="true">${closeIcon}</svg></button>
          </form>
        </dialog>`
      : nothing;
  }

  #askEnd = async () => {
    this.confirmingEnd = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.confirm-end .keep')?.focus();
  };

  #answerEnd(end: boolean) {
    this.confirmingEnd = false;
    if (end) void this.#context.commands?.finishChat();
    else void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('[part="header"] .end')?.focus());
  }

  /** Ending a chat is asked first; the conversation stays readable afterwards. */
  #confirmEnd(s: WidgetState) {
    const chatOn = s.chat && s.view === 'conversation' && !['finished', 'dismissed'].includes(s.chat.status);
    if (!this.confirmingEnd || !chatOn) return nothing;
    return html`<div class="confirm-end" role="alertdialog" aria-labelledby="confirm-end-text" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), this.#answerEnd(false))}>
      <p id="confirm-end-text">${msg('End this chat? You can still read it afterwards.')}</p>
      <button class="text-button keep" type="button" @click=${() => this.#answerEnd(false)}>${msg('Keep chatting')}</button>
      <button class="text-button confirm" type="button" @click=${() => this.#answerEnd(true)}>${msg('End chat')}</button>
    </div>`;
  }

  /** Co-browsing: the consent question (with the code to read out), then a banner while the page is shared. */
  #cobrowse(s: WidgetState) {
    const c = s.cobrowse;
    if (!c) return nothing;
    if (c.phase === 'live') {
      return html`<div class="cobrowse" role="status">
        <span>${msg('You are sharing this page. Your typing stays hidden.')}</span>
        <button class="text-button" type="button" @click=${() => this.#context.commands?.stopCobrowse()}>${msg('Stop sharing')}</button>
      </div>`;
    }
    return html`<div class="cobrowse" role="group" aria-label=${msg('Share your screen')}>
      <p>${msg('An operator will see this page as you do, but not what you type. The recording stops when you stop it or leave the page.')}</p>
      ${c.code ? html`<p>${msg('Your code:')} <strong class="code">${c.code}</strong></p>` : nothing}
      <button class="text-button" type="button" ?disabled=${s.pending.cobrowse || !c.code} @click=${() => this.#context.commands?.allowCobrowse()}>${msg('Allow')}</button>
      <button class="text-button" type="button" @click=${() => this.#context.commands?.stopCobrowse()}>${msg('Cancel')}</button>
    </div>`;
  }

  /** Messages, help and tickets: shown when the workspace has articles or forms to offer. */
  #tabs(s: WidgetState) {
    const forms = s.ticketForms.some((f) => s.visibleTicketForms === null || s.visibleTicketForms.includes(f.key));
    if (!forms && !s.topics.length) return nothing;
    const tab = s.view === 'help' ? 'help' : s.view === 'tickets' ? 'tickets' : 'messages';
    return html`<nav class="tabs" aria-label=${msg('Messenger sections')}>
      <button type="button" aria-pressed=${tab === 'messages'} @click=${() => this.#context.commands?.showMessages()}>${msg('Messages')}</button>
      <button type="button" aria-pressed=${tab === 'help'} @click=${() => this.#context.commands?.openHelp(s.help.query)}>${msg('Help')}</button>
      ${forms
        ? html`<button type="button" aria-pressed=${tab === 'tickets'} @click=${() => this.#context.commands?.setView('tickets')}>${msg('Tickets')}</button>`
        : nothing}
    </nav>`;
  }

  #body(s: WidgetState) {
    switch (s.view) {
      case 'topics':
      case 'email':
        return this.#later(html`<chat-topics></chat-topics>`, 'chat-topics');
      case 'after-chat':
        // The conversation stays above the rating, survey and transcript.
        return html`${this.#messages(s)}${this.#later(html`<chat-after></chat-after>`, 'chat-after')}`;
      case 'tickets':
        return this.#later(html`<chat-tickets></chat-tickets>`, 'chat-tickets');
      case 'help':
        return this.#later(html`<chat-help></chat-help>`, 'chat-help');
      case 'call':
      case 'booking':
        return this.#later(html`<chat-schedule></chat-schedule>`, 'chat-schedule');
      default:
        return html`${this.#messages(s)}${this.#composer(s)}`;
    }
  }

  /** A view whose code comes on first use: rendered now, upgraded when it is in; a failed fetch is a `chat-error`. */
  #later(view: unknown, tag: string) {
    loadView(tag).catch((error: unknown) => this.#context.commands?.error('network', `chat-widget: the ${tag} view could not load (${String(error)})`));
    return view;
  }

  /** The header's second line: connection, then the chat's state, then availability. */
  #statusText(s: WidgetState): string {
    if (s.connection === 'offline') return msg('Offline. Your messages will be sent when the connection is back.');
    const chat = s.chat;
    if (chat && s.view === 'conversation') {
      if (chat.status === 'va_assigned') return msg('A virtual assistant is answering');
      if (chat.status === 'queued') {
        if (chat.waitSeconds === null) return msg('Waiting for the next available person');
        const minutes = Math.max(1, Math.round(chat.waitSeconds / 60));
        return chat.waitSeconds < 60 ? msg('You are next in line') : msg(str`Expected wait: about ${minutes} min`);
      }
    }
    return s.available ? msg('We are online') : msg('We usually reply in a few minutes');
  }

  #header(s: WidgetState) {
    const status = this.#statusText(s);
    const chatOn = s.chat && s.view === 'conversation' && !['finished', 'dismissed'].includes(s.chat.status);
    return html`
      <div part="header">
        <div class="titles">
          <h2 id="title">${s.title || msg('Chat with us')}</h2>
          <p class="status" role="status" data-connection=${s.connection} title=${status}>${status}</p>
        </div>
        ${chatOn ? html`<button class="text-button end" type="button" aria-expanded=${this.confirmingEnd} ?disabled=${s.pending.lifecycle} @click=${this.#askEnd}>${msg('End chat')}</button>` : nothing}
        ${s.sessionId && !s.cobrowse
          ? html`<button class="icon-button share" type="button" aria-label=${msg('Share your screen')} @click=${() => this.#context.commands?.shareScreen()}>
              <svg viewBox="0 0 24 24" aria-hidden="true">${screenIcon}</svg>
            </button>`
          : nothing}
        ${s.embedded
          ? nothing
          : html`<button class="icon-button" type="button" aria-label=${msg('Close chat')} @click=${() => this.#context.commands?.requestClose('close-button')}>
              <svg viewBox="0 0 24 24" aria-hidden="true">${closeIcon}</svg>
            </button>`}
      </div>
    `;
  }

  /**
   * How many of the latest messages are in the DOM. A long history renders its
   * end (fast to paint, few nodes); scrolling to the top brings earlier ones in.
   */
  #window = PAGE;
  #earlierObserver?: IntersectionObserver;

  #messages(s: WidgetState) {
    const hidden = Math.max(0, s.messages.length - this.#window);
    const shown = hidden ? s.messages.slice(hidden) : s.messages;
    this.#offer = undefined;
    for (let i = s.messages.length; i-- > 0 && !this.#offer; ) if (s.messages[i]!.data?.escalate) this.#offer = s.messages[i];
    return html`
      <div part="messages" role="log" aria-live="polite" aria-label=${msg('Messages')} tabindex="0">
        ${s.topic !== null && !s.chat ? this.#picked(s) : nothing}
        ${s.messages.length === 0 ? html`<p class="empty" dir="auto">${greetingOf(s) || msg('Ask us anything. We are here to help.')}</p>` : nothing}
        ${hidden || s.earlier
          ? html`<button class="text-button earlier" type="button" aria-disabled=${s.loadingEarlier ? 'true' : 'false'} @click=${this.#showEarlier}>
              ${s.loadingEarlier ? msg('Loading earlier messages…') : msg('Show earlier messages')}
            </button>`
          : nothing}
        ${repeat(shown, (m) => m.clientId ?? m.id, (m, i) => this.#message(m, s.locale, continues(shown[i - 1], m)))}
        ${s.answer && !s.messages.some((m) => m.data?.ai?.answer_id === s.answer!.id) ? this.#ai((ai) => ai.answerTemplate(s.answer!, this.#context.commands)) : nothing}
      </div>
      <p class="typing" role="status">${s.typing === null ? '' : s.typing ? msg(str`${s.typing} is typing…`) : msg('Someone is typing…')}</p>
    `;
  }

  /** The topic picked, whose chat starts with the first message: it can still be changed. */
  #picked(s: WidgetState) {
    return html`<p class="picked"><span dir="auto">${leafTopics(s.topics).find((t) => t.id === s.topic)?.name}</span>
      <button class="text-button" type="button" @click=${() => this.#context.commands?.setView('topics')}>${msg('Change topic')}</button></p>`;
  }

  /** One message; one that continues its author's run (within two minutes) drops the name and sits closer. */
  #message(m: ChatMessage, locale: string, continued: boolean) {
    const mine = m.author === 'visitor';
    const seen = mine && this.#context.state?.readUpTo === m.id;
    const meta = [this.#formatTime(m.createdAt, locale), mine ? (seen ? msg('Seen') : this.#statusLabel(m)) : ''].filter(Boolean).join(' · ');
    return html`<div part="message" data-author=${m.author} data-status=${m.status} ?data-continued=${continued}>${!mine && m.authorName && !continued
        ? html`<span class="author"><span class="avatar" aria-hidden="true" data-initials=${initials(m.authorName)}></span>${m.authorName}</span>`
        : nothing}${m.attachment && m.content.trim() === m.attachment.name
        ? nothing
        : mine
          ? html`<span class="text" dir="auto">${linkify(m.content).map((seg) => (seg.href ? link(seg.href, seg.text) : seg.text))}</span>`
          : html`<div class="text formatted" dir="auto">${formatted(m.content)}</div>`}${m.attachment
        ? html`${m.attachment.mime.startsWith('image/')
            ? html`<a class="thumb" href=${m.attachment.url} target="_blank" rel="noopener noreferrer" @click=${(e: MouseEvent) => this.#zoom(e, m.attachment!)} aria-label=${msg(str`Open ${m.attachment.name} full size`)}><img src=${m.attachment.url} alt="" loading="lazy" /></a>`
            : nothing}<a class="attachment" href=${m.attachment.url} download=${m.attachment.name} rel="noopener">${msg(str`Download ${m.attachment.name}`)} (${formatSize(m.attachment.size)})</a>`
        : nothing}${m.data?.ai?.citations?.length ? this.#ai((ai) => ai.sourcesTemplate(m, this.#context.commands)) : nothing}${this.#suggestions(m)}<span class="meta">${meta}</span>${mine && m.status === 'failed' ? this.#failedActions(m) : nothing}</div>`;
  }

  /** A template of the AI answer's module, once it has loaded (it loads on first need; the panel renders again then). */
  #ai(render: (ai: typeof import('./ai-answer.js')) => unknown) {
    if (aiModule) {
      const sheet = aiModule.aiStyles.styleSheet;
      const root = this.shadowRoot;
      if (sheet && root && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      return render(aiModule);
    }
    aiLoading ??= import('./ai-answer.js').then((m) => (aiModule = m));
    void aiLoading.then(() => this.requestUpdate());
    return nothing;
  }

  /** A message the server refused: send it again, or forget it. */
  #failedActions(m: ChatMessage) {
    const id = m.clientId ?? m.id;
    return html`<span class="failed-actions">
      <button class="text-button retry" type="button" @click=${() => this.#context.commands?.retryMessage(id)}>${msg('Retry')}</button>
      <button class="text-button discard" type="button" @click=${() => this.#context.commands?.discardMessage(id)}>${msg('Discard')}</button>
    </span>`;
  }

  /** The virtual agent's latest answer: the one that keeps its "Talk to a person" (earlier ones don't repeat it). */
  #offer?: ChatMessage;

  /** The virtual agent's article suggestions as cards (each opens in the help view), and the way to a person. */
  #suggestions(m: ChatMessage) {
    const articles = m.data?.articles ?? [];
    const escalate = m === this.#offer && m.data?.escalate && this.#context.state?.chat?.status === 'va_assigned';
    if (!articles.length && !escalate) return nothing;
    return html`${articles.length
      ? html`<ul class="articles">${articles.map((a) => html`<li><button type="button" class="card" @click=${() => this.#context.commands?.openArticle(a)}>
          <strong dir="auto">${a.title}</strong>${a.excerpt ? html`<span dir="auto">${a.excerpt}</span>` : nothing}</button></li>`)}</ul>`
      : nothing}${escalate
      ? html`<button class="text-button escalate" type="button" ?disabled=${this.#context.state?.pending.lifecycle} @click=${() => this.#context.commands?.escalateChat()}>${msg('Talk to a person')}</button>`
      : nothing}`;
  }

  #statusLabel(m: ChatMessage) {
    switch (m.status) {
      case 'pending':
        return msg('Sending…');
      case 'failed':
        return msg('Not delivered');
      default:
        return msg('Sent');
    }
  }

  #formatTime(iso: string, locale: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : timeOfDay(locale).format(date);
  }

  #composer(s: WidgetState) {
    const canAttach = !!s.chat && !['finished', 'dismissed'].includes(s.chat.status);
    return html`
      ${s.upload
        ? html`<div class="upload"><label>${msg(str`Sending ${s.upload.name}`)}
            <progress max=${s.upload.total} .value=${s.upload.loaded}></progress></label></div>`
        : nothing}
      ${s.notice?.kind === 'error' ? html`<p class="notice" role="alert">${noticeText(s.notice)}</p>` : nothing}
      <form part="composer" @submit=${this.#onSubmit}>
        ${canAttach
          ? html`<input class="file" type="file" tabindex="-1" aria-hidden="true" @change=${this.#onFile} />
              <button class="icon-button attach" type="button" aria-label=${msg('Attach a file')} ?disabled=${s.pending.lifecycle}
                @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input.file')?.click()}>
                <svg viewBox="0 0 24 24" aria-hidden="true">${attachIcon}</svg>
              </button>`
          : nothing}
        <textarea
          part="input"
          rows="1"
          aria-label=${msg('Message')}
          placeholder=${msg('Write a message…')}
          maxlength="10000"
          .value=${s.draft}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
        ></textarea>
        <button part="send-button" type="submit" aria-label=${msg('Send')} ?disabled=${!s.draft.trim()}>
          <svg viewBox="0 0 24 24" aria-hidden="true">${sendIcon}</svg>
        </button>
      </form>
    `;
  }

  #onFile(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.#context.commands?.attachFile(file);
  }

  #onInput(event: Event): void {
    this.#context.commands?.setMessageText((event.target as HTMLTextAreaElement).value);
    this.#context.commands?.visitorTyped();
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#send();
    }
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.#send();
  }

  #send(): void {
    const text = this.#context.state?.draft.trim();
    if (!text || !this.#context.commands) return;
    this.#context.commands.sendMessage(text);
    this.#context.commands.setMessageText('');
  }
}

const CONTROLS = 'button, input:not([type="hidden"]), select, textarea, a[href], [tabindex]:not([tabindex="-1"])';

/** The first control that can take focus under `root`, through nested shadow roots. */
function firstControl(root: ParentNode): HTMLElement | null {
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    if (el.matches(CONTROLS)) {
      if (!(el as HTMLButtonElement).disabled && el.tabIndex >= 0 && el.getAttribute('aria-hidden') !== 'true' && el.getClientRects().length) return el;
    } else if (el.shadowRoot) {
      const inner = firstControl(el.shadowRoot);
      if (inner) return inner;
    }
  }
  return null;
}

/** Messages brought into the DOM at a time. */
const PAGE = 30;

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * The messages' time of day in the widget's language, one formatter per language. The browser
 * loads a language's data on its first formatter (tens of milliseconds): `prepareTimes` has it
 * done in idle time, before the visitor opens the panel.
 */
const timeOfDay = (locale: string): Intl.DateTimeFormat => {
  let format = timeFormats.get(locale);
  if (!format) timeFormats.set(locale, (format = new Intl.DateTimeFormat(locale || undefined, { hour: 'numeric', minute: '2-digit' })));
  return format;
};
export const prepareTimes = (locale: string): void => void timeOfDay(locale).format(0);

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

if (!customElements.get('chat-panel')) customElements.define('chat-panel', ChatPanel);

declare global {
  interface HTMLElementTagNameMap {
    'chat-panel': ChatPanel;
  }
}
