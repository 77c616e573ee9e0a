import type { Queryable } from '../db/db.js';
import type { Stream } from './stream.js';

/** Whether a person is online to answer; operators coming and going. */
export class Presence {
  constructor(readonly stream: Stream) {}

  async available(workspaceId: string, q: Queryable = this.stream.db): Promise<boolean> {
    const [row] = await q.query(
      `select exists(select 1 from agents where workspace_id = $1 and kind = 'person' and last_seen_at > now() - interval '90 seconds') as available`,
      [workspaceId],
    );
    return row!.available;
  }

  /** An operator comes online or goes offline; visitors hear when the workspace's availability changes. */
  async agent(workspaceId: string, agentId: string, online: boolean): Promise<boolean> {
    return this.stream.write(async (q, emit) => {
      const before = await this.available(workspaceId, q);
      await q.query(`update agents set last_seen_at = ${online ? 'now()' : 'null'} where id = $1 and workspace_id = $2`, [agentId, workspaceId]);
      const after = await this.available(workspaceId, q);
      if (before !== after) {
        emit({ workspace_id: workspaceId, session_id: null, contact_id: null, conversation_id: null, type: 'availability', visitor: true, operator: true, payload: { available: after } });
      }
      return after;
    });
  }
}
