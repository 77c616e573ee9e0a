import type { Db, Row } from '../db/db.js';
import { HttpError } from '../http/errors.js';
import { EMAIL } from '../../src/protocol/limits.js';
import { pick, type Company } from './company.js';
import type { Conversations } from './conversations.js';
import { newId } from './ids.js';
import type { Messages } from './messages.js';
import type { Session } from './sessions.js';
import { formatSlot, freeSlots, parseTime, type Hours } from './slots.js';
import { operatorEvent, type Stream } from './stream.js';

/** Meetings: the types operators offer, their free slots, and visitors' bookings. */
export class Bookings {
  constructor(readonly stream: Stream, readonly conversations: Conversations, readonly messages: Messages, readonly company: Company) {}

  get db(): Db {
    return this.stream.db;
  }

  /** Whether visitors can book a meeting here (the messenger's home offers it). */
  async offered(workspaceId: string): Promise<boolean> {
    const [row] = await this.db.query('select exists(select 1 from meeting_types where workspace_id = $1) as offered', [workspaceId]);
    return row!.offered;
  }

  async types(workspaceId: string, lang: string) {
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

  async slots(workspaceId: string, meetingTypeId: number | string): Promise<Date[]> {
    const m = await this.#meetingType(workspaceId, meetingTypeId);
    const w = await this.company.workspace(workspaceId);
    const now = this.company.now();
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
    if (start.getTime() <= this.company.now().getTime()) throw new HttpError(400, 'scheduled_in_past', `starts_at ${input.starts_at} is in the past`);
    const m = await this.#meetingType(session.workspace_id, input.meeting_type_id);
    const end = new Date(start.getTime() + m.duration_minutes * 60_000);
    const name = pick(m.name, 'en') ?? 'Meeting';
    const taken = async (): Promise<never> => {
      const next = (await this.slots(session.workspace_id, m.id)).filter((d) => d.getTime() !== start.getTime()).slice(0, 5).map(formatSlot);
      throw new HttpError(409, 'slot_taken', `${formatSlot(start)} is no longer free; the next free slots: ${next.join(', ')}`, { next_slots: next });
    };
    if (!(await this.slots(session.workspace_id, m.id)).some((d) => d.getTime() === start.getTime())) await taken();
    const booking = await this.stream.write(async (q, emit) => {
      // Bookings of a workspace one at a time: of two visitors racing for a slot, the second sees the first's booking.
      await q.query('select pg_advisory_xact_lock(hashtext($1))', [`bookings:${session.workspace_id}`]);
      const [clash] = await q.query(`select 1 from bookings where workspace_id = $1 and status = 'confirmed' and starts_at < $3 and $2 < ends_at`, [session.workspace_id, start, end]);
      if (clash) return null;
      const conversation = await this.conversations.current(session, q);
      const [row] = await q.query(
        `insert into bookings (id, workspace_id, meeting_type_id, session_id, conversation_id, name, email, starts_at, ends_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
        [newId('bkg'), session.workspace_id, m.id, session.id, conversation?.id ?? null, input.name, input.email, start, end],
      );
      emit(operatorEvent(session.workspace_id, conversation?.id ?? null, 'booking.created', { booking: { id: row!.id, starts_at: start.toISOString(), name: input.name } }));
      return { row: row!, conversation };
    });
    if (!booking) return taken();
    // Confirmed in the conversation, as a system message the visitor and the operators see.
    if (booking.conversation) {
      await this.messages.system(booking.conversation, `Booked: ${name} on ${formatSlot(start)} for ${input.name} <${input.email}>`, { booking_id: booking.row.id });
    }
    return { id: booking.row.id, meeting_type_id: Number(m.id), starts_at: start.toISOString(), ends_at: end.toISOString(), name: input.name, email: input.email, status: 'confirmed' };
  }

  async list(workspaceId: string) {
    return this.db.query(
      `select b.id, b.meeting_type_id::int, b.name, b.email, b.status, b.conversation_id,
         to_char(b.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as starts_at
       from bookings b where b.workspace_id = $1 order by b.starts_at`,
      [workspaceId],
    );
  }

  async createType(workspaceId: string, b: { name: Record<string, string>; duration_minutes: number; availability?: unknown; position?: number }): Promise<Row> {
    const [row] = await this.db.query('insert into meeting_types (workspace_id, name, duration_minutes, availability, position) values ($1, $2, $3, $4, $5) returning id', [
      workspaceId, JSON.stringify(b.name), b.duration_minutes, b.availability ? JSON.stringify(b.availability) : null, b.position ?? 0,
    ]);
    return row!;
  }
}
