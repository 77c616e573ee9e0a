/**
 * What the workspace offers and what the visitor sends besides chat messages: the company, hours, menus
 * and wait times, the proactive trigger, files and their rules, emails, ticket forms and tickets, help
 * articles, surveys, the session's data and events, presence and the identity token.
 */
import type { Core } from '../core.js';
import { ChatError } from '../http.js';
import type { ChatMessage } from '../types.js';
import { checkEmail, checkLang, checkMenuId, checkOptionalLang, langQuery } from '../validate.js';
import type { ArticleSummary, EmailRequest, MenuItem, ServerMessage, TicketForm } from '../wire.js';
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
async function get<T = any>(core: Core, path: string): Promise<T> {
  await core.ready();
  return core.request<T>('GET', path);
}

/** A POST once the session is loaded. */
async function post<T = any>(core: Core, path: string, body?: unknown): Promise<T> {
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

function upload<T>(core: Core, path: string, file: Blob, name: string): Promise<T> {
  return core.upload<T>(path, file, name, (loaded, total) => core.events.emit('chat.upload', { name, loaded, total }));
}

export async function createEmail(core: Core, input: EmailRequest): Promise<{ id: string; status: string }> {
  if (!input || typeof input !== 'object') throw new TypeError('createEmail(data): expected {email, content, menu_id, lang}');
  checkEmail('createEmail({email})', input.email);
  if (typeof input.content !== 'string' || !input.content.trim()) throw new TypeError('createEmail({content}): expected a non-empty string');
  checkMenuId('createEmail({menu_id})', input.menu_id);
  checkLang('createEmail({lang})', input.lang);
  await core.ready();
  const fileIds: string[] = [];
  for (const file of Array.from(input.files ?? [])) {
    fileIds.push((await upload<{ id: string }>(core, '/files', file, file.name)).id);
  }
  const { files: _files, ...rest } = input;
  return core.request('POST', '/emails', { ...rest, menu_id: Number(input.menu_id), ...(fileIds.length ? { file_ids: fileIds } : {}) });
}

export async function getTicketForms(core: Core, lang?: string): Promise<TicketForm[]> {
  checkOptionalLang('getTicketForms(lang)', lang);
  return (await get<{ forms: TicketForm[] }>(core, `/ticket-forms${langQuery(lang)}`)).forms;
}

export async function createTicket(core: Core, formKey: string, fields: Record<string, string | number | boolean | null>): Promise<{ id: string; form_key: string; status: string }> {
  if (typeof formKey !== 'string' || !formKey) throw new TypeError('createTicket(formKey, fields): formKey must be a form key such as "bug_report"');
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new TypeError('createTicket(formKey, fields): fields must be an object');
  return post(core, '/tickets', { form_key: formKey, fields });
}

export async function searchArticles(core: Core, query: string, locale = 'en'): Promise<ArticleSummary[]> {
  if (typeof query !== 'string') throw new TypeError('searchArticles(query): query must be a string');
  checkLang('searchArticles(query, locale)', locale);
  const q = new URLSearchParams({ locale, ...(query.trim() ? { q: query.trim() } : {}) });
  return (await get<{ articles: ArticleSummary[] }>(core, `/articles?${q}`)).articles;
}

export async function getArticle(core: Core, locale: string, slug: string): Promise<ArticleSummary & { body: string }> {
  checkLang('getArticle(locale, slug)', locale);
  if (typeof slug !== 'string' || !/^[a-z0-9][a-z0-9-]{0,99}$/.test(slug)) throw new TypeError(`getArticle(locale, slug): not an article slug: ${JSON.stringify(slug)}`);
  return get(core, `/articles/${encodeURIComponent(locale)}/${encodeURIComponent(slug)}`);
}

/** "Was this helpful?" on an article: the session's answer, replacing its earlier one. */
export async function rateArticle(core: Core, locale: string, slug: string, helpful: boolean, comment?: string): Promise<ArticleRating> {
  checkLang('rateArticle(locale, slug, helpful)', locale);
  if (typeof slug !== 'string' || !/^[a-z0-9][a-z0-9-]{0,99}$/.test(slug)) throw new TypeError(`rateArticle(locale, slug, helpful): not an article slug: ${JSON.stringify(slug)}`);
  if (typeof helpful !== 'boolean') throw new TypeError('rateArticle(locale, slug, helpful): helpful must be true or false');
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > 1000)) throw new TypeError('rateArticle(locale, slug, helpful, comment): comment must be a string of at most 1000 characters');
  return post(core, `/articles/${encodeURIComponent(locale)}/${encodeURIComponent(slug)}/feedback`, { helpful, ...(comment?.trim() ? { comment: comment.trim() } : {}) });
}

export function getChatSurvey(core: Core, lang?: string): Promise<Survey> {
  return get(core, `/survey${langQuery(lang)}`);
}

export async function sendSurveyResponse(core: Core, response: { type: 'csat' | 'nps'; score: number; comment?: string }): Promise<void> {
  await post(core, '/csat', response);
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
