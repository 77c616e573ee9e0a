import { LitElement, html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import type { TicketFormDef, WidgetState } from '../../src/state/types.js';
import { baseStyles } from '../shared/base.styles.js';
import { formStyles } from '../shared/form.styles.js';
import { WidgetContext } from '../shared/widget-context.js';
import { noticeText } from '../shared/notice.js';

/**
 * Ticket forms: the choice of the forms the page lets the visitor see, and
 * the open form, with each error beside its field.
 *
 * @summary The ticket forms view.
 */
@localized()
export class ChatTickets extends LitElement {
  static override styles = [baseStyles, formStyles];

  readonly #context = new WidgetContext(this);

  override render() {
    const s = this.#context.state;
    if (!s) return nothing;
    const form = s.ticketForms.find((f) => f.key === s.ticket.key);
    if (s.ticket.sentId) {
      return html`<p class="notice" role="status">${msg(str`Thanks! Your ticket ${s.ticket.sentId} is with us; we will get back to you.`)}</p>
        <button type="button" @click=${() => this.#context.commands?.setView('conversation')}>${msg('Back to messages')}</button>`;
    }
    return form ? this.#form(s, form) : this.#choice(s);
  }

  #choice(s: WidgetState) {
    const visible = s.ticketForms.filter((f) => s.visibleTicketForms === null || s.visibleTicketForms.includes(f.key));
    return html`<h3 id="forms-title">${msg('Send us a ticket')}</h3>
      ${visible.length
        ? html`<ul class="topics" aria-labelledby="forms-title">
            ${visible.map((f) => html`<li><button type="button" @click=${() => this.#context.commands?.showTicketForm(f.key)}>${f.title}</button></li>`)}
          </ul>`
        : html`<p class="muted">${msg('There is no form to fill in here.')}</p>`}`;
  }

  #form(s: WidgetState, form: TicketFormDef) {
    const { values, errors } = s.ticket;
    const others = s.ticketForms.filter((f) => f.key !== form.key && (s.visibleTicketForms === null || s.visibleTicketForms.includes(f.key)));
    return html`<form novalidate @submit=${this.#submit}>
      <button class="back" type="button" @click=${() => (others.length ? this.#context.commands?.showTicketForms() : this.#context.commands?.setView('conversation'))}>
        ${others.length ? msg('‹ All forms') : msg('‹ Back to messages')}
      </button>
      <h3>${form.title}</h3>
      ${form.fields.map((f) => {
        const id = `f-${f.name}`;
        const value = values[f.name];
        // A required field left empty is said in the visitor's language (the server's words are English).
        const empty = value === undefined || value === null || value === '' || value === false;
        const error = errors[f.name] && f.required && empty ? msg('Please fill this in.') : errors[f.name];
        const common = { id, name: f.name, invalid: error ? 'true' : 'false', describedby: error ? `${id}-error` : '' };
        let control;
        switch (f.type) {
          case 'textarea':
            control = html`<textarea id=${common.id} name=${f.name} ?required=${f.required} aria-invalid=${common.invalid} aria-describedby=${common.describedby || nothing}
              .value=${String(value ?? '')} @input=${this.#input}></textarea>`;
            break;
          case 'select':
            control = html`<select id=${common.id} name=${f.name} ?required=${f.required} aria-invalid=${common.invalid} aria-describedby=${common.describedby || nothing} @change=${this.#input}>
              <option value="" ?selected=${!value}>${msg('Choose…')}</option>
              ${(f.options ?? []).map((o) => html`<option ?selected=${value === o}>${o}</option>`)}
            </select>`;
            break;
          case 'checkbox':
            control = html`<input id=${common.id} type="checkbox" name=${f.name} .checked=${value === true} aria-invalid=${common.invalid} aria-describedby=${common.describedby || nothing} @change=${this.#input} />`;
            break;
          default:
            control = html`<input id=${common.id} name=${f.name} type=${f.type === 'email' ? 'email' : f.type === 'number' ? 'number' : 'text'} ?required=${f.required}
              aria-invalid=${common.invalid} aria-describedby=${common.describedby || nothing} .value=${String(value ?? '')} @input=${this.#input} />`;
        }
        // Label and required mark in one span: one line (the label is a grid).
        return html`<label for=${id}><span>${f.label}${f.required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}</span></label>
          ${control}
          ${error ? html`<span class="field-error" id="${id}-error">${error}</span>` : nothing}`;
      })}
      ${s.notice?.kind === 'error' && !Object.keys(errors).length ? html`<p role="alert">${noticeText(s.notice)}</p>` : nothing}
      ${Object.keys(errors).length ? html`<p role="alert">${msg('Please correct the fields marked above.')}</p>` : nothing}
      <button class="primary" ?disabled=${s.pending.tickets}>${msg('Send ticket')}</button>
    </form>`;
  }

  #input(event: Event): void {
    const el = event.target as HTMLInputElement;
    const form = this.#context.state?.ticketForms.find((f) => f.key === this.#context.state?.ticket.key);
    const type = form?.fields.find((f) => f.name === el.name)?.type;
    const value = type === 'checkbox' ? el.checked : type === 'number' ? (el.value === '' ? null : Number(el.value)) : el.value;
    this.#context.commands?.setTicketValue(el.name, value);
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    void this.#context.commands?.submitTicket().then(async () => {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    });
  }
}

if (!customElements.get('chat-tickets')) customElements.define('chat-tickets', ChatTickets);

declare global {
  interface HTMLElementTagNameMap {
    'chat-tickets': ChatTickets;
  }
}
