import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { WidgetState } from '../../src/state/types.js';
import { baseStyles } from '../shared/base.styles.js';
import { formStyles } from '../shared/form.styles.js';
import { scheduleStyles } from './chat-schedule.styles.js';
import { WidgetContext } from '../shared/widget-context.js';
import { noticeText } from '../shared/notice.js';
import { meetingIcs } from '../../src/ics.js';
import { scheduleFlow } from '../../src/commands/features/schedule-flow.js';

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
  static override styles = [baseStyles, formStyles, scheduleStyles];

  readonly #context = new WidgetContext(this);

  override render() {
    const s = this.#context.state;
    const schedule = s?.schedule;
    if (!s || !schedule) return nothing;
    return schedule.kind === 'call' ? this.#call(s) : this.#booking(s);
  }

  /** The day of the slots shown (booking): the first day with free times unless the visitor picked another. */
  @state() private day: string | null = null;

  #when(slot: string, locale: string): string {
    return new Intl.DateTimeFormat(locale || undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(toDate(slot));
  }

  #time(slot: string, locale: string): string {
    return new Intl.DateTimeFormat(locale || undefined, { hour: 'numeric', minute: '2-digit' }).format(toDate(slot));
  }

  /** The visitor's time zone as they would recognise it: "Europe/Paris (GMT+1)". */
  #zone(locale: string): string {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const short = new Intl.DateTimeFormat(locale || undefined, { timeZoneName: 'short' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value;
    return short && short !== zone ? `${zone.replace(/_/g, ' ')} (${short})` : zone;
  }

  /** The slots by the visitor's local day, in order. */
  #days(slots: readonly string[], locale: string): { key: string; label: string; short: string; slots: string[] }[] {
    const days = new Map<string, { key: string; label: string; short: string; slots: string[] }>();
    const long = new Intl.DateTimeFormat(locale || undefined, { weekday: 'long', day: 'numeric', month: 'long' });
    const short = new Intl.DateTimeFormat(locale || undefined, { weekday: 'short', day: 'numeric' });
    for (const slot of slots) {
      const date = toDate(slot);
      const key = `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
      if (!days.has(key)) days.set(key, { key, label: long.format(date), short: short.format(date), slots: [] });
      days.get(key)!.slots.push(slot);
    }
    return [...days.values()];
  }

  protected override updated(): void {
    // A slot picked: the form to book it comes into view, its first field ready.
    const form = this.renderRoot.querySelector<HTMLFormElement>('form.book');
    if (form && !form.dataset['shown']) {
      form.dataset['shown'] = '1';
      form.scrollIntoView({ block: 'nearest', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
      form.querySelector<HTMLInputElement>('input')?.focus({ preventScroll: true });
    }
  }

  #error(s: WidgetState) {
    if (s.notice?.kind !== 'error') return nothing;
    const text = noticeText(s.notice);
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
      <h3>${msg('Call me back')}</h3>
      ${topic ? html`<p class="muted subtitle">${topic.name}</p>` : nothing}
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
      const type = schedule.meetingTypes.find((t) => t.id === schedule.meetingTypeId) ?? schedule.meetingTypes[0];
      const ics = meetingIcs({
        start: toDate(schedule.done.when!),
        minutes: type?.duration_minutes ?? 30,
        title: type?.name ?? msg('Meeting'),
        uid: `${schedule.done.when}-${type?.id ?? 0}@chat-widget`,
        now: new Date(),
      });
      return html`<p class="notice booked" role="status">${msg(str`You are booked for ${this.#when(schedule.done.when!, s.locale)}. We sent the details to the conversation.`)}</p>
        <a class="button-link" href=${`data:text/calendar;charset=utf-8,${encodeURIComponent(ics)}`} download="meeting.ics">${msg('Add to my calendar')}</a>
        <button type="button" @click=${() => this.#context.commands?.setView('conversation')}>${msg('Back to messages')}</button>`;
    }
    const types = schedule.meetingTypes;
    return html`<h3>${msg('Book a meeting')}</h3>
      ${types.length > 1
        ? html`<label>${msg('Meeting')}
            <select @change=${(e: Event) => this.#context.commands?.extend(scheduleFlow).chooseMeetingType(Number((e.target as HTMLSelectElement).value))}>
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
          ? this.#slots(s, schedule.slots, schedule.slot)
          : html`<p role="status">${msg('No free time in the coming week.')}</p>`}
      ${schedule.slot
        ? html`<form class="book" @submit=${this.#submitBooking}>
            <label>${msg('Your name')}<input name="name" autocomplete="name" required maxlength="200" /></label>
            <label>${msg('Your email')}<input name="email" type="email" autocomplete="email" required maxlength="320" /></label>
            <button class="primary" ?disabled=${s.pending.schedule}>${msg(str`Book ${this.#when(schedule.slot, s.locale)}`)}</button>
          </form>`
        : nothing}`;
  }

  /** Booking's slots: a row of days, then the chosen day's times, in the visitor's time zone (named). */
  #slots(s: WidgetState, slots: readonly string[], chosen: string | null) {
    const days = this.#days(slots, s.locale);
    const day = days.find((d) => d.key === this.day) ?? days[0]!;
    return html`<fieldset>
      <legend>${msg('Pick a time')}</legend>
      <p class="muted zone">${msg(str`Times in your time zone: ${this.#zone(s.locale)}`)}</p>
      <div class="days" role="group" aria-label=${msg('Day')}>
        ${days.slice(0, 7).map((d) => html`<button type="button" aria-pressed=${d === day} title=${d.label} @click=${() => (this.day = d.key)}>${d.short}</button>`)}
      </div>
      <p class="day-label">${day.label}</p>
      <div class="slots">
        ${day.slots.map((slot) => html`<button type="button" aria-pressed=${slot === chosen} @click=${() => this.#context.commands?.extend(scheduleFlow).chooseSlot(slot)}>${this.#time(slot, s.locale)}</button>`)}
      </div>
    </fieldset>`;
  }

  #submitCall(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    void this.#context.commands?.extend(scheduleFlow).submitCall(String(data.get('phone') ?? ''), String(data.get('slot') ?? '') || null);
  }

  #submitBooking(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    void this.#context.commands?.extend(scheduleFlow).book(String(data.get('name') ?? ''), String(data.get('email') ?? ''));
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
