/** Meetings: the workspace's meeting types, their free slots, and booking one. */
import type { Core } from '../core.js';
import { checkEmail, checkMenuId } from '../validate.js';

export interface MeetingType {
  id: number;
  name: string;
  duration_minutes: number;
}

export async function getMeetingTypes(core: Core, lang = 'en'): Promise<MeetingType[]> {
  await core.ready();
  return (await core.request<{ meeting_types: MeetingType[] }>('GET', `/meeting-types?lang=${encodeURIComponent(lang)}`)).meeting_types;
}

export async function getMeetingSlots(core: Core, meetingTypeId: number): Promise<string[]> {
  checkMenuId('getMeetingSlots(meetingTypeId)', meetingTypeId);
  await core.ready();
  return (await core.request<{ slots: string[] }>('GET', `/meeting-types/${meetingTypeId}/slots`)).slots;
}

export async function bookMeeting(
  core: Core,
  input: { meeting_type_id: number; starts_at: string; name: string; email: string },
): Promise<{ id: string; starts_at: string; ends_at: string; status: string }> {
  checkMenuId('bookMeeting({meeting_type_id})', input?.meeting_type_id);
  if (typeof input.name !== 'string' || !input.name.trim()) throw new TypeError('bookMeeting({name}): expected a name');
  checkEmail('bookMeeting({email})', input.email);
  await core.ready();
  return core.request('POST', '/bookings', input);
}
