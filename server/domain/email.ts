import type { Transporter } from 'nodemailer';
import type { Row } from '../db/db.js';
import { HttpError } from '../http/errors.js';
import { EMAIL } from '../../src/protocol/limits.js';
import type { Company } from './company.js';
import type { Conversations } from './conversations.js';
import type { Files } from './files.js';
import { newId } from './ids.js';
import type { Messages } from './messages.js';
import type { Session } from './sessions.js';
import { operatorEvent, type Stream } from './stream.js';

/** Mail: transcripts of chats (sent by SMTP, or kept in the outbox) and the email form (an email ticket). */
export class Email {
  constructor(
    readonly stream: Stream,
    readonly conversations: Conversations,
    readonly messages: Messages,
    readonly company: Company,
    readonly files: Files,
    readonly mailer: Transporter | null,
    readonly mailFrom = 'chat-widget <no-reply@localhost>',
  ) {}

  get db() {
    return this.stream.db;
  }

  /** Mails the transcript (SMTP_URL), or keeps it in the outbox that operators read. */
  async transcript(session: Session, chatId: string, emails: string[]) {
    const bad = emails.filter((e) => !EMAIL.test(e));
    if (bad.length) throw new HttpError(400, 'invalid_email', `Not an email address: ${bad.map((e) => JSON.stringify(e)).join(', ')}`);
    const c = await this.conversations.ofVisitor(session, chatId);
    const w = await this.company.workspace(session.workspace_id);
    const messages = await this.messages.of(c.id, { after: 0, limit: 5000, internal: false });
    const body = messages
      .map((m) => `[${m.created_at.slice(0, 16).replace('T', ' ')} UTC] ${m.author === 'visitor' ? 'You' : m.author_name ?? m.author}: ${m.content}`)
      .join('\n');
    const subject = `Your conversation with ${w.name}`;
    let status: 'sent' | 'queued' | 'failed' = 'queued';
    let error: string | null = null;
    if (this.mailer) {
      try {
        await this.mailer.sendMail({ from: this.mailFrom, to: emails, subject, text: body });
        status = 'sent';
      } catch (e) {
        status = 'failed';
        error = (e as Error).message;
      }
    }
    const id = newId('trn');
    await this.db.query('insert into transcripts (id, workspace_id, conversation_id, recipients, subject, body, status, error) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
      id, session.workspace_id, c.id, emails, subject, body, status, error,
    ]);
    if (status === 'failed') throw new HttpError(502, 'mail_failed', `The transcript could not be mailed: ${error}`);
    return { id, status };
  }

  async create(session: Session, input: { name?: string; email: string; content: string; menu_id: number | string; lang: string; file_ids?: string[] }) {
    if (!EMAIL.test(input.email)) throw new HttpError(400, 'invalid_email', `Not an email address: ${JSON.stringify(input.email)}`);
    const menu = await this.company.menu(session.workspace_id, input.menu_id);
    for (const id of input.file_ids ?? []) await this.files.file(id, { session });
    const id = newId('eml');
    await this.stream.write(async (q, emit) => {
      await q.query('insert into email_tickets (id, workspace_id, session_id, menu_id, lang, name, email, content, file_ids) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
        id, session.workspace_id, session.id, menu.id, input.lang, input.name ?? null, input.email, input.content, input.file_ids ?? [],
      ]);
      emit(operatorEvent(session.workspace_id, null, 'email.created', { email: { id, email: input.email, menu_id: Number(menu.id) } }));
    });
    return { id, status: 'open' };
  }


  /** The email form's tickets, newest first. */
  async list(workspaceId: string): Promise<Row[]> {
    return this.db.query(
      `select id, menu_id::int, lang, name, email, content, file_ids, status, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at
         from email_tickets where workspace_id = $1 order by created_at desc limit 200`,
      [workspaceId],
    );
  }

  /** Transcripts sent or waiting in the outbox, newest first. */
  async transcripts(workspaceId: string): Promise<Row[]> {
    return this.db.query('select id, conversation_id, recipients, subject, body, status, error from transcripts where workspace_id = $1 order by created_at desc limit 200', [workspaceId]);
  }
}
