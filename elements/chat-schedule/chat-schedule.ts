import { LitElement, html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import type { WidgetState } from '../../src/state/types.js';
import { baseStyles } from '../shared/base.styles.js';
import { formStyles } from '../shared/form.styles.js';
import { WidgetContext } from '../shared/widget-context.js';

/** "2023-05-31 11:45 +0000" (calls) or ISO 8601 (meetings) to a Date. */
const toDate = (slot: string) => new Date(slot.includes('T') ? slot : slot.replace(' ', 'T').replace(' +0000', 'Z'));

/**
 * "Call me back" with a slot picker, and booking a meeting: meeting type,
 * a free slot, name and email.
 *
 * @summary The callback and booking views.
 */
@localized()
export class ChatSchedule extends LitElement {
  static override styles = [baseStyles, formStyles];

  readonly #context = new WidgetContext(this);

  override render() {
    const s = this.#context.state;
    const schedule = s?.schedule;
    if (!s || !schedule) return nothing;
    return schedule.kind === 'call' ? this.#call(s) : this.#booking(s);
  }

  #when(slot: string, locale: string): string {
    return new Intl.DateTimeFormat(locale || undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(toDate(slot));
  }

  #error(s: WidgetState) {
    if (s.notice?.kind !== 'error') return nothing;
    const text =
      s.notice.code === 'no_meeting_types'
        ? msg('Booking is not available yet: there is no meeting type to book.')
        : s.notice.code === 'unknown_meeting_type'
          ? msg('This meeting type does not exist.')
          : s.notice.code === 'slot_taken'
            ? msg('Someone just booked that time. Please pick another one.')
            : s.notice.text;
    return html`<p role="alert">${text}</p>`;
  }

  #call(s: WidgetState) {
    const schedule = s.schedule!;
    const topic = flatten(s.topics).find((t) => t.id === schedule.topicId);
    if (schedule.done) {
      return html`<p class="notice" role="status">
          ${schedule.done.when ? msg(str`We will call you on ${this.#when(schedule.done.when, s.locale)}.`) : msg('We will call you shortly.')}
        </p>
        <button type="button" @click=${() => this.#context.commands?.setView('conversation')}>${msg('Back to messages')}</button>`;
    }
    return html`<form @submit=${this.#submitCall}>
      <h3>${msg('Call me back')}${topic ? html` · ${topic.name}` : nothing}</h3>
      <label>${msg('Your phone number, with the country code')}
        <input name="phone" type="tel" autocomplete="tel" inputmode="tel" required placeholder="+14155550123" maxlength="20" />
      </label>
      <label>${msg('When?')}
        <select name="slot">
          ${s.afterHours ? nothing : html`<option value="">${msg('As soon as possible')}</option>`}
          ${(schedule.slots ?? []).slice(0, 60).map((slot) => html`<option value=${slot}>${this.#when(slot, s.locale)}</option>`)}
        </select>
      </label>
      ${schedule.slots === null ? html`<p class="muted" role="status">${msg('Loading the free times…')}</p>` : nothing}
      ${this.#error(s)}
      <button class="primary" ?disabled=${s.pending.schedule}>${msg('Call me back')}</button>
    </form>`;
  }

  #booking(s: WidgetState) {
    const schedule = s.schedule!;
    if (schedule.done) {
      return html`<p class="notice" role="status">${msg(str`You are booked for ${this.#when(schedule.done.when!, s.locale)}. We sent the details to the conversation.`)}</p>
        <button type="button" @click=${() => this.#context.commands?.setView('conversation')}>${msg('Back to messages')}</button>`;
    }
    const types = schedule.meetingTypes;
    return html`<h3>${msg('Book a meeting')}</h3>
      ${types.length > 1
        ? html`<label>${msg('Meeting')}
            <select @change=${(e: Event) => this.#context.commands?.chooseMeetingType(Number((e.target as HTMLSelectElement).value))}>
              ${types.map((t) => html`<option value=${t.id} ?selected=${t.id === schedule.meetingTypeId}>${t.name} (${t.duration_minutes} min)</option>`)}
            </select>
          </label>`
        : types.length
          ? html`<p class="muted">${types[0]!.name} (${types[0]!.duration_minutes} min)</p>`
          : nothing}
      ${this.#error(s)}
      ${schedule.slots === null
        ? s.notice ? nothing : html`<p class="muted" role="status">${msg('Loading the free times…')}</p>`
        : schedule.slots.length
          ? html`<fieldset>
              <legend>${msg('Pick a time')}</legend>
              <div class="slots">
                ${schedule.slots.slice(0, 24).map((slot) => html`<button type="button" aria-pressed=${slot === schedule.slot}
                  @click=${() => this.#context.commands?.chooseSlot(slot)}>${this.#when(slot, s.locale)}</button>`)}
              </div>
            </fieldset>`
          : html`<p role="status">${msg('No free time in the coming week.')}</p>`}
      ${schedule.slot
        ? html`<form @submit=${this.#submitBooking}>
            <label>${msg('Your name')}<input name="name" autocomplete="name" required maxlength="200" /></label>
            <label>${msg('Your email')}<input name="email" type="email" autocomplete="email" required maxlength="320" /></label>
            <button class="primary" ?disabled=${s.pending.schedule}>${msg(str`Book ${this.#when(schedule.slot, s.locale)}`)}</button>
          </form>`
        : nothing}`;
  }

  #submitCall(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    void this.#context.commands?.submitCall(String(data.get('phone') ?? ''), String(data.get('slot') ?? '') || null);
  }

  #submitBooking(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    void this.#context.commands?.book(String(data.get('name') ?? ''), String(data.get('email') ?? ''));
  }
}

function flatten<T extends { children: readonly T[] }>(items: readonly T[]): T[] {
  return items.flatMap((t) => [t, ...flatten(t.children)]);
}

if (!customElements.get('chat-schedule')) customElements.define('chat-schedule', ChatSchedule);

declare global {
  interface HTMLElementTagNameMap {
    'chat-schedule': ChatSchedule;
  }
}
