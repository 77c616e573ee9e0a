import type { WidgetState } from '../../state/types.js';
import { lang, type Core, type Cross } from '../core.js';
import * as v from '../validate.js';
import { E164 } from '../../protocol/limits.js';

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

const fresh = (kind: 'call' | 'booking', topicId: number | null, meetingTypeId: number | null): WidgetState['schedule'] =>
  Object.freeze({ kind, topicId, meetingTypes: [], meetingTypeId, slots: null, slot: null, done: null });

/** Calls ("call me back") and booking a meeting. */
export const schedule = (core: Core, c: Cross) => {
  const patch = (p: Partial<NonNullable<WidgetState['schedule']>>): void => {
    core.store.update((s) => ({ schedule: s.schedule && Object.freeze({ ...s.schedule, ...p }) }));
  };
  return {
    /** "Call me back" on a topic with the voice channel: the slot picker. */
    requestCallback(topicId: unknown): Promise<boolean> {
      if (!Number.isInteger(topicId)) v.fail('requestCallback(topicId)', 'expected a topic id', topicId);
      core.store.update({ view: 'call', notice: null, schedule: fresh('call', topicId as number, null) });
      return core.run('schedule', async (port) => patch({ slots: Object.freeze([...(await port.callSlots(topicId as number, lang(core.state)))]) }));
    },

    submitCall(phone: unknown, slot: unknown): Promise<boolean> {
      const number = v.string('submitCall(phone)', phone, { max: 20, empty: false }).replace(/[\s().-]/g, '');
      const when = slot === null || slot === '' ? null : v.string('submitCall(phone, slot)', slot, { max: 40 });
      const topicId = core.state.schedule?.topicId;
      if (topicId === null || topicId === undefined) return Promise.resolve(false);
      // A number the server would refuse is said to the visitor at once (the view words it by its code).
      if (!E164.test(number)) {
        core.store.update({ notice: { kind: 'error', code: 'invalid_phone_number', text: `submitCall(phone): expected an E.164 number such as +14155550123, got ${JSON.stringify(number)}` } });
        return Promise.resolve(false);
      }
      return core.run('schedule', async (port) => {
        await port.requestCall({ topicId, phone: number, slot: when, lang: lang(core.state) });
        patch({ done: Object.freeze({ when }) });
      });
    },

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

    chooseMeetingType(id: number): Promise<boolean> {
      patch({ meetingTypeId: id, slots: null, slot: null });
      return core.run('schedule', async (port) => patch({ slots: Object.freeze([...(await port.meetingSlots(id))]) }));
    },

    chooseSlot(slot: string | null): void {
      patch({ slot });
    },

    /** Books the chosen slot; if another visitor took it meanwhile, the free slots are offered again. */
    book(name: unknown, email: unknown): Promise<boolean> {
      const s = core.state.schedule;
      if (!s?.slot || !s.meetingTypeId) return Promise.resolve(false);
      const input = { meetingTypeId: s.meetingTypeId, slot: s.slot, name: v.string('book(name)', name, { max: 200, empty: false }), email: v.string('book(email)', email, { max: 320, empty: false }) };
      return core.run('schedule', async (port) => {
        try {
          await port.book(input);
          patch({ done: Object.freeze({ when: input.slot }) });
        } catch (error) {
          const next = (error as { next_slots?: string[] }).next_slots;
          if (next) patch({ slots: Object.freeze([...(await port.meetingSlots(input.meetingTypeId))]), slot: null });
          throw error;
        }
      });
    },
  };
};
