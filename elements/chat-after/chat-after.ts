import { LitElement, html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import type { SurveyQuestion, WidgetState } from '../../src/state/types.js';
import { WidgetContext } from '../shared/widget-context.js';
import { baseStyles } from '../shared/base.styles.js';
import { formStyles } from '../shared/form.styles.js';
import { afterStyles } from './chat-after.styles.js';
import { noticeText } from '../shared/notice.js';
import { afterChat } from '../../src/commands/features/after-chat.js';

/**
 * After a finished chat: a rating with feedback, the workspace's survey, and
 * the transcript by email.
 *
 * @summary The after-chat rating, survey and transcript request.
 */
@localized()
export class ChatAfter extends LitElement {
  static override styles = [baseStyles, formStyles, afterStyles];

  readonly #context = new WidgetContext(this);

  override render() {
    const s = this.#context.state;
    const chat = s?.chat;
    if (!s || !chat) return nothing;
    return html`
      <h3>${msg('This chat has ended')}</h3>
      ${s.notice?.kind === 'error' ? html`<p role="alert">${noticeText(s.notice)}</p>` : nothing}
      ${chat.rated ? html`<p class="notice" role="status">${msg('Thanks for your rating!')}</p>` : this.#rating(s)}
      ${s.survey?.questions.length && !chat.surveyed ? this.#survey(s) : nothing}
      ${chat.surveyed ? html`<p class="notice" role="status">${s.survey?.signOff ?? msg('Thank you for your feedback!')}</p>` : nothing}
      ${chat.transcriptSent ? html`<p class="notice" role="status">${msg('The transcript is on its way.')}</p>` : this.#transcript(s)}
      <button type="button" @click=${() => this.#context.commands?.setView(s.topics.length ? 'topics' : 'conversation')}>${msg('Start a new conversation')}</button>
    `;
  }

  #rating(s: WidgetState) {
    return html`<form @submit=${this.#rate}>
      <fieldset>
        <legend>${msg('How was this chat?')}</legend>
        ${stars('rating', 5, true)}
      </fieldset>
      <label>${msg('Anything to add? (optional)')}<textarea name="feedback" maxlength="2000"></textarea></label>
      <button class="primary" ?disabled=${s.pending.lifecycle}>${msg('Send rating')}</button>
    </form>`;
  }

  #survey(s: WidgetState) {
    return html`<form @submit=${this.#answer}>
      ${s.survey!.questions.map((q) => this.#question(q))}
      <button class="primary" ?disabled=${s.pending.lifecycle}>${msg('Send answers')}</button>
    </form>`;
  }

  #question(q: SurveyQuestion) {
    const name = `q${q.id}`;
    if (q.type === 'text') return html`<label>${q.display_text}<textarea name=${name} maxlength="2000"></textarea></label>`;
    if (q.type === 'rating') {
      const [min, max] = q.valid_answers as [number, number];
      // 1 to 5 (or so) as stars; a wider scale (0 to 10: NPS) as a row of numbers.
      return html`<fieldset>
        <legend>${q.display_text}</legend>
        ${min === 1 && max <= 10 ? stars(name, max, false) : scale(name, range([min, max]))}
      </fieldset>`;
    }
    return html`<fieldset>
      <legend>${q.display_text}</legend>
      <div class="chips">
        ${(q.valid_answers ?? []).map((o) => html`<label class="chip"><input class="sr" type="radio" name=${name} value=${String(o)} /><span>${capitalize(String(o))}</span></label>`)}
      </div>
    </fieldset>`;
  }

  #transcript(s: WidgetState) {
    return html`<form @submit=${this.#mail}>
      <label>${msg('Email me the transcript')}<input name="email" type="email" autocomplete="email" required maxlength="320" /></label>
      <button ?disabled=${s.pending.lifecycle}>${msg('Send transcript')}</button>
    </form>`;
  }

  #rate(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    void this.#context.commands?.extend(afterChat).rateChat(Number(data.get('rating')), String(data.get('feedback') ?? ''));
  }

  #answer(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const answers: Record<string, string | number> = {};
    for (const q of this.#context.state?.survey?.questions ?? []) {
      const value = data.get(`q${q.id}`);
      if (value === null || value === '') continue;
      answers[q.id] = q.type === 'rating' ? Number(value) : String(value);
    }
    void this.#context.commands?.extend(afterChat).answerSurvey(answers);
  }

  #mail(event: SubmitEvent): void {
    event.preventDefault();
    void this.#context.commands?.extend(afterChat).sendTranscript(String(new FormData(event.target as HTMLFormElement).get('email') ?? ''));
  }
}

const range = ([min, max]: [number, number]) => Array.from({ length: max - min + 1 }, (_, i) => min + i);
const capitalize = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/** A star rating: real radio buttons (arrow keys, a name per star for screen readers), drawn as stars. */
function stars(name: string, count: number, required: boolean) {
  return html`<div class="stars">
    ${range([1, count]).map((n) => html`<label class="star"><input class="sr" type="radio" name=${name} value=${n} ?required=${required} aria-label=${msg(str`${n} of ${count}`)} /><span aria-hidden="true">★</span></label>`)}
  </div>`;
}

/** A scale of numbers (0 to 10): radio buttons drawn as a row of boxes, with its ends named. */
function scale(name: string, values: number[]) {
  return html`<div class="scale">
      ${values.map((n) => html`<label class="chip"><input class="sr" type="radio" name=${name} value=${n} /><span>${n}</span></label>`)}
    </div>
    <div class="scale-ends muted" aria-hidden="true"><span>${msg('Not likely')}</span><span>${msg('Very likely')}</span></div>`;
}

if (!customElements.get('chat-after')) customElements.define('chat-after', ChatAfter);

declare global {
  interface HTMLElementTagNameMap {
    'chat-after': ChatAfter;
  }
}
