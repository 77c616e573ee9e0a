import type { Article } from '../../state/types.js';
import { lang, type Core, type Cross } from '../core.js';
import * as v from '../validate.js';

/** What the help center asks of the server. */
export interface HelpPort {
  searchArticles(query: string, locale: string): Promise<readonly Article[]>;
  getArticle(locale: string, slug: string): Promise<Article>;
  rateArticle(locale: string, slug: string, helpful: boolean, comment?: string): Promise<{ helpful: boolean; comment: string | null }>;
}

/** The help center: a search, its results, one article. */
export const help = (core: Core, c: Cross) => ({
  /** Opens the help view, searching for `query` when given. */
  openHelp(query?: unknown): Promise<boolean> {
    const q = query === undefined ? '' : v.string('openHelp(query)', query, { max: 500 });
    c.openWith({ view: 'help', help: Object.freeze({ query: q, results: null, article: null }), notice: null });
    return c.searchHelp(q);
  },

  searchHelp(query: string): Promise<boolean> {
    return core.run('help', async (port) => {
      const results = await port.searchArticles(query, lang(core.state));
      core.store.update((s) => ({ help: Object.freeze({ ...s.help, query, results: Object.freeze([...results]) }) }));
    });
  },

  /** Opens one help article by locale and slug. */
  openArticle(article: unknown): Promise<boolean> {
    const given = v.plainObject('openArticle({locale, slug})', article) as { locale?: unknown; slug?: unknown };
    const locale = v.locale('openArticle({locale})', given.locale ?? 'en');
    const slug = v.string('openArticle({slug})', given.slug, { max: 100, empty: false });
    c.openWith({ view: 'help', help: Object.freeze({ ...core.state.help, article: null }), notice: null });
    return core.run('help', async (port) => {
      const found = await port.getArticle(locale, slug);
      core.store.update((s) => ({ help: Object.freeze({ ...s.help, article: Object.freeze(found) }) }));
    });
  },

  /** "Was this helpful?" on the article shown: stored for operators; answering again replaces the answer. */
  rateArticle(helpful: unknown, comment?: unknown): Promise<boolean> {
    const yes = v.boolean('rateArticle(helpful)', helpful);
    const text = comment === undefined ? undefined : v.string('rateArticle(helpful, comment)', comment, { max: 1000 });
    const a = core.state.help.article;
    if (!a) return Promise.resolve(false);
    return core.run('help', async (port) => {
      const stored = await port.rateArticle(a.locale, a.slug, yes, text);
      core.store.update((s) =>
        s.help.article?.slug === a.slug && s.help.article.locale === a.locale
          ? { help: Object.freeze({ ...s.help, article: Object.freeze({ ...s.help.article, helpful: stored.helpful, comment: stored.comment }) }) }
          : {},
      );
    });
  },

  closeArticle(): void {
    core.store.update((s) => ({ help: Object.freeze({ ...s.help, article: null }) }));
  },
});
