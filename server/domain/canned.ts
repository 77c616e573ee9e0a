import type { Db, Row } from '../db/db.js';
import { HttpError, notFound } from '../http/errors.js';
import { newId } from './ids.js';

/** A reply as an operator saves it: typed after "/" in the inbox's composer, or picked from a list. */
export interface CannedInput {
  shortcut: string;
  content: string;
}

const taken = (shortcut: string) => (e: { code?: string }) => {
  if (e.code === '23505') throw new HttpError(409, 'duplicate_key', `A canned reply /${shortcut} already exists`);
  throw e;
};

const COLUMNS = 'id, shortcut, content';

/** The workspace's canned replies (migration 016). */
export class CannedReplies {
  constructor(readonly db: Db) {}

  list(workspaceId: string): Promise<Row[]> {
    return this.db.query(`select ${COLUMNS} from canned_replies where workspace_id = $1 order by shortcut`, [workspaceId]);
  }

  async create(workspaceId: string, input: CannedInput): Promise<Row> {
    const [row] = await this.db
      .query(`insert into canned_replies (id, workspace_id, shortcut, content) values ($1, $2, $3, $4) returning ${COLUMNS}`, [newId('can'), workspaceId, input.shortcut, input.content])
      .catch(taken(input.shortcut));
    return row!;
  }

  async update(workspaceId: string, id: string, patch: Partial<CannedInput>): Promise<Row> {
    const [row] = await this.db
      .query(`update canned_replies set shortcut = coalesce($3, shortcut), content = coalesce($4, content) where id = $1 and workspace_id = $2 returning ${COLUMNS}`, [
        id, workspaceId, patch.shortcut ?? null, patch.content ?? null,
      ])
      .catch(taken(patch.shortcut ?? ''));
    if (!row) throw notFound(`Canned reply ${id}`);
    return row;
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    const rows = await this.db.query('delete from canned_replies where id = $1 and workspace_id = $2 returning id', [id, workspaceId]);
    if (!rows.length) throw notFound(`Canned reply ${id}`);
  }
}
