import type { Db, Row } from '../db/db.js';
import { HttpError, notFound } from '../http/errors.js';
import { E164, EMAIL } from '../../src/protocol/limits.js';
import { isOpen, type Company } from './company.js';
import { newId } from './ids.js';
import type { Session } from './sessions.js';
import { operatorEvent, type Stream } from './stream.js';
import { formatSlot, freeSlots, parseTime, type Hours } from './slots.js';



const callJson = (c: Row) => ({
  id: c.id,
  status: c.status,
  menu_id: c.menu_id === null ? null : Number(c.menu_id),
  lang: c.lang,
  phone_number: c.phone_number,
  scheduled_at: c.scheduled_at ? formatSlot(new Date(c.scheduled_at)) : null,
  recording_permission: c.recording_permission,
  created_at: new Date(c.created_at).toISOString(),
});

/** Calls and callbacks: free slots of a topic with the voice channel, the visitor's call, the operators' queue. */
export class Calls {
  constructor(readonly stream: Stream, readonly company: Company) {}

  get db(): Db {
    return this.stream.db;
  }

  /** Free callback slots of a menu with the voice channel, in the SDK's format. */
  async timeSlots(workspaceId: string, menuId: number | string): Promise<string[]> {
    const menu = await this.company.menu(workspaceId, menuId);
    if (!(menu.channels as string[]).includes('voice_call')) {
      throw new HttpError(409, 'channel_unavailable', `Menu ${menu.id} offers no calls (channels: ${(menu.channels as string[]).join(', ')})`);
    }
    return (await this.#callSlots(workspaceId)).map(formatSlot);
  }

  async #callSlots(workspaceId: string): Promise<Date[]> {
    const w = await this.company.workspace(workspaceId);
    const now = this.company.now();
    const taken = await this.db.query('select scheduled_at from calls where workspace_id = $1 and status = $2 and scheduled_at > $3', [workspaceId, 'scheduled', now]);
    return freeSlots({
      now,
      hours: w.business_hours as Hours,
      timeZone: w.time_zone,
      stepMinutes: w.slot_minutes,
      durationMinutes: w.slot_minutes,
      taken: taken.map((t) => ({ start: new Date(t.scheduled_at), end: new Date(new Date(t.scheduled_at).getTime() + w.slot_minutes * 60_000) })),
    });
  }

  async create(session: Session, input: { menu_id: number | string; lang: string; phone_number: string; scheduled_at?: string; ticket_id?: string; email?: string; recording_permission?: boolean }) {
    if (!E164.test(input.phone_number)) {
      throw new HttpError(400, 'invalid_phone_number', `phone_number must be in E.164 form, such as +14155550123 (a +, the country code, then the number), got ${JSON.stringify(input.phone_number)}`);
    }
    if (input.email !== undefined && !EMAIL.test(input.email)) throw new HttpError(400, 'invalid_email', `Not an email address: ${JSON.stringify(input.email)}`);
    const menu = await this.company.menu(session.workspace_id, input.menu_id);
    if (!(menu.channels as string[]).includes('voice_call')) throw new HttpError(409, 'channel_unavailable', `Menu ${menu.id} offers no calls`);
    let scheduled: Date | null = null;
    if (input.scheduled_at !== undefined) {
      scheduled = parseTime(input.scheduled_at);
      if (!scheduled) throw new HttpError(400, 'invalid_request', `scheduled_at is not a time: ${JSON.stringify(input.scheduled_at)} (use "2023-05-31T11:45+0000" or a slot from getTimeSlots)`);
      if (scheduled.getTime() <= this.company.now().getTime()) throw new HttpError(400, 'scheduled_in_past', `scheduled_at ${input.scheduled_at} is in the past`);
    } else {
      const hours = await this.company.afterHours(session.workspace_id, input.lang);
      if (!hours.open) throw new HttpError(409, 'outside_business_hours', hours.message ?? 'Outside business hours; schedule the call instead');
    }
    if (scheduled) {
      // Hours and what is taken, checked first; the clash check below repeats the second under the lock.
      const free = await this.#callSlots(session.workspace_id);
      if (!free.some((d) => d.getTime() === scheduled!.getTime())) await this.#refuseCallSlot(session.workspace_id, scheduled, free);
    }
    // The inboxes hear of a callback to make (call.requested), with the write that stores it.
    const row = await this.stream.write(async (q, emit) => {
      await q.query('select pg_advisory_xact_lock(hashtext($1))', [`calls:${session.workspace_id}`]);
      if (scheduled) {
        const [clash] = await q.query(`select 1 from calls where workspace_id = $1 and status = 'scheduled' and scheduled_at = $2`, [session.workspace_id, scheduled]);
        if (clash) return null;
      }
      const [inserted] = await q.query(
        `insert into calls (id, workspace_id, session_id, menu_id, lang, phone_number, scheduled_at, ticket_id, email, recording_permission, status)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *`,
        [newId('call'), session.workspace_id, session.id, menu.id, input.lang, input.phone_number, scheduled, input.ticket_id ?? null, input.email ?? null, input.recording_permission ?? false, scheduled ? 'scheduled' : 'queued'],
      );
      emit(operatorEvent(session.workspace_id, null, 'call.requested', { call: callJson(inserted!) }));
      return inserted!;
    });
    if (!row) return this.#refuseCallSlot(session.workspace_id, scheduled!, await this.#callSlots(session.workspace_id));
    return callJson(row);
  }

  async #refuseCallSlot(workspaceId: string, when: Date, free: Date[]): Promise<never> {
    const w = await this.company.workspace(workspaceId);
    const open = isOpen(w.business_hours, w.time_zone, when);
    const next = free.slice(0, 3).map(formatSlot);
    throw new HttpError(409, open ? 'slot_unavailable' : 'outside_business_hours',
      `${formatSlot(when)} is ${open ? 'taken or not a slot' : 'outside business hours'}; the next free slots: ${next.join(', ')}`, { next_slots: next });
  }

  async get(session: Session, id: string) {
    const [c] = await this.db.query('select * from calls where id = $1 and workspace_id = $2 and session_id = $3', [id, session.workspace_id, session.id]);
    if (!c) throw notFound(`Call ${id}`);
    return callJson(c);
  }

  async cancel(session: Session, id: string) {
    const c = await this.get(session, id);
    if (!['queued', 'scheduled'].includes(c.status)) throw new HttpError(409, `call_${c.status}`, `Call ${id} is ${c.status}; only a waiting call can be cancelled`);
    const [row] = await this.db.query(`update calls set status = 'cancelled' where id = $1 returning *`, [id]);
    return callJson(row!);
  }

  async queue(workspaceId: string) {
    const rows = await this.db.query(
      `select * from calls where workspace_id = $1 and status in ('queued', 'scheduled') order by coalesce(scheduled_at, created_at)`,
      [workspaceId],
    );
    return rows.map(callJson);
  }

  async done(workspaceId: string, id: string) {
    const [row] = await this.db.query(`update calls set status = 'done', done_at = now() where id = $1 and workspace_id = $2 and status in ('queued', 'scheduled') returning *`, [id, workspaceId]);
    if (!row) {
      const [exists] = await this.db.query('select status from calls where id = $1 and workspace_id = $2', [id, workspaceId]);
      if (!exists) throw notFound(`Call ${id}`);
      throw new HttpError(409, `call_${exists.status}`, `Call ${id} is ${exists.status} already`);
    }
    return callJson(row);
  }
}
