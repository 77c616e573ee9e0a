/**
 * The web1on1 `>cs` command messages: one parser for the widget (which never
 * shows them as chat text) and the server (which applies them).
 *
 * | message | command |
 * | --- | --- |
 * | `>cs .field value` | a contact profile field, or else a field of the active form |
 * | `>cs +FORM_ID` | activate a form |
 * | `>cs /set @category VALUE` | the conversation category |
 * | `>cs /set NAME VALUE` | a permanent conversation variable |
 * | `>cs /assign ID` | assign to a user or bot |
 * | `>cs /notify ID`, `>cs /notify` | notify one inbox, or all organisations |
 * | `>cs @ID text` | mention a user or bot with a note |
 */
export type CsCommand =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'form'; formId: string }
  | { kind: 'category'; value: string }
  | { kind: 'variable'; name: string; value: string }
  | { kind: 'assign'; id: string }
  | { kind: 'notify'; id: string | null }
  | { kind: 'mention'; id: string; text: string };

export class CsCommandError extends Error {
  readonly code = 'invalid_command';
  constructor(message: string) {
    super(message);
    this.name = 'CsCommandError';
  }
}

const PREFIX = '>cs ';
const NAME = /^[A-Za-z_][\w.-]{0,63}$/;
const ID = /^[\w-]{1,64}$/;

/** Whether a message is a `>cs` command (and so never a chat bubble). */
export const isCsCommand = (text: string): boolean => text.startsWith(PREFIX) || text.trim() === '>cs';

/** Parses one command; a malformed one throws a CsCommandError that says what is wrong. */
export function parseCsCommand(text: string): CsCommand {
  if (!isCsCommand(text)) throw new CsCommandError('A command message starts with ">cs "');
  const body = text.slice(PREFIX.length).trim();
  if (!body) throw new CsCommandError('">cs" needs a command: .field value, +FORM_ID, /set, /assign, /notify or @ID text');
  const [head = '', ...rest] = body.split(/\s+/);
  const tail = body.slice(head.length).trim();
  switch (head[0]) {
    case '.': {
      const name = head.slice(1);
      if (!NAME.test(name)) throw new CsCommandError(`">cs .field value": "${name}" is not a field name`);
      if (!tail) throw new CsCommandError(`">cs .${name} value": the value is missing`);
      return { kind: 'field', name, value: tail };
    }
    case '+': {
      const formId = head.slice(1);
      if (!ID.test(formId) || rest.length) throw new CsCommandError('">cs +FORM_ID": give one form id and nothing after it');
      return { kind: 'form', formId };
    }
    case '@': {
      const id = head.slice(1);
      if (!ID.test(id)) throw new CsCommandError(`">cs @ID text": "${id}" is not a user or bot id`);
      if (!tail) throw new CsCommandError(`">cs @${id} text": the note is missing`);
      return { kind: 'mention', id, text: tail };
    }
    case '/':
      break;
    default:
      throw new CsCommandError(`Unknown command "${head}": use .field value, +FORM_ID, /set, /assign, /notify or @ID text`);
  }
  switch (head) {
    case '/set': {
      const [target = ''] = rest;
      const value = tail.slice(target.length).trim();
      if (!target) throw new CsCommandError('">cs /set NAME VALUE": the name is missing');
      if (!value) throw new CsCommandError(`">cs /set ${target} VALUE": the value is missing`);
      if (target === '@category') return { kind: 'category', value };
      if (!NAME.test(target)) throw new CsCommandError(`">cs /set NAME VALUE": "${target}" is not a variable name`);
      return { kind: 'variable', name: target, value };
    }
    case '/assign':
      if (rest.length !== 1 || !ID.test(rest[0]!)) throw new CsCommandError('">cs /assign ID": give one user or bot id');
      return { kind: 'assign', id: rest[0]! };
    case '/notify':
      if (rest.length > 1 || (rest.length === 1 && !ID.test(rest[0]!))) throw new CsCommandError('">cs /notify [ID]": give one inbox id, or none for all organisations');
      return { kind: 'notify', id: rest[0] ?? null };
    default:
      throw new CsCommandError(`Unknown command "${head}": use /set, /assign or /notify`);
  }
}
