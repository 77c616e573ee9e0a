import { E164 } from '../../protocol/limits.js';
import { lang, type Core } from '../core.js';
import * as v from '../validate.js';
import { fresh, schedulePatch } from './schedule.js';

/**
 * Calls ("call me back") and the steps of booking after `openScheduling`: commands only the home's
 * and the schedule's views call, so they come in those views' chunks (`commands.extend(scheduleFlow)`).
 */
export const scheduleFlow = (core: Core) => {
  const patch = schedulePatch(core);
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
