/**
 * What the workspace offers and what the visitor sends besides chat messages: the company, hours, menus
 * and wait times, the proactive trigger, files and their rules, the session's data and events, presence
 * and the identity token. (Emails, tickets, help articles and surveys: desk.ts, loaded on first use.)
 */
import type { Core } from '../core.js';
import { ChatError } from '../http.js';
import type { ChatMessage } from '../types.js';
import { checkMenuId, checkOptionalLang, langQuery } from '../validate.js';
import type { MenuItem, ServerMessage } from '../wire.js';
import { currentChat } from './chats.js';

export interface Company {
  name: string;
  subdomain: string;
  support_email: string;
  languages: { code: string; name: string }[];
  action_tracking: boolean;
  email_transcripts: boolean;
  message_preview: boolean;
  email_enhancement: boolean;
}

export interface Trigger {
  id: string;
  name: string;
  message: string;
  delay_seconds: number;
}

export interface Survey {
  sign_off_display_text: string;
  questions: { id: number; type: string; display_text: string; valid_answers?: unknown[] }[];
}

export type ArticleRating = { locale: string; slug: string; helpful: boolean; comment: string | null; updated_at: string };
export type FileRules = { prohibited: string[]; max_bytes: number };
export type SessionData = { data: Record<string, unknown>; segments: string[] };

/** A GET once the session is loaded. */
export async function get<T = any>(core: Core, path: string): Promise<T> {
  await core.ready();
  return core.request<T>('GET', path);
}

/** A POST once the session is loaded. */
export async function post<T = any>(core: Core, path: string, body?: unknown): Promise<T> {
  await core.ready();
  return core.request<T>('POST', path, body);
}

export function getCompany(core: Core): Promise<Company> {
  return get(core, '/company');
}

export async function getAfterHourMessage(core: Core, lang?: string): Promise<string | null> {
  checkOptionalLang('getAfterHourMessage(lang)', lang);
  return (await get<{ open: boolean; message: string | null }>(core, `/after-hours${langQuery(lang)}`)).message;
}

export async function getMenus(core: Core, key?: string, lang?: string): Promise<{ menus: MenuItem[]; direct: { key: boolean; user: boolean } }> {
  if (key !== undefined && key !== null && (typeof key !== 'string' || !key)) throw new TypeError('getMenus(key, lang): key must be a non-empty string');
  checkOptionalLang('getMenus(key, lang)', lang);
  const q = new URLSearchParams({ ...(key ? { key } : {}), ...(lang ? { lang } : {}) });
  return get(core, `/menus${q.size ? `?${q}` : ''}`);
}

export async function getWaitTimes(core: Core, menuId: number | string, lang?: string): Promise<{ chat: number | null; voice_call: number | null }> {
  checkMenuId('getWaitTimes(menuId)', menuId);
  checkOptionalLang('getWaitTimes(menuId, lang)', lang);
  const res = await get<{ chat: number | null; voice_call: number | null }>(core, `/menus/${menuId}/wait-times`);
  return { chat: res.chat, voice_call: res.voice_call };
}

/** The workspace's file rules, asked once: one such function per client. */
export function fileRules(core: Core): () => Promise<FileRules> {
  let rules: FileRules | null = null;
  return async () => {
    await core.ready();
    rules ??= await core.request<FileRules>('GET', '/file-types');
    return rules!;
  };
}

export async function getProhibitedFileTypes(rules: () => Promise<FileRules>): Promise<string[]> {
  return (await rules()).prohibited;
}

/**
 * The proactive trigger that matches this page (address, seconds on page, visits): one such function per
 * client, which counts this page load once among the site's visits (kept in storage).
 */
export function trigger(core: Core): () => Promise<Trigger | null> {
  const pageStart = Date.now();
  let visits = 0;
  return async () => {
    await core.ready();
    if (!visits) {
      const key = core.key('visits');
      visits = (Number(core.read(key)) || 0) + 1;
      core.write(key, String(visits));
    }
    const q = new URLSearchParams({
      url: globalThis.location?.href ?? '',
      seconds: String(Math.floor((Date.now() - pageStart) / 1000)),
      visits: String(visits),
    });
    return (await core.request<{ trigger: Trigger | null }>('GET', `/trigger?${q}`)).trigger;
  };
}

export async function sendFileMessage(core: Core, rules: () => Promise<FileRules>, file: File | (Blob & { name?: string })): Promise<ChatMessage> {
  if (!(file instanceof Blob)) throw new TypeError('sendFileMessage(file): expected a File (from an <input type="file">)');
  const name = (file as File).name ?? 'file';
  const { prohibited, max_bytes } = await rules();
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  if (prohibited.includes(ext)) throw new ChatError('prohibited_file_type', `Files of type .${ext} are not accepted`, 415);
  if (file.size > max_bytes) {
    throw new ChatError('file_too_large', `The file is ${(file.size / 1048576).toFixed(1)} MB; at most ${(max_bytes / 1048576).toFixed(0)} MB is accepted`, 413);
  }
  if (file.size === 0) throw new ChatError('empty_file', 'The file is empty', 400);
  const id = currentChat(core, 'sendFileMessage(file)');
  const res = await upload<{ message: ServerMessage }>(core, `/chats/${id}/files`, file, name);
  const message = core.toMessage(res.message);
  core.events.emit('chat.message', { message });
  return message;
}

export function upload<T>(core: Core, path: string, file: Blob, name: string): Promise<T> {
  return core.upload<T>(path, file, name, (loaded, total) => core.events.emit('chat.upload', { name, loaded, total }));
}

/**
 * Merges data into the session's data and/or replaces its segments: one such function per client, whose
 * updates go one after another, in the order they were made (the last segments set are the ones kept).
 */
export function sessionData(core: Core): (update: { data?: Record<string, unknown>; segments?: string[] }) => Promise<SessionData> {
  let writes: Promise<unknown> = Promise.resolve();
  return (update) => {
    const write = writes.then(() => post<SessionData>(core, '/session-data', update));
    writes = write.catch(() => {});
    return write;
  };
}

export async function identityToken(core: Core): Promise<string | null> {
  return (await post<{ token: string | null }>(core, '/identity-token')).token;
}

export async function trackEvent(core: Core, name: string, data: Record<string, unknown> = {}): Promise<void> {
  await post(core, '/events', { name, data });
}

export async function presence(core: Core, pageUrl?: string): Promise<boolean> {
  return (await post<{ available: boolean }>(core, '/presence', pageUrl ? { page_url: pageUrl } : {})).available;
}
