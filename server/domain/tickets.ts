import type { Db, Row } from '../db/db.js';
import { HttpError, notFound } from '../http/errors.js';
import { EMAIL } from '../../src/protocol/limits.js';
import { pick } from './company.js';
import type { Conversations } from './conversations.js';
import { newId } from './ids.js';
import type { Session } from './sessions.js';
import { operatorEvent, type Stream } from './stream.js';

export interface FormField {
  name: string;
  label: Record<string, string>;
  type: 'text' | 'textarea' | 'email' | 'number' | 'select' | 'checkbox';
  required?: boolean;
  options?: string[];
  max?: number;
}


/** A 400 that names each field that is wrong, so the messenger can show each error beside its field. */
export class FieldErrors extends HttpError {
  constructor(readonly fields: Record<string, string>) {
    super(400, 'invalid_fields', Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; '));
  }
}

/** Checks one field's value against its definition; the error text, or null. */
export function checkField(field: FormField, value: unknown): string | null {
  const empty = value === undefined || value === null || value === '' || value === false;
  if (empty) return field.required ? 'This field is required' : null;
  switch (field.type) {
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'Expected yes or no';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'Expected a number';
    case 'select':
      return field.options?.includes(String(value)) ? null : `Choose one of: ${field.options?.join(', ')}`;
    case 'email':
      return typeof value === 'string' && EMAIL.test(value) ? null : 'Expected an email address';
    default:
      if (typeof value !== 'string') return 'Expected text';
      if (value.length > (field.max ?? (field.type === 'textarea' ? 10_000 : 500))) return `At most ${field.max ?? (field.type === 'textarea' ? 10_000 : 500)} characters`;
      return null;
  }
}

/** Ticket forms (the operators define them) and the tickets visitors send with them. */
export class Tickets {
  constructor(readonly stream: Stream, readonly conversations: Conversations) {}

  get db(): Db {
    return this.stream.db;
  }

  /** The forms as stored, every translation: for the inbox's editor. */
  async storedForms(workspaceId: string) {
    return this.db.query('select key, title, fields, position from ticket_forms where workspace_id = $1 order by position, id', [workspaceId]);
  }

  async forms(workspaceId: string, lang: string) {
    const rows = await this.db.query('select * from ticket_forms where workspace_id = $1 order by position, id', [workspaceId]);
    return rows.map((f) => ({
      key: f.key,
      title: pick(f.title, lang) ?? f.key,
      fields: (f.fields as FormField[]).map((x) => ({
        name: x.name,
        label: pick(x.label, lang) ?? x.name,
        type: x.type,
        required: !!x.required,
        ...(x.options ? { options: x.options } : {}),
        ...(x.max ? { max: x.max } : {}),
      })),
    }));
  }

  /** Checks every field, then stores the ticket (linked to the current conversation), or nothing. */
  async create(session: Session, formKey: string, values: Record<string, unknown>) {
    const [form] = await this.db.query('select * from ticket_forms where workspace_id = $1 and key = $2', [session.workspace_id, formKey]);
    if (!form) throw new HttpError(404, 'unknown_form', `No ticket form has the key "${formKey}"`);
    const fields = form.fields as FormField[];
    const errors: Record<string, string> = {};
    for (const name of Object.keys(values)) {
      if (!fields.some((f) => f.name === name)) errors[name] = 'This form has no such field';
    }
    for (const f of fields) {
      const error = checkField(f, values[f.name]);
      if (error) errors[f.name] = error;
    }
    if (Object.keys(errors).length) throw new FieldErrors(errors);
    const conversation = await this.conversations.current(session);
    const id = newId('tkt');
    const clean = Object.fromEntries(fields.filter((f) => values[f.name] !== undefined).map((f) => [f.name, values[f.name]]));
    await this.stream.write(async (q, emit) => {
      await q.query('insert into tickets (id, workspace_id, session_id, contact_id, conversation_id, form_key, fields) values ($1, $2, $3, $4, $5, $6, $7)', [
        id, session.workspace_id, session.id, session.contact_id, conversation?.id ?? null, formKey, JSON.stringify(clean),
      ]);
      emit(operatorEvent(session.workspace_id, conversation?.id ?? null, 'ticket.created', { ticket: { id, form_key: formKey } }));
    });
    return { id, form_key: formKey, status: 'open' };
  }

  async forConversation(conversation: Row): Promise<Row[]> {
    return this.db.query(
      `select id, form_key, fields, status, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at from tickets
        where workspace_id = $1 and (conversation_id = $2 or session_id = $3 or ($4::text is not null and contact_id = $4)) order by created_at`,
      [conversation.workspace_id, conversation.id, conversation.session_id, conversation.contact_id],
    );
  }

  /** The tickets of a conversation's visitor (by conversation, session or contact). */
  async ofConversation(workspaceId: string, conversationId: string): Promise<Row[]> {
    return this.forConversation(await this.conversations.byId(workspaceId, conversationId));
  }

  /** The workspace's tickets, newest first. */
  async list(workspaceId: string): Promise<Row[]> {
    return this.db.query(
      `select id, form_key, fields, status, conversation_id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at
         from tickets where workspace_id = $1 order by created_at desc limit 200`,
      [workspaceId],
    );
  }

  /** Creates or replaces a form (by key). */
  async saveForm(workspaceId: string, b: { key: string; title: Record<string, string>; fields: FormField[]; position?: number }): Promise<{ key: string }> {
    const bad = b.fields.find((f) => f.type === 'select' && !f.options?.length);
    if (bad) throw new HttpError(400, 'invalid_request', `Field "${bad.name}" is a select and needs options`);
    await this.db.query(
      `insert into ticket_forms (workspace_id, key, title, fields, position) values ($1, $2, $3, $4, $5)
       on conflict (workspace_id, key) do update set title = excluded.title, fields = excluded.fields, position = excluded.position`,
      [workspaceId, b.key, JSON.stringify(b.title), JSON.stringify(b.fields), b.position ?? 0],
    );
    return { key: b.key };
  }

  /** Deletes a form; tickets already sent keep their fields and values. */
  async deleteForm(workspaceId: string, key: string): Promise<{ deleted: true }> {
    const rows = await this.db.query('delete from ticket_forms where workspace_id = $1 and key = $2 returning key', [workspaceId, key]);
    if (!rows.length) throw notFound(`Ticket form "${key}"`);
    return { deleted: true };
  }
}
