import type { TicketFormDef, WidgetState } from '../../state/types.js';
import type { Core, Cross } from '../core.js';
import * as v from '../validate.js';

/** What ticket forms ask of the server. */
export interface TicketsPort {
  /** The new ticket's id; a refusal with `fields` says what is wrong beside each field. */
  submitTicket(key: string, values: Record<string, unknown>): Promise<string>;
  ticketForms(lang: string): Promise<readonly TicketFormDef[]>;
}

const unknownForm = (core: Core, key: string, forms: readonly TicketFormDef[]) =>
  core.error('unknown_form', `showTicketForm: no ticket form has the key "${key}"; known: ${forms.map((f) => f.key).join(', ')}`);

const NO_TICKET: WidgetState['ticket'] = Object.freeze({ key: null, values: Object.freeze({}), errors: Object.freeze({}), sentId: null });

/** Ticket forms: which show, their values, and sending one. */
export const tickets = (core: Core, c: Cross) => ({
  /** Opens a ticket form by key (known once the forms are loaded; an unknown key is reported as chat-error). */
  showTicketForm(key: unknown): void {
    const formKey = v.string('showTicketForm(key)', key, { max: 100, empty: false });
    const s = core.state;
    if (s.ticketForms.length && !s.ticketForms.some((f) => f.key === formKey)) {
      unknownForm(core, formKey, s.ticketForms);
      return;
    }
    c.openWith({ view: 'tickets', ticket: Object.freeze({ key: formKey, values: s.ticketPrefill, errors: Object.freeze({}), sentId: null }), notice: null });
  },

  /** The list of the forms the visitor may choose from (the way back from an open form). */
  showTicketForms(): void {
    c.openWith({ view: 'tickets', ticket: NO_TICKET, notice: null });
  },

  /** Prefills ticket form fields (merged); applies to the open form too. */
  setTicketFormFields(fields: unknown): void {
    const given = v.plainObject('setTicketFormFields(fields)', fields);
    core.store.update((s) => ({
      ticketPrefill: Object.freeze({ ...s.ticketPrefill, ...given }),
      ticket: Object.freeze({ ...s.ticket, values: Object.freeze({ ...s.ticket.values, ...given }) }),
    }));
  },

  /** Limits the ticket forms the visitor may choose from; null shows them all again. */
  setVisibleTicketForms(keys: unknown): void {
    if (keys !== null && (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))) {
      v.fail('setVisibleTicketForms(keys)', 'expected an array of form keys, or null', keys);
    }
    core.store.update({ visibleTicketForms: keys === null ? null : Object.freeze([...(keys as string[])]) });
  },

  /** Records what the visitor typed in the open form. */
  setTicketValue(name: string, value: unknown): void {
    core.store.update((s) => ({ ticket: Object.freeze({ ...s.ticket, values: Object.freeze({ ...s.ticket.values, [name]: value }) }) }));
  },

  /** Submits the open form; the server's errors show beside their fields. */
  async submitTicket(): Promise<boolean> {
    const { key, values } = core.state.ticket;
    if (!key) return false;
    let sentId: string | null = null;
    let errors: Record<string, string> = {};
    const ok = await core.run('tickets', async (port) => {
      try {
        sentId = await port.submitTicket(key, { ...values });
      } catch (error) {
        const fields = (error as { fields?: Record<string, string> }).fields;
        if (!fields) throw error;
        errors = fields;
      }
    });
    core.store.update((s) => ({ ticket: Object.freeze({ ...s.ticket, errors: Object.freeze(errors), sentId }) }));
    return ok && sentId !== null;
  },

  /** The workspace's forms arrived: a form the page asked for before they were known, and unknown, closes. */
  formsLoaded(forms: readonly TicketFormDef[]): void {
    core.store.update({ ticketForms: Object.freeze([...forms]) });
    const asked = core.state.ticket.key;
    if (asked && !forms.some((f) => f.key === asked)) {
      unknownForm(core, asked, forms);
      core.store.update({ ticket: NO_TICKET, view: 'conversation' });
    }
  },
});
