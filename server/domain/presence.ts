import type { Queryable, Row } from '../db/db.js';
import { operatorEvent, type Stream } from './stream.js';

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

  /** The faces on the messenger's home: up to three operators, those online first, then the most recently seen. */
  async team(workspaceId: string): Promise<{ name: string; avatar_url: string | null }[]> {
    return this.stream.db.query(
      `select name, avatar_url from agents where workspace_id = $1 and kind = 'person'
        order by (last_seen_at > now() - interval '90 seconds') is true desc, last_seen_at desc nulls last, name limit 3`,
      [workspaceId],
    );
  }

  /** An operator's name or picture, as they set it. */
  async profile(workspaceId: string, agentId: string, change: { name?: string; avatar_url?: string | null }) {
    const [row] = await this.stream.db.query(
      `update agents set name = coalesce($3, name), avatar_url = case when $4 then $5 else avatar_url end
        where id = $1 and workspace_id = $2 returning id, name, avatar_url`,
      [agentId, workspaceId, change.name ?? null, 'avatar_url' in change, change.avatar_url ?? null],
    );
    return row!;
  }

  /**
   * An operator comes online or goes offline: their teammates' inboxes hear it (`agent.presence`), and
   * visitors hear when the workspace's availability changes.
   */
  async agent(workspaceId: string, agentId: string, online: boolean): Promise<boolean> {
    return this.stream.write(async (q, emit) => {
      const before = await this.available(workspaceId, q);
      const [was] = await q.query(`select last_seen_at > now() - interval '90 seconds' as online from agents where id = $1 and workspace_id = $2`, [agentId, workspaceId]);
      await q.query(`update agents set last_seen_at = ${online ? 'now()' : 'null'} where id = $1 and workspace_id = $2`, [agentId, workspaceId]);
      if ((was?.online ?? false) !== online) emit(operatorEvent(workspaceId, null, 'agent.presence', { agent_id: agentId, online }));
      const after = await this.available(workspaceId, q);
      if (before !== after) {
        emit({ workspace_id: workspaceId, session_id: null, contact_id: null, conversation_id: null, type: 'availability', visitor: true, operator: true, payload: { available: after } });
      }
      return after;
    });
  }

  /** The workspace's operators for the inbox: who they are and who is online now. */
  async operators(workspaceId: string): Promise<Row[]> {
    return this.stream.db.query(
      `select id, name, avatar_url, role, coalesce(last_seen_at > now() - interval '90 seconds', false) as online
         from agents where workspace_id = $1 and kind = 'person' order by lower(name), id`,
      [workspaceId],
    );
  }
}
