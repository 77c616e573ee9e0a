import { parseCsCommand, CsCommandError, type CsCommand } from '../../src/protocol/cs-parser.js';
import type { Row } from '../db/db.js';
import { HttpError, notFound } from '../http/errors.js';
import type { Conversations } from './conversations.js';
import { newId } from './ids.js';
import type { Messages } from './messages.js';
import type { Session, Sessions } from './sessions.js';
import { forOperators, type Stream } from './stream.js';

/** Contact profile fields a `>cs .field value` sets; any other name is a field of the active form. */
const PROFILE = new Map([['name', 'name'], ['email', 'email'], ['phone', 'phone'], ['company', 'company'], ['location', 'location'], ['avatar', 'avatar_url'], ['avatar_url', 'avatar_url']]);

/** Applies web1on1 `>cs` commands to the visitor's current conversation (opened when there is none). */
export class CsCommands {
  constructor(readonly stream: Stream, readonly sessions: Sessions, readonly conversations: Conversations, readonly messages: Messages) {}

  parse(text: string): CsCommand {
    try {
      return parseCsCommand(text);
    } catch (error) {
      if (error instanceof CsCommandError) throw new HttpError(400, 'invalid_command', error.message);
      throw error;
    }
  }

  async apply(session: Session, text: string): Promise<Row> {
    const command = this.parse(text);
    const workspace = session.workspace_id;
    return this.stream.write(async (q, emit) => {
      // A command targets the current conversation; as with a first message, one is opened if
      // needed, in the same transaction: a refused command leaves nothing behind.
      let found = await this.conversations.current(session, q);
      if (!found || found.status === 'closed') found = await this.conversations.open(q, emit, session);
      const c = found;
      const updated = (what: Row) => emit(forOperators(c, 'conversation.updated', { conversation: { id: c.id, ...what } }));
      switch (command.kind) {
        case 'field': {
          const column = PROFILE.get(command.name.toLowerCase());
          if (column) {
            let contactId = session.contact_id ?? c.contact_id;
            if (!contactId) {
              const [contact] = await q.query('insert into contacts (id, workspace_id) values ($1, $2) returning id', [newId('con'), workspace]);
              contactId = contact!.id as string;
              await q.query('update sessions set contact_id = $2 where id = $1', [session.id, contactId]);
              await q.query('update conversations set contact_id = $2 where id = $1', [c.id, contactId]);
              this.sessions.forget(session.id);
            }
            await q.query(`update contacts set ${column} = $2 where id = $1`, [contactId, command.value]);
            updated({ contact: { [column]: command.value } });
            return { applied: 'contact_field', field: column, value: command.value };
          }
          await q.query(`update conversations set fields = fields || jsonb_build_object($2::text, $3::text), updated_at = now() where id = $1`, [c.id, command.name, command.value]);
          updated({ fields: { [command.name]: command.value }, form_id: c.form_id });
          return { applied: 'form_field', field: command.name, value: command.value, form_id: c.form_id };
        }
        case 'form':
          await q.query('update conversations set form_id = $2, updated_at = now() where id = $1', [c.id, command.formId]);
          updated({ form_id: command.formId });
          return { applied: 'form', form_id: command.formId };
        case 'category':
          await q.query('update conversations set category = $2, updated_at = now() where id = $1', [c.id, command.value]);
          updated({ category: command.value });
          return { applied: 'category', value: command.value };
        case 'variable':
          await q.query(`update conversations set variables = variables || jsonb_build_object($2::text, $3::text), updated_at = now() where id = $1`, [c.id, command.name, command.value]);
          updated({ variables: { [command.name]: command.value } });
          return { applied: 'variable', name: command.name, value: command.value };
        case 'assign': {
          const [agent] = await q.query('select id from agents where id = $1 and workspace_id = $2', [command.id, workspace]);
          if (!agent) throw notFound(`User or bot ${command.id}`);
          await q.query('update conversations set assignee_id = $2, updated_at = now() where id = $1', [c.id, command.id]);
          updated({ assignee_id: command.id });
          return { applied: 'assign', assignee_id: command.id };
        }
        case 'notify': {
          const note = { inbox: command.id, at: new Date().toISOString() };
          await q.query(`update conversations set notifications = notifications || $2::jsonb, updated_at = now() where id = $1`, [c.id, JSON.stringify([note])]);
          emit(forOperators(c, 'notify', { conversation_id: c.id, inbox: command.id }));
          return { applied: 'notify', inbox: command.id };
        }
        case 'mention': {
          // A note for the operators, never shown to the visitor.
          await this.messages.note(q, emit, c, { author_name: 'Mention', content: `@${command.id} ${command.text}`, data: { mention: command.id } });
          return { applied: 'mention', id: command.id };
        }
      }
    });
  }
}
