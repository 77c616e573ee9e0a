import type { Bus, StreamEvent } from '../bus.js';
import type { Db, Queryable, Row } from '../db/db.js';

/**
 * The realtime stream: the ONE path of every event (stored in `stream_events`
 * with the write that caused it, published on the bus once committed) and the
 * ONE rule of who may see an event, used both by live streams and by the
 * backlog a reconnecting stream replays.
 */

export type NewEvent = Omit<StreamEvent, 'id'>;
export type Emit = (event: NewEvent) => void;

/** An event for the workspace's operators (about a conversation, or none). */
export const operatorEvent = (workspaceId: string, conversationId: string | null, type: string, payload: Row): NewEvent => ({
  workspace_id: workspaceId, session_id: null, contact_id: null, conversation_id: conversationId, type, visitor: false, operator: true, payload,
});

/** An event of a conversation for its operators. */
export const forOperators = (c: Row, type: string, payload: Row): NewEvent => operatorEvent(c.workspace_id, c.id, type, payload);

/** An event of a conversation for its visitor: whoever holds its contact, or its session while it has none (see visitorMaysee). */
export const forVisitor = (c: Row, type: string, payload: Row): NewEvent => ({
  workspace_id: c.workspace_id, session_id: c.session_id, contact_id: c.contact_id, conversation_id: c.id, type, visitor: true, operator: false, payload,
});

/** Who a visitor stream is for: the session and the contact it holds NOW. */
export interface VisitorAudience {
  workspace_id: string;
  id: string;
  contact_id: string | null;
}

/**
 * Whether a stored event is for this visitor, given the contact the session
 * holds NOW (callers pass it fresh: the stream swaps it on `session.switched`).
 * An event of a contact's conversation goes to the sessions holding that
 * contact, never by its old session alone (after a switch from A to B, A's
 * events no longer reach the session); an anonymous conversation's event goes
 * to its session; one with neither (availability) to every visitor.
 */
export function visitorMaysee(e: StreamEvent, session: VisitorAudience): boolean {
  if (!e.visitor || e.workspace_id !== session.workspace_id) return false;
  if (e.type === 'session.switched') return e.session_id === session.id;
  if (e.contact_id !== null) return e.contact_id === session.contact_id;
  return e.session_id === null || e.session_id === session.id;
}

/** Whether a stored event is for the operators of this workspace. */
export const operatorMaysee = (e: StreamEvent, workspaceId: string): boolean => e.operator && e.workspace_id === workspaceId;

const PAGE = 1000;

export class Stream {
  constructor(readonly db: Db, readonly bus: Bus) {}

  /** Runs `fn` in a transaction; the events it emits are stored with it and published after commit. */
  async write<T>(fn: (q: Queryable, emit: Emit) => Promise<T>): Promise<T> {
    const stored: StreamEvent[] = [];
    const result = await this.db.tx(async (q) => {
      const pending: NewEvent[] = [];
      const out = await fn(q, (e) => pending.push(e));
      if (pending.length) {
        const ordered = this.bus.inTransaction;
        await ordered?.lock(q, pending.map((e) => e.workspace_id));
        // One planned statement for all of them, in the order emitted (migration 011: stream_append).
        const rows = await q.query<StreamEvent>('select * from stream_append($1::jsonb)', [JSON.stringify(pending)]);
        stored.push(...rows.sort((a, b) => Number(a.id) - Number(b.id)));
        await ordered?.notify(q, stored);
      }
      return out;
    });
    if (!this.bus.inTransaction) for (const e of stored) await this.bus.publish(e);
    return result;
  }

  /** Stores and publishes events that need no other write. */
  async emit(...events: NewEvent[]): Promise<void> {
    await this.write(async (_q, emit) => events.forEach(emit));
  }

  /** The newest event id of the workspace: where a new stream starts. */
  async cursor(workspaceId: string): Promise<number> {
    const [row] = await this.db.query('select coalesce(max(id), 0)::int as id from stream_events where workspace_id = $1', [workspaceId]);
    return row!.id;
  }

  /**
   * What a visitor's stream sends: events addressed to whom the session holds NOW, checked at every
   * delivery. The contact is read afresh (`currentContact`) once the stream listens, not from the cached
   * look-up, and a `session.switched` of this session (identify) swaps it in place, in event order, so
   * that nothing addressed to the previous contact goes out after the switch, live or from the backlog.
   * The client hears the switch too. `matches` holds that state: it is asked in delivery order.
   */
  visitorFeed(who: VisitorAudience, currentContact: () => Promise<string | null>) {
    return {
      backlog: async (from: number) => {
        who.contact_id = await currentContact();
        // Past switches are not replayed into the filter: the backlog is for whom the session holds now.
        return this.visitorBacklog({ ...who }, from);
      },
      matches: (e: StreamEvent) => {
        const ok = visitorMaysee(e, who);
        if (ok && e.type === 'session.switched') who.contact_id = e.contact_id;
        return ok;
      },
    };
  }

  /** What an operator's stream sends: the workspace's operator events. */
  operatorFeed(workspaceId: string) {
    return {
      backlog: (from: number) => this.operatorBacklog(workspaceId, from),
      matches: (e: StreamEvent) => operatorMaysee(e, workspaceId),
    };
  }

  /** Stored events after `after` that this visitor may see (by `visitorMaysee`), oldest first, at most `limit`. */
  visitorBacklog(who: VisitorAudience, after: number, limit = PAGE): Promise<StreamEvent[]> {
    return this.#backlog(who.workspace_id, 'visitor', (e) => visitorMaysee(e, who), after, limit);
  }

  /** Stored events after `after` for the workspace's operators, oldest first. */
  operatorBacklog(workspaceId: string, after: number, limit = PAGE): Promise<StreamEvent[]> {
    return this.#backlog(workspaceId, 'operator', (e) => operatorMaysee(e, workspaceId), after, limit);
  }

  /** Pages through the audience's stored events, keeping those the rule lets through. */
  async #backlog(workspaceId: string, audience: 'visitor' | 'operator', may: (e: StreamEvent) => boolean, after: number, limit: number): Promise<StreamEvent[]> {
    const out: StreamEvent[] = [];
    for (let from = after; ; ) {
      const rows = await this.db.query<StreamEvent>(`select * from stream_events where workspace_id = $1 and id > $2 and ${audience} order by id limit $3`, [workspaceId, from, PAGE]);
      for (const e of rows) {
        if (!may(e)) continue;
        out.push(e);
        if (out.length >= limit) return out;
      }
      if (rows.length < PAGE) return out;
      from = rows.at(-1)!.id;
    }
  }
}
