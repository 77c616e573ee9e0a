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

type FileRules = { prohibited: string[]; max_bytes: number };
type SessionData = { data: Record<string, unknown>; segments: string[] };

export class ContentApi {
  readonly #pageStart = Date.now();
  #fileRules: FileRules | null = null;
  #visitCount = 0;
  #sessionWrites: Promise<unknown> = Promise.resolve();

  constructor(private readonly core: Core) {}

  /** A GET once the session is loaded. */
  async #get<T = any>(path: string): Promise<T> {
    await this.core.ready();
    return this.core.http.request<T>('GET', path);
  }

  /** A POST once the session is loaded. */
  async #post<T = any>(path: string, body?: unknown): Promise<T> {
    await this.core.ready();
    return this.core.http.request<T>('POST', path, body);
  }

  getCompany(): Promise<Company> {
    return this.#get('/company');
  }

  async getAfterHourMessage(lang?: string): Promise<string | null> {
    checkOptionalLang('getAfterHourMessage(lang)', lang);
    return (await this.#get<{ open: boolean; message: string | null }>(`/after-hours${langQuery(lang)}`)).message;
  }

  async getMenus(key?: string, lang?: string): Promise<{ menus: MenuItem[]; direct: { key: boolean; user: boolean } }> {
    if (key !== undefined && key !== null && (typeof key !== 'string' || !key)) throw new TypeError('getMenus(key, lang): key must be a non-empty string');
    checkOptionalLang('getMenus(key, lang)', lang);
    const q = new URLSearchParams({ ...(key ? { key } : {}), ...(lang ? { lang } : {}) });
    return this.#get(`/menus${q.size ? `?${q}` : ''}`);
  }

  async getWaitTimes(menuId: number | string, lang?: string): Promise<{ chat: number | null; voice_call: number | null }> {
    checkMenuId('getWaitTimes(menuId)', menuId);
    checkOptionalLang('getWaitTimes(menuId, lang)', lang);
    const res = await this.#get<{ chat: number | null; voice_call: number | null }>(`/menus/${menuId}/wait-times`);
    return { chat: res.chat, voice_call: res.voice_call };
  }

  async getProhibitedFileTypes(): Promise<string[]> {
    return (await this.#rules()).prohibited;
  }

  async #rules(): Promise<FileRules> {
    await this.core.ready();
    this.#fileRules ??= await this.core.http.request<FileRules>('GET', '/file-types');
    return this.#fileRules!;
  }

  async getTrigger(): Promise<Trigger | null> {
    await this.core.ready();
    const q = new URLSearchParams({
      url: globalThis.location?.href ?? '',
      seconds: String(Math.floor((Date.now() - this.#pageStart) / 1000)),
      visits: String(this.#visits()),
    });
    return (await this.core.http.request<{ trigger: Trigger | null }>('GET', `/trigger?${q}`)).trigger;
  }

  /** Page loads of this site seen by the widget: counted once per client, kept in storage. */
  #visits(): number {
    if (!this.#visitCount) {
      const key = this.core.key('visits');
      this.#visitCount = (Number(this.core.read(key)) || 0) + 1;
      this.core.write(key, String(this.#visitCount));
    }
    return this.#visitCount;
  }

  async sendFileMessage(file: File | (Blob & { name?: string })): Promise<ChatMessage> {
    if (!(file instanceof Blob)) throw new TypeError('sendFileMessage(file): expected a File (from an <input type="file">)');
    const name = (file as File).name ?? 'file';
    const rules = await this.#rules();
    const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
    if (rules.prohibited.includes(ext)) throw new ChatError('prohibited_file_type', `Files of type .${ext} are not accepted`, 415);
    if (file.size > rules.max_bytes) {
      throw new ChatError('file_too_large', `The file is ${(file.size / 1048576).toFixed(1)} MB; at most ${(rules.max_bytes / 1048576).toFixed(0)} MB is accepted`, 413);
    }
    if (file.size === 0) throw new ChatError('empty_file', 'The file is empty', 400);
    const id = currentChat(this.core, 'sendFileMessage(file)');
    const res = await this.#upload<{ message: ServerMessage }>(`/chats/${id}/files`, file, name);
    const message = this.core.toMessage(res.message);
    this.core.events.emit('chat.message', { message });
    return message;
  }

  #upload<T>(path: string, file: Blob, name: string): Promise<T> {
    return this.core.http.upload<T>(path, file, name, (loaded, total) => this.core.events.emit('chat.upload', { name, loaded, total }));
  }

  async createEmail(input: EmailRequest): Promise<{ id: string; status: string }> {
    if (!input || typeof input !== 'object') throw new TypeError('createEmail(data): expected {email, content, menu_id, lang}');
    checkEmail('createEmail({email})', input.email);
    if (typeof input.content !== 'string' || !input.content.trim()) throw new TypeError('createEmail({content}): expected a non-empty string');
    checkMenuId('createEmail({menu_id})', input.menu_id);
    checkLang('createEmail({lang})', input.lang);
    await this.core.ready();
    const fileIds: string[] = [];
    for (const file of Array.from(input.files ?? [])) {
      fileIds.push((await this.#upload<{ id: string }>('/files', file, file.name)).id);
    }
    const { files: _files, ...rest } = input;
    return this.core.http.request('POST', '/emails', { ...rest, menu_id: Number(input.menu_id), ...(fileIds.length ? { file_ids: fileIds } : {}) });
  }

  async getTicketForms(lang?: string): Promise<TicketForm[]> {
    checkOptionalLang('getTicketForms(lang)', lang);
    return (await this.#get<{ forms: TicketForm[] }>(`/ticket-forms${langQuery(lang)}`)).forms;
  }

  async createTicket(formKey: string, fields: Record<string, string | number | boolean | null>): Promise<{ id: string; form_key: string; status: string }> {
    if (typeof formKey !== 'string' || !formKey) throw new TypeError('createTicket(formKey, fields): formKey must be a form key such as "bug_report"');
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new TypeError('createTicket(formKey, fields): fields must be an object');
    return this.#post('/tickets', { form_key: formKey, fields });
  }

  async searchArticles(query: string, locale = 'en'): Promise<ArticleSummary[]> {
    if (typeof query !== 'string') throw new TypeError('searchArticles(query): query must be a string');
    checkLang('searchArticles(query, locale)', locale);
    const q = new URLSearchParams({ locale, ...(query.trim() ? { q: query.trim() } : {}) });
    return (await this.#get<{ articles: ArticleSummary[] }>(`/articles?${q}`)).articles;
  }

  async getArticle(locale: string, slug: string): Promise<ArticleSummary & { body: string }> {
    checkLang('getArticle(locale, slug)', locale);
    if (typeof slug !== 'string' || !/^[a-z0-9][a-z0-9-]{0,99}$/.test(slug)) throw new TypeError(`getArticle(locale, slug): not an article slug: ${JSON.stringify(slug)}`);
    return this.#get(`/articles/${encodeURIComponent(locale)}/${encodeURIComponent(slug)}`);
  }

  getChatSurvey(lang?: string): Promise<Survey> {
    return this.#get(`/survey${langQuery(lang)}`);
  }

  async sendSurveyResponse(response: { type: 'csat' | 'nps'; score: number; comment?: string }): Promise<void> {
    await this.#post('/csat', response);
  }

  /** Updates go one after another, in the order they were made: the last segments set are the ones kept. */
  updateSessionData(update: { data?: Record<string, unknown>; segments?: string[] }): Promise<SessionData> {
    const write = this.#sessionWrites.then(() => this.#post<SessionData>('/session-data', update));
    this.#sessionWrites = write.catch(() => {});
    return write;
  }

  async identityToken(): Promise<string | null> {
    return (await this.#post<{ token: string | null }>('/identity-token')).token;
  }

  async trackEvent(name: string, data: Record<string, unknown> = {}): Promise<void> {
    await this.#post('/events', { name, data });
  }

  async presence(pageUrl?: string): Promise<boolean> {
    return (await this.#post<{ available: boolean }>('/presence', pageUrl ? { page_url: pageUrl } : {})).available;
  }
}
