/** The argument checks of the client's public methods: a wrong argument throws a TypeError that names the method. */
import { EMAIL } from '../protocol/index.js';

export function checkLang(method: string, lang: unknown): void {
  if (typeof lang !== 'string' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) {
    throw new TypeError(`${method}: expected a language code such as "en" or "fr-CA", got ${JSON.stringify(lang)}`);
  }
}

export function checkMenuId(method: string, id: unknown): void {
  if (!(typeof id === 'number' && Number.isInteger(id) && id > 0) && !(typeof id === 'string' && /^[0-9]{1,15}$/.test(id))) {
    throw new TypeError(`${method}: expected a menu id (a positive whole number), got ${JSON.stringify(id)}`);
  }
}

export function checkChatId(method: string, id: unknown): void {
  if (!((typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id)) || (typeof id === 'number' && Number.isInteger(id)))) {
    throw new TypeError(`${method}: expected a chat id, got ${JSON.stringify(id)}`);
  }
}

/** `method({field})`: an email address. */
export function checkEmail(method: string, email: unknown): void {
  if (typeof email !== 'string' || !EMAIL.test(email)) throw new TypeError(`${method}: not an email address: ${JSON.stringify(email)}`);
}

/** A language given (optional arguments are checked only when present). */
export function checkOptionalLang(method: string, lang: unknown): void {
  if (lang !== undefined) checkLang(method, lang);
}

/** `?lang=...` when a language is given, else nothing. */
export const langQuery = (lang: string | undefined): string => (lang ? `?lang=${encodeURIComponent(lang)}` : '');
