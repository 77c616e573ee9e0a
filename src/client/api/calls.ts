/** Callbacks: free slots of a menu's voice channel, and instant or scheduled call requests. */
import type { Core } from '../core.js';
import { checkChatId, checkLang, checkMenuId } from '../validate.js';
import type { Call, CallRequest } from '../wire.js';
import { E164 } from '../../protocol/limits.js';

export async function getTimeSlots(core: Core, menuId: number | string, lang = 'en'): Promise<string[]> {
  checkMenuId('getTimeSlots(menuId)', menuId);
  checkLang('getTimeSlots(menuId, lang)', lang);
  await core.ready();
  return (await core.request<{ slots: string[] }>('GET', `/menus/${menuId}/time-slots?lang=${encodeURIComponent(lang)}`)).slots;
}

export async function createCall(core: Core, input: CallRequest): Promise<Call> {
  if (!input || typeof input !== 'object') throw new TypeError('createCall(data): expected {menu_id, lang, phone_number, ...}');
  checkMenuId('createCall({menu_id})', input.menu_id);
  checkLang('createCall({lang})', input.lang);
  if (typeof input.phone_number !== 'string' || !E164.test(input.phone_number)) {
    throw new TypeError(`createCall({phone_number}): expected an E.164 number such as "+14155550123", got ${JSON.stringify(input.phone_number)}`);
  }
  if (input.scheduled_at !== undefined && typeof input.scheduled_at !== 'string') throw new TypeError('createCall({scheduled_at}): expected a time such as "2023-05-31T11:45+0000"');
  await core.ready();
  return core.request('POST', '/calls', { ...input, menu_id: Number(input.menu_id) });
}

/** `GET /calls/:id` (no action) or `POST /calls/:id/<action>`. */
async function onCall(core: Core, method: string, callId: number | string, action?: string): Promise<Call> {
  checkChatId(`${method}(callId)`, callId);
  await core.ready();
  const path = `/calls/${encodeURIComponent(String(callId))}`;
  return action ? core.request('POST', `${path}/${action}`) : core.request('GET', path);
}

export const loadCall = (core: Core, callId: number | string): Promise<Call> => onCall(core, 'loadCall', callId);
export const cancelCall = (core: Core, callId: number | string): Promise<Call> => onCall(core, 'cancelCall', callId, 'cancel');
