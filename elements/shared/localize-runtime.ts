import { configureLocalization, type LocaleModule } from '@lit/localize';
import { sourceLocale, targetLocales } from './locale-codes.js';

/**
 * The @lit/localize runtime and the translations: a chunk of its own, loaded
 * only when a language other than English is asked for.
 */
const loaders: Record<(typeof targetLocales)[number], () => Promise<LocaleModule>> = {
  ar: () => import('./locales/ar.js'),
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  nl: () => import('./locales/nl.js'),
};

let runtime: ReturnType<typeof configureLocalization> | null | undefined;

/** The widget's localization runtime, or null when the page configured @lit/localize itself. */
export function localization(): ReturnType<typeof configureLocalization> | null {
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
