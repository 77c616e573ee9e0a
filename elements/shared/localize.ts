import { configureLocalization, type LocaleModule } from '@lit/localize';
import { sourceLocale, targetLocales } from './locale-codes.js';

export { sourceLocale, targetLocales };

/** Each translation, loaded when first asked for (a chunk of its own in the ES module build). */
const loaders: Record<(typeof targetLocales)[number], () => Promise<LocaleModule>> = {
  ar: () => import('./locales/ar.js'),
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  nl: () => import('./locales/nl.js'),
};
const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'sd', 'yi', 'dv', 'ug', 'ckb']);

let runtime: ReturnType<typeof configureLocalization> | null | undefined;

function localization() {
  if (runtime === undefined) {
    try {
      runtime = configureLocalization({
        sourceLocale,
        targetLocales,
        loadLocale: (locale) => loaders[locale as keyof typeof loaders](),
      });
    } catch (error) {
      // The page configured @lit/localize itself (it may be shared through the npm entry).
      console.warn('chat-widget: @lit/localize is configured by the page; the widget follows its locale', error);
      runtime = null;
    }
  }
  return runtime;
}

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

/** Switches the strings of every widget element to the best match for `tag`. */
export async function applyLocale(tag: string): Promise<string> {
  const locale = resolveLocale(tag);
  const rt = localization();
  if (rt && rt.getLocale() !== locale) await rt.setLocale(locale);
  return locale;
}
