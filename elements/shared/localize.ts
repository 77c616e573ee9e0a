import { sourceLocale, targetLocales } from './locale-codes.js';

export { sourceLocale, targetLocales };

const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'sd', 'yi', 'dv', 'ug', 'ckb']);

/** The supported locale that best matches a BCP 47 tag (or the browser's languages when empty). */
export function resolveLocale(tag: string): string {
  const wanted = tag ? [tag] : [...(globalThis.navigator?.languages ?? [])];
  const known: string[] = [sourceLocale, ...targetLocales];
  for (const want of wanted) {
    const lower = want.toLowerCase();
    const hit = known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => k.toLowerCase() === lower.split('-')[0]);
    if (hit) return hit;
  }
  return sourceLocale;
}

/** Writing direction of a language tag. */
export function directionOf(tag: string): 'ltr' | 'rtl' {
  const lang = (tag || globalThis.navigator?.language || '').toLowerCase().split('-')[0] ?? '';
  return RTL.has(lang) ? 'rtl' : 'ltr';
}

let runtime: Promise<typeof import('./localize-runtime.js')> | null = null;

/**
 * Switches the strings of every widget element to the best match for `tag`.
 * English is built in; the runtime and a translation load only for another language.
 */
export async function applyLocale(tag: string): Promise<string> {
  const locale = resolveLocale(tag);
  if (locale === sourceLocale && !runtime) return locale;
  const rt = (await (runtime ??= import('./localize-runtime.js'))).localization();
  if (rt && rt.getLocale() !== locale) await rt.setLocale(locale);
  return locale;
}

/**
 * Switches the strings to `locale`, and the host's `dir` to its direction unless
 * the page set one. Returns whether the host's `dir` is now the widget's own.
 */
export function applyHostLocale(host: HTMLElement, locale: string, ownsDir: boolean): boolean {
  if (!host.hasAttribute('dir') || ownsDir) {
    if (locale) {
      host.setAttribute('dir', directionOf(locale));
      ownsDir = true;
    } else if (ownsDir) {
      host.removeAttribute('dir');
      ownsDir = false;
    }
  }
  applyLocale(locale).catch((error) => console.error('chat-widget: could not switch locale', error));
  return ownsDir;
}
