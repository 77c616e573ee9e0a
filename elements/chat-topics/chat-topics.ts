import { LitElement, html, nothing, svg } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { greetingOf, leafTopics, type Topic, type WidgetState } from '../../src/state/types.js';
import { WidgetContext } from '../shared/widget-context.js';
import { baseStyles } from '../shared/base.styles.js';
import { formStyles } from '../shared/form.styles.js';
import { noticeText } from '../shared/notice.js';
import { initials } from '../shared/initials.js';

const phoneIcon = svg`<path d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"/>`;

/**
 * The panel's start: the support topics to choose from (a chat starts on the
 * one chosen), or, outside business hours, the after-hours message with an
 * email form.
 *
 * @summary The topic picker and the after-hours email form.
 */
@localized()
export class ChatTopics extends LitElement {
  static override styles = [baseStyles, formStyles];

  readonly #context = new WidgetContext(this);

  override render() {
    const s = this.#context.state;
    if (!s) return nothing;
    return s.view === 'email' ? this.#email(s) : this.#topics(s);
  }

  /**
   * Home: a greeting from the team (their faces, whether they are here), the conversation to resume
   * (when there is one), the topics, then the other ways in that the workspace offers: a help search,
   * the ticket forms, booking a meeting.
   */
  #topics(s: WidgetState) {
    const last = [...s.messages].reverse().find((m) => m.author !== 'system');
    const forms = s.ticketForms.some((f) => s.visibleTicketForms === null || s.visibleTicketForms.includes(f.key));
    const first = s.user.name?.trim().split(/\s+/)[0];
    return html`
      <div class="hello">
        ${s.team.length
          ? html`<p class="faces" role="img" aria-label=${msg(str`Our team: ${s.team.map((t) => t.name).join(', ')}`)} ?data-online=${s.available}>
              ${s.team.map((t) => html`<span class="face" data-initials=${initials(t.name)}>${t.avatarUrl ? html`<img src=${t.avatarUrl} alt="" @error=${hide} />` : nothing}</span>`)}
            </p>`
          : nothing}
        <h3 class="greeting" dir="auto">${first ? msg(str`Hi ${first}`) : msg('Hi there')}</h3>
        ${greetingOf(s) ? html`<p class="intro" dir="auto">${greetingOf(s)}</p>` : nothing}
        <p class="muted">${s.available ? msg('We are online and reply in a few minutes.') : msg('Leave us a message and we will reply here.')}</p>
      </div>
      ${last
        ? html`<button type="button" class="resume" @click=${() => this.#context.commands?.setView('conversation')}>
            <span class="resume-title">${msg('Continue your conversation')}</span>
            <span class="muted resume-text" dir="auto">${last.content}</span>
          </button>`
        : nothing}
      <h3 id="topics-title">${msg('What can we help you with?')}</h3>
      ${s.afterHours ? nothing : html`<p class="muted hint">${msg('Pick a topic and we will connect you.')}</p>`}
      <ul class="topics" aria-labelledby="topics-title">
        ${s.topics.map((t) => this.#topic(t, s))}
      </ul>
      <div class="ways">
        <form role="search" class="home-search" @submit=${this.#search}>
          <label>${msg('Search for help')}<input name="q" type="search" maxlength="500" /></label>
        </form>
        ${forms
          ? html`<button type="button" class="way" @click=${() => this.#context.commands?.setView('tickets')}>${msg('Send us a ticket')} <span class="chev" aria-hidden="true">›</span></button>`
          : nothing}
        ${s.booking
          ? html`<button type="button" class="way" @click=${() => this.#context.commands?.openScheduling()}>${msg('Book a meeting')} <span class="chev" aria-hidden="true">›</span></button>`
          : nothing}
      </div>
    `;
  }

  #search(event: SubmitEvent): void {
    event.preventDefault();
    void this.#context.commands?.openHelp(String(new FormData(event.target as HTMLFormElement).get('q') ?? ''));
  }

  /** A group of topics reads as a heading over its own; a topic is a row, with "Call me back" beside it when it offers calls. */
  #topic(t: Topic, s: WidgetState): unknown {
    if (t.children.length) {
      const id = `group-${t.id}`;
      return html`<li class="group">
        <h4 class="group-name" id=${id}>${t.name}</h4>
        <ul aria-labelledby=${id}>${t.children.map((c) => this.#topic(c, s))}</ul>
      </li>`;
    }
    const chat = t.channels.includes('chat');
    return html`<li class="row">
      <button type="button" class="topic" ?disabled=${s.pending.lifecycle || !chat} @click=${() => this.#context.commands?.startChat(t.id)}>
        <span>${t.name}</span><span class="chev" aria-hidden="true">›</span>
      </button>
      ${t.channels.includes('voice_call')
        ? html`<button type="button" class="callback" aria-label=${msg(str`Call me back: ${t.name}`)} @click=${() => this.#callback(t.id)}>
            <svg viewBox="0 0 24 24" aria-hidden="true">${phoneIcon}</svg><span>${msg('Call me back')}</span>
          </button>`
        : nothing}
    </li>`;
  }

  #email(s: WidgetState) {
    const sent = s.notice?.kind === 'info' && s.notice.text === 'email-sent';
    const topics = leafTopics(s.topics).filter((t) => t.channels.includes('email') || t.channels.includes('chat'));
    return html`
      <h3>${msg('Leave us a message')}</h3>
      ${s.afterHours ? html`<p>${s.afterHours}</p>` : nothing}
      ${sent
        ? html`<p class="notice" role="status">${msg('Thanks! We got your email and will answer soon.')}</p>`
        : html`<form @submit=${this.#submit}>
            <label>${msg('Your name')}<input name="name" autocomplete="name" maxlength="255" /></label>
            <label>${msg('Your email')}<input name="email" type="email" autocomplete="email" required maxlength="320" /></label>
            <label
              >${msg('Topic')}
              <select name="topic" required>
                ${topics.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
              </select>
            </label>
            <label>${msg('Message')}<textarea name="content" required maxlength="10000"></textarea></label>
            ${s.notice?.kind === 'error' ? html`<p role="alert">${noticeText(s.notice)}</p>` : nothing}
            <button class="primary" ?disabled=${s.pending.lifecycle}>${msg('Send email')}</button>
          </form>`}
    `;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const commands = this.#context.commands;
    // The email form's command comes in its own chunk (with the after-chat views'), loaded on the first send.
    void import('../../src/commands/features/after-chat.js').then(({ afterChat }) => commands?.extend(afterChat).sendEmail({
      name: String(data.get('name') ?? ''),
      email: String(data.get('email') ?? ''),
      content: String(data.get('content') ?? ''),
      topicId: Number(data.get('topic')),
    }));
  }

  /** "Call me back": its command comes with the scheduling view's chunk, loaded on the first click. */
  #callback(topicId: number): void {
    const commands = this.#context.commands;
    void import('../../src/commands/features/schedule-flow.js').then(({ scheduleFlow }) => commands?.extend(scheduleFlow).requestCallback(topicId));
  }
}

/** A picture that does not load (blocked by the page's policy, gone) leaves the initials under it. */
const hide = (event: Event) => ((event.target as HTMLElement).hidden = true);

if (!customElements.get('chat-topics')) customElements.define('chat-topics', ChatTopics);

declare global {
  interface HTMLElementTagNameMap {
    'chat-topics': ChatTopics;
  }
}
