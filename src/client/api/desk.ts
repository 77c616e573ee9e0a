/**
 * The parts of the full messenger that load on first use: email tickets, ticket forms and tickets,
 * help-center articles and surveys (a chunk of its own; ChatClient imports it when one is asked for).
 */
import type { Core } from '../core.js';
import { checkEmail, checkLang, checkMenuId, checkOptionalLang, langQuery } from '../validate.js';
import type { ArticleSummary, EmailRequest, TicketForm } from '../wire.js';
import { get, post, upload, type ArticleRating, type Survey } from './content.js';

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
