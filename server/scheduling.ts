import { randomInt } from 'node:crypto';
import type { Chat, Session } from './chat.js';
import { newId } from './chat.js';
import type { Row } from './db/db.js';
import { HttpError, notFound } from './errors.js';
import type { Lifecycle } from './lifecycle.js';
import { isOpen, pick } from './lifecycle.js';
import { formatSlot, freeSlots, parseTime, type Hours } from './slots.js';
import { EMAIL } from '../src/protocol/limits.js';

const E164 = /^\+[1-9]\d{6,14}$/;
const CODE_MINUTES = 10;

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

/** Calls and callbacks, meeting bookings and co-browsing. */
export class Scheduling {
  constructor(readonly chat: Chat, readonly lifecycle: Lifecycle) {}

  get db() {
    return this.chat.db;
  }

  // ---- calls ----

  /** Free callback slots of a menu with the voice channel, in the SDK's format. */
  async timeSlots(workspaceId: string, menuId: number | string): Promise<string[]> {
    const menu = await this.lifecycle.menu(workspaceId, menuId);
    if (!(menu.channels as string[]).includes('voice_call')) {
      throw new HttpError(409, 'channel_unavailable', `Menu ${menu.id} offers no calls (channels: ${(menu.channels as string[]).join(', ')})`);
    }
    return (await this.#callSlots(workspaceId)).map(formatSlot);
  }

  async #callSlots(workspaceId: string): Promise<Date[]> {
    const w = await this.lifecycle.workspace(workspaceId);
    const now = this.lifecycle.now();
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

  async createCall(session: Session, input: { menu_id: number | string; lang: string; phone_number: string; scheduled_at?: string; ticket_id?: string; email?: string; recording_permission?: boolean }) {
    if (!E164.test(input.phone_number)) {
      throw new HttpError(400, 'invalid_phone_number', `phone_number must be in E.164 form, such as +14155550123 (a +, the country code, then the number), got ${JSON.stringify(input.phone_number)}`);
    }
    if (input.email !== undefined && !EMAIL.test(input.email)) throw new HttpError(400, 'invalid_email', `Not an email address: ${JSON.stringify(input.email)}`);
    const menu = await this.lifecycle.menu(session.workspace_id, input.menu_id);
    if (!(menu.channels as string[]).includes('voice_call')) throw new HttpError(409, 'channel_unavailable', `Menu ${menu.id} offers no calls`);
    let scheduled: Date | null = null;
    if (input.scheduled_at !== undefined) {
      scheduled = parseTime(input.scheduled_at);
      if (!scheduled) throw new HttpError(400, 'invalid_request', `scheduled_at is not a time: ${JSON.stringify(input.scheduled_at)} (use "2023-05-31T11:45+0000" or a slot from getTimeSlots)`);
      if (scheduled.getTime() <= this.lifecycle.now().getTime()) throw new HttpError(400, 'scheduled_in_past', `scheduled_at ${input.scheduled_at} is in the past`);
    } else {
      const hours = await this.lifecycle.afterHours(session.workspace_id, input.lang);
      if (!hours.open) throw new HttpError(409, 'outside_business_hours', hours.message ?? 'Outside business hours; schedule the call instead');
    }
    if (scheduled) {
      // Hours and what is taken, checked first; the clash check below repeats the second under the lock.
      const free = await this.#callSlots(session.workspace_id);
      if (!free.some((d) => d.getTime() === scheduled!.getTime())) await this.#refuseCallSlot(session.workspace_id, scheduled, free);
    }
    const row = await this.db.tx(async (q) => {
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
      return inserted!;
    });
    if (!row) return this.#refuseCallSlot(session.workspace_id, scheduled!, await this.#callSlots(session.workspace_id));
    return callJson(row);
  }

  async #refuseCallSlot(workspaceId: string, when: Date, free: Date[]): Promise<never> {
    const w = await this.lifecycle.workspace(workspaceId);
    const open = isOpen(w.business_hours, w.time_zone, when);
    const next = free.slice(0, 3).map(formatSlot);
    throw new HttpError(409, open ? 'slot_unavailable' : 'outside_business_hours',
      `${formatSlot(when)} is ${open ? 'taken or not a slot' : 'outside business hours'}; the next free slots: ${next.join(', ')}`, { next_slots: next });
  }

  async loadCall(session: Session, id: string) {
    const [c] = await this.db.query('select * from calls where id = $1 and workspace_id = $2 and session_id = $3', [id, session.workspace_id, session.id]);
    if (!c) throw notFound(`Call ${id}`);
    return callJson(c);
  }

  async cancelCall(session: Session, id: string) {
    const c = await this.loadCall(session, id);
    if (!['queued', 'scheduled'].includes(c.status)) throw new HttpError(409, `call_${c.status}`, `Call ${id} is ${c.status}; only a waiting call can be cancelled`);
    const [row] = await this.db.query(`update calls set status = 'cancelled' where id = $1 returning *`, [id]);
    return callJson(row!);
  }

  async callQueue(workspaceId: string) {
    const rows = await this.db.query(
      `select * from calls where workspace_id = $1 and status in ('queued', 'scheduled') order by coalesce(scheduled_at, created_at)`,
      [workspaceId],
    );
    return rows.map(callJson);
  }

  async markCallDone(workspaceId: string, id: string) {
    const [row] = await this.db.query(`update calls set status = 'done', done_at = now() where id = $1 and workspace_id = $2 and status in ('queued', 'scheduled') returning *`, [id, workspaceId]);
    if (!row) {
      const [exists] = await this.db.query('select status from calls where id = $1 and workspace_id = $2', [id, workspaceId]);
      if (!exists) throw notFound(`Call ${id}`);
      throw new HttpError(409, `call_${exists.status}`, `Call ${id} is ${exists.status} already`);
    }
    return callJson(row);
  }

  // ---- meetings ----

  async meetingTypes(workspaceId: string, lang: string) {
    const rows = await this.db.query('select * from meeting_types where workspace_id = $1 order by position, id', [workspaceId]);
    return rows.map((m) => ({ id: Number(m.id), name: pick(m.name, lang) ?? String(m.id), duration_minutes: m.duration_minutes }));
  }

  async #meetingType(workspaceId: string, id: number | string): Promise<Row> {
    if (!/^\d{1,15}$/.test(String(id))) throw new HttpError(400, 'invalid_request', `meeting_type_id must be a number, got ${JSON.stringify(id)}`);
    const [m] = await this.db.query('select * from meeting_types where id = $1 and workspace_id = $2', [Number(id), workspaceId]);
    if (!m) {
      const [{ n }] = (await this.db.query('select count(*)::int as n from meeting_types where workspace_id = $1', [workspaceId])) as [{ n: number }];
      throw new HttpError(404, n ? 'unknown_meeting_type' : 'no_meeting_types', n ? `Meeting type ${id} was not found` : 'This workspace has no meeting type to book; add one first');
    }
    return m;
  }

  async meetingSlots(workspaceId: string, meetingTypeId: number | string): Promise<Date[]> {
    const m = await this.#meetingType(workspaceId, meetingTypeId);
    const w = await this.lifecycle.workspace(workspaceId);
    const now = this.lifecycle.now();
    const taken = await this.db.query(`select starts_at, ends_at from bookings where workspace_id = $1 and status = 'confirmed' and ends_at > $2`, [workspaceId, now]);
    return freeSlots({
      now,
      hours: (m.availability ?? w.business_hours) as Hours,
      timeZone: w.time_zone,
      stepMinutes: Math.min(w.slot_minutes, m.duration_minutes),
      durationMinutes: m.duration_minutes,
      taken: taken.map((b) => ({ start: new Date(b.starts_at), end: new Date(b.ends_at) })),
      limit: 100,
    });
  }

  /**
   * Books a slot; two visitors racing for one: the first wins (bookings of a
   * workspace are serialised by an advisory lock), the other is told and offered
   * the next free slots.
   */
  async book(session: Session, input: { meeting_type_id: number | string; starts_at: string; name: string; email: string }) {
    if (!EMAIL.test(input.email)) throw new HttpError(400, 'invalid_email', `Not an email address: ${JSON.stringify(input.email)}`);
    const start = parseTime(input.starts_at);
    if (!start) throw new HttpError(400, 'invalid_request', `starts_at is not a time: ${JSON.stringify(input.starts_at)}`);
    if (start.getTime() <= this.lifecycle.now().getTime()) throw new HttpError(400, 'scheduled_in_past', `starts_at ${input.starts_at} is in the past`);
    const m = await this.#meetingType(session.workspace_id, input.meeting_type_id);
    const end = new Date(start.getTime() + m.duration_minutes * 60_000);
    const name = pick(m.name, 'en') ?? 'Meeting';
    const taken = async (): Promise<never> => {
      const next = (await this.meetingSlots(session.workspace_id, m.id)).filter((d) => d.getTime() !== start.getTime()).slice(0, 5).map(formatSlot);
      throw new HttpError(409, 'slot_taken', `${formatSlot(start)} is no longer free; the next free slots: ${next.join(', ')}`, { next_slots: next });
    };
    if (!(await this.meetingSlots(session.workspace_id, m.id)).some((d) => d.getTime() === start.getTime())) await taken();
    const booking = await this.chat.write(async (q, emit) => {
      // Bookings of a workspace one at a time: of two visitors racing for a slot, the second sees the first's booking.
      await q.query('select pg_advisory_xact_lock(hashtext($1))', [`bookings:${session.workspace_id}`]);
      const [clash] = await q.query(`select 1 from bookings where workspace_id = $1 and status = 'confirmed' and starts_at < $3 and $2 < ends_at`, [session.workspace_id, start, end]);
      if (clash) return null;
      const conversation = await this.chat.currentConversation(session, q);
      const [row] = await q.query(
        `insert into bookings (id, workspace_id, meeting_type_id, session_id, conversation_id, name, email, starts_at, ends_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
        [newId('bkg'), session.workspace_id, m.id, session.id, conversation?.id ?? null, input.name, input.email, start, end],
      );
      emit({ workspace_id: session.workspace_id, session_id: null, contact_id: null, conversation_id: conversation?.id ?? null, type: 'booking.created', visitor: false, operator: true, payload: { booking: { id: row!.id, starts_at: start.toISOString(), name: input.name } } });
      return { row: row!, conversation };
    });
    if (!booking) return taken();
    // Confirmed in the conversation, as a system message the visitor and the operators see.
    if (booking.conversation) {
      await this.chat.systemMessage(booking.conversation, `Booked: ${name} on ${formatSlot(start)} for ${input.name} <${input.email}>`, { booking_id: booking.row.id });
    }
    return { id: booking.row.id, meeting_type_id: Number(m.id), starts_at: start.toISOString(), ends_at: end.toISOString(), name: input.name, email: input.email, status: 'confirmed' };
  }

  async bookings(workspaceId: string) {
    return this.db.query(
      `select b.id, b.meeting_type_id::int, b.name, b.email, b.status, b.conversation_id,
         to_char(b.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as starts_at
       from bookings b where b.workspace_id = $1 order by b.starts_at`,
      [workspaceId],
    );
  }

  // ---- co-browsing ----

  /** A six-digit code, valid ten minutes, that the visitor reads to an operator. */
  async cobrowseCode(session: Session) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expires = new Date(this.lifecycle.now().getTime() + CODE_MINUTES * 60_000);
    const conversation = await this.chat.currentConversation(session);
    const [row] = await this.db.query(
      `insert into cobrowse_sessions (id, workspace_id, session_id, conversation_id, code, code_expires_at, status) values ($1, $2, $3, $4, $5, $6, 'waiting') returning id`,
      [newId('cob'), session.workspace_id, session.id, conversation?.id ?? null, code, expires],
    );
    return { id: row!.id as string, code, expires_at: expires.toISOString() };
  }

  /** The visitor agreed: recording starts (on the session of the code, or a new one). */
  async startCobrowse(session: Session, id?: string) {
    const conversation = await this.chat.currentConversation(session);
    const row = await this.chat.write(async (q, emit) => {
      let [c] = id ? await q.query('select * from cobrowse_sessions where id = $1 and session_id = $2', [id, session.id]) : [];
      if (id && !c) throw notFound(`Co-browsing session ${id}`);
      if (c) {
        [c] = await q.query(`update cobrowse_sessions set status = 'live', started_at = now() where id = $1 returning *`, [c.id]);
      } else {
        [c] = await q.query(
          `insert into cobrowse_sessions (id, workspace_id, session_id, conversation_id, status, started_at) values ($1, $2, $3, $4, 'live', now()) returning *`,
          [newId('cob'), session.workspace_id, session.id, conversation?.id ?? null],
        );
      }
      emit({ workspace_id: session.workspace_id, session_id: null, contact_id: null, conversation_id: c!.conversation_id, type: 'cobrowse.started', visitor: false, operator: true, payload: { cobrowse: { id: c!.id, code: c!.code } } });
      return c!;
    });
    return { id: row.id as string, status: 'live' };
  }

  async #liveCobrowse(session: Session, id: string): Promise<Row> {
    const [c] = await this.db.query('select * from cobrowse_sessions where id = $1 and session_id = $2', [id, session.id]);
    if (!c) throw notFound(`Co-browsing session ${id}`);
    return c;
  }

  async addCobrowseEvents(session: Session, id: string, events: unknown[]) {
    const c = await this.#liveCobrowse(session, id);
    if (c.status !== 'live') throw new HttpError(409, `cobrowse_${c.status}`, `Co-browsing session ${id} is ${c.status}`);
    await this.chat.write(async (q, emit) => {
      const [last] = await q.query(
        `insert into cobrowse_events (cobrowse_id, payload) select $1, value from jsonb_array_elements($2::jsonb) returning id`,
        [id, JSON.stringify(events)],
      ).then((rows) => rows.slice(-1));
      emit({ workspace_id: session.workspace_id, session_id: null, contact_id: null, conversation_id: c.conversation_id, type: 'cobrowse.events', visitor: false, operator: true, payload: { cobrowse_id: id, last: Number(last?.id ?? 0) } });
    });
    return { stored: events.length };
  }

  async stopCobrowse(session: Session, id: string) {
    const c = await this.#liveCobrowse(session, id);
    await this.chat.write(async (q, emit) => {
      await q.query(`update cobrowse_sessions set status = 'ended', ended_at = now() where id = $1`, [c.id]);
      emit({ workspace_id: session.workspace_id, session_id: null, contact_id: null, conversation_id: c.conversation_id, type: 'cobrowse.ended', visitor: false, operator: true, payload: { cobrowse_id: c.id } });
    });
    return { id: c.id, status: 'ended' };
  }

  /** An operator finds a session by the code the visitor read out (while valid) or by conversation. */
  async findCobrowse(workspaceId: string, by: { code?: string; conversation_id?: string }) {
    const [c] = by.code
      ? await this.db.query('select * from cobrowse_sessions where workspace_id = $1 and code = $2 order by created_at desc limit 1', [workspaceId, by.code])
      : await this.db.query(`select * from cobrowse_sessions where workspace_id = $1 and conversation_id = $2 and status <> 'ended' order by created_at desc limit 1`, [workspaceId, by.conversation_id]);
    if (!c) throw notFound(by.code ? `Co-browsing code ${by.code}` : `A co-browsing session of conversation ${by.conversation_id}`);
    if (by.code && new Date(c.code_expires_at).getTime() < this.lifecycle.now().getTime() && c.status === 'waiting') {
      throw new HttpError(410, 'code_expired', `Code ${by.code} has expired (codes are valid ${CODE_MINUTES} minutes); ask the visitor for a new one`);
    }
    return { id: c.id, status: c.status, conversation_id: c.conversation_id, started_at: c.started_at ? new Date(c.started_at).toISOString() : null };
  }

  async cobrowseEvents(workspaceId: string, id: string, after: number) {
    const [c] = await this.db.query('select id, status from cobrowse_sessions where id = $1 and workspace_id = $2', [id, workspaceId]);
    if (!c) throw notFound(`Co-browsing session ${id}`);
    const rows = await this.db.query('select id, payload from cobrowse_events where cobrowse_id = $1 and id > $2 order by id limit 2000', [id, after]);
    return { status: c.status, events: rows.map((r) => r.payload), last: rows.length ? Number(rows.at(-1)!.id) : after };
  }
}
