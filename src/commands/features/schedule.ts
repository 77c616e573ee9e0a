import type { WidgetState } from '../../state/types.js';
import { lang, type Core, type Cross } from '../core.js';
import * as v from '../validate.js';

export interface MeetingType {
  id: number;
  name: string;
  duration_minutes: number;
}

/** What calls and booking ask of the server. */
export interface SchedulePort {
  callSlots(topicId: number, lang: string): Promise<readonly string[]>;
  requestCall(input: { topicId: number; phone: string; slot: string | null; lang: string }): Promise<void>;
  meetingTypes(lang: string): Promise<readonly MeetingType[]>;
  meetingSlots(meetingTypeId: number): Promise<readonly string[]>;
  book(input: { meetingTypeId: number; slot: string; name: string; email: string }): Promise<void>;
}

export const fresh = (kind: 'call' | 'booking', topicId: number | null, meetingTypeId: number | null): WidgetState['schedule'] =>
  Object.freeze({ kind, topicId, meetingTypes: [], meetingTypeId, slots: null, slot: null, done: null });

/** Merges into the schedule flow's state (when one is open). */
export const schedulePatch =
  (core: Core) =>
  (p: Partial<NonNullable<WidgetState['schedule']>>): void => {
    core.store.update((s) => ({ schedule: s.schedule && Object.freeze({ ...s.schedule, ...p }) }));
  };

/**
 * Booking a meeting from the page (`openScheduling`, in the registry). The rest of calls and booking,
 * which only their views call, loads with them (./schedule-flow.ts).
 */
export const schedule = (core: Core, c: Cross) => {
  const patch = schedulePatch(core);
  return {
    /**
     * Opens the messenger on the booking flow, with `meeting_type_id`
     * preselected; works whatever the messenger shows, and says clearly when the
     * workspace has no meeting type.
     */
    openScheduling(options?: unknown): Promise<boolean> {
      const given = options === undefined ? {} : (v.plainObject('openScheduling(options)', options) as { meeting_type_id?: unknown });
      if (given.meeting_type_id !== undefined && !(Number.isInteger(given.meeting_type_id) && (given.meeting_type_id as number) > 0)) {
        v.fail('openScheduling({meeting_type_id})', 'expected a meeting type id (a positive whole number)', given.meeting_type_id);
      }
      const wanted = (given.meeting_type_id as number | undefined) ?? null;
      c.openWith({ view: 'booking', notice: null, schedule: fresh('booking', null, wanted) });
      return core.run('schedule', async (port) => {
        const types = await port.meetingTypes(lang(core.state));
        if (!types.length) throw Object.assign(new Error('no-meeting-types'), { code: 'no_meeting_types' });
        const id = wanted ?? types[0]!.id;
        if (!types.some((t) => t.id === id)) throw Object.assign(new Error(`unknown-meeting-type`), { code: 'unknown_meeting_type' });
        patch({ meetingTypes: Object.freeze([...types]), meetingTypeId: id, slots: Object.freeze([...(await port.meetingSlots(id))]) });
      });
    },

  };
};
