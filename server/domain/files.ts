import type { Db } from '../db/db.js';
import { HttpError, notFound } from '../http/errors.js';
import type { Company } from './company.js';
import { newId } from './ids.js';
import type { Session } from './sessions.js';

/** A file as it arrives: its name, type and bytes. */
export interface Upload {
  name: string;
  mime: string;
  bytes: Buffer;
}

/** Files visitors send: the workspace's rules, storing, and who may download one. */
export class Files {
  constructor(readonly db: Db, readonly company: Company) {}

  async rules(workspaceId: string) {
    const w = await this.company.workspace(workspaceId);
    return { prohibited: w.prohibited_file_types as string[], max_bytes: w.max_file_bytes as number };
  }

  /** Checks a file against the workspace's rules; the same words as the client's check. */
  async check(workspaceId: string, name: string, size: number) {
    const rules = await this.rules(workspaceId);
    const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
    if (rules.prohibited.includes(ext)) throw new HttpError(415, 'prohibited_file_type', `Files of type .${ext} are not accepted`);
    if (size > rules.max_bytes) throw new HttpError(413, 'file_too_large', `The file is ${(size / 1048576).toFixed(1)} MB; at most ${(rules.max_bytes / 1048576).toFixed(0)} MB is accepted`);
    if (size === 0) throw new HttpError(400, 'empty_file', 'The file is empty');
  }

  async store(session: Session, conversationId: string | null, file: Upload) {
    await this.check(session.workspace_id, file.name, file.bytes.length);
    const id = newId('file');
    await this.db.query('insert into files (id, workspace_id, conversation_id, session_id, name, mime, size, bytes) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
      id, session.workspace_id, conversationId, session.id, file.name.slice(0, 255), file.mime || 'application/octet-stream', file.bytes.length, file.bytes,
    ]);
    return { id, name: file.name, mime: file.mime, size: file.bytes.length };
  }

  /** A file for its own visitor (by session or contact) or for its workspace's operators; 404 for anyone else. */
  async file(id: string, who: { session?: Session; workspaceId?: string }) {
    const [f] = await this.db.query(
      `select f.*, c.session_id as conv_session, c.contact_id as conv_contact from files f left join conversations c on c.id = f.conversation_id where f.id = $1`,
      [id],
    );
    const s = who.session;
    const allowed = f && (s
      ? f.workspace_id === s.workspace_id &&
        (f.conv_contact ? f.conv_contact === s.contact_id : f.session_id === s.id || f.conv_session === s.id)
      : f.workspace_id === who.workspaceId);
    if (!allowed) throw notFound(`File ${id}`);
    return f;
  }
}
