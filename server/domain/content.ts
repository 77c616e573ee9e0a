import type { Db, Row } from '../db/db.js';
import { notFound } from '../http/errors.js';
import { pick } from './company.js';
import type { Session } from './sessions.js';

/** What visitors read: the help articles (listed, searched, opened) and the proactive trigger that fits their page. */
export class Content {
  constructor(readonly db: Db) {}

  /** Full-text search over the workspace's articles in the chat's language (PostgreSQL `tsvector`). */
  async search(workspaceId: string, text: string, lang: string, limit = 3) {
    const config = ({ en: 'english', fr: 'french', es: 'spanish', de: 'german', nl: 'dutch' } as Record<string, string>)[lang.split('-')[0]!] ?? 'simple';
    return this.db.query<{ title: string; slug: string; locale: string; excerpt: string; rank: number }>(
      `with q as (select nullif(replace(plainto_tsquery($3::regconfig, $2)::text, ' & ', ' | '), '')::tsquery as q)
       select a.title, a.slug, a.locale, left(a.body, 160) as excerpt, ts_rank(a.search, q.q) as rank
         from articles a, q
        where a.workspace_id = $1 and q.q is not null and a.search @@ q.q and (a.locale = $4 or a.locale = split_part($4, '-', 1))
        order by rank desc limit $5`,
      [workspaceId, text, config, lang, limit],
    );
  }

  /** The articles of a language (or its base language), by title. */
  async articles(workspaceId: string, locale: string): Promise<Row[]> {
    return this.db.query(
      `select locale, slug, title, left(body, 160) as excerpt from articles where workspace_id = $1 and (locale = $2 or locale = split_part($2, '-', 1)) order by title limit 100`,
      [workspaceId, locale],
    );
  }

  /** Searched when there is a query, else listed. */
  async findArticles(workspaceId: string, q: string | undefined, locale: string): Promise<Row[]> {
    return q?.trim() ? this.search(workspaceId, q, locale, 10) : this.articles(workspaceId, locale);
  }

  async article(workspaceId: string, locale: string, slug: string): Promise<Row> {
    const [row] = await this.db.query('select locale, slug, title, body from articles where workspace_id = $1 and locale = $2 and slug = $3', [workspaceId, locale, slug]);
    if (!row) throw notFound(`Article ${locale}/${slug}`);
    return row;
  }

  /**
   * "Was this helpful?": the session's answer on an article of its workspace,
   * replacing its earlier one (a comment not sent is cleared). 404 for an unknown article.
   */
  async rateArticle(session: Session, locale: string, slug: string, helpful: boolean, comment?: string) {
    const [row] = await this.db.query<{ helpful: boolean; comment: string | null; updated_at: Date }>(
      `insert into article_feedback (workspace_id, article_id, session_id, helpful, comment)
       select a.workspace_id, a.id, $4, $5, $6 from articles a where a.workspace_id = $1 and a.locale = $2 and a.slug = $3
       on conflict (article_id, session_id) do update set helpful = excluded.helpful, comment = excluded.comment, updated_at = now()
       returning helpful, comment, updated_at`,
      [session.workspace_id, locale, slug, session.id, helpful, comment?.trim() || null],
    );
    if (!row) throw notFound(`Article ${locale}/${slug}`);
    return { locale, slug, helpful: row.helpful, comment: row.comment, updated_at: new Date(row.updated_at).toISOString() };
  }

  /** The first enabled trigger whose page pattern, seconds on page and visit count match. */
  async trigger(workspaceId: string, page: { url: string; seconds: number; visits: number }, lang: string) {
    const rows = await this.db.query('select * from triggers where workspace_id = $1 and enabled order by position, id', [workspaceId]);
    const match = rows.find((t) => {
      const re = new RegExp(`^${t.url_pattern.split('*').map((p: string) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      return re.test(page.url) && page.seconds >= t.min_seconds_on_page && page.visits >= t.min_visits;
    });
    return match ? { id: String(match.id), name: match.name, message: pick(match.message, lang) ?? '', delay_seconds: match.min_seconds_on_page } : null;
  }
}
