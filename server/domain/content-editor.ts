import type { Db, Row } from '../db/db.js';
import { HttpError, notFound } from '../http/errors.js';
import type { Company } from './company.js';

/**
 * The operators' editor of what the messenger shows: topics (menus), help
 * articles, survey questions and proactive triggers. Each can be listed,
 * created, changed (only the fields sent; their names are checked by the route's
 * body schema) and deleted. A survey question that visitors have answered is
 * retired rather than deleted, so that their answers stay.
 */
type Body = Record<string, any>;
type Table = 'menus' | 'articles' | 'survey_questions' | 'triggers';

/** A rating needs [min, max] (whole numbers, min < max); a choice its choices; a text nothing. */
function checkQuestion(q: Body): void {
  const answers = q.valid_answers;
  if (q.type === 'rating' && !(Array.isArray(answers) && answers.length === 2 && answers.every(Number.isInteger) && answers[0] < answers[1])) {
    throw new HttpError(400, 'invalid_request', 'A rating question needs valid_answers [min, max], two whole numbers');
  }
  if (q.type === 'choice' && !Array.isArray(answers)) throw new HttpError(400, 'invalid_request', 'A choice question needs valid_answers, the choices');
}

const duplicate = (what: string) => (e: { code?: string }) => {
  if (e.code === '23505') throw new HttpError(409, 'duplicate_key', what);
  throw e;
};

const Noun = (noun: string) => `${noun[0]!.toUpperCase()}${noun.slice(1)}`;

export class ContentEditor {
  constructor(readonly db: Db, readonly company: Company) {}

  /** Sets the sent columns of one of the workspace's rows; 404 when it is not there. */
  async #update(table: Table, noun: string, workspaceId: string, id: number, body: Body, json: string[]): Promise<Row> {
    const keys = Object.keys(body);
    const [row] = await this.db.query(
      `update ${table} set ${keys.map((k, i) => `${k} = $${i + 3}`).join(', ')} where workspace_id = $1 and id = $2 returning *`,
      [workspaceId, id, ...keys.map((k) => (json.includes(k) && body[k] !== null ? JSON.stringify(body[k]) : body[k]))],
    );
    if (!row) throw notFound(`${Noun(noun)} ${id}`);
    return row;
  }

  async #remove(table: Table, noun: string, workspaceId: string, id: number): Promise<{ deleted: true }> {
    const rows = await this.db.query(`delete from ${table} where workspace_id = $1 and id = $2 returning id`, [workspaceId, id]);
    if (!rows.length) throw notFound(`${Noun(noun)} ${id}`);
    return { deleted: true };
  }

  // ---- topics (menus) ----

  menus(workspaceId: string): Promise<Row[]> {
    return this.db.query('select * from menus where workspace_id = $1 order by position, id', [workspaceId]);
  }

  async createMenu(workspaceId: string, b: Body): Promise<Row> {
    if (b.parent_id) await this.company.menu(workspaceId, b.parent_id);
    const [row] = await this.db
      .query(
        `insert into menus (workspace_id, parent_id, position, key, names, enabled, channels, deflection_enabled, deflection_threshold, keep_waiting)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *`,
        [workspaceId, b.parent_id ?? null, b.position ?? 0, b.key ?? null, JSON.stringify(b.names), b.enabled ?? true, b.channels ?? ['chat'], b.deflection_enabled ?? false, b.deflection_threshold ?? 0.05, b.keep_waiting ?? true],
      )
      .catch(duplicate(`Another menu has the key "${b.key}"`));
    return row!;
  }

  async updateMenu(workspaceId: string, id: number, b: Body): Promise<Row> {
    if (b.parent_id) {
      await this.company.menu(workspaceId, b.parent_id);
      // A topic cannot move under itself or one of its own subtopics.
      const [loop] = await this.db.query(
        `with recursive up as (select id, parent_id from menus where id = $1
           union all select m.id, m.parent_id from menus m join up on m.id = up.parent_id)
         select 1 from up where id = $2 limit 1`,
        [b.parent_id, id],
      );
      if (loop) throw new HttpError(400, 'invalid_request', `Menu ${b.parent_id} is menu ${id} or one of its subtopics: it cannot be its parent`);
    }
    return this.#update('menus', 'menu', workspaceId, id, b, ['names']).catch(duplicate(`Another menu has the key "${b.key}"`));
  }

  /** Its subtopics go with it; conversations and tickets keep their text and lose the link. */
  deleteMenu(workspaceId: string, id: number) {
    return this.#remove('menus', 'menu', workspaceId, id);
  }

  // ---- help articles ----

  /** With the visitors' "Was this helpful?" answers counted. */
  articles(workspaceId: string): Promise<Row[]> {
    return this.db.query(
      `select a.id, a.locale, a.slug, a.title, a.body,
              count(f.helpful) filter (where f.helpful)::int as helpful, count(f.helpful) filter (where not f.helpful)::int as not_helpful
         from articles a left join article_feedback f on f.article_id = a.id
        where a.workspace_id = $1 group by a.id order by a.locale, a.title`,
      [workspaceId],
    );
  }

  /** An article's latest answers that came with a comment, newest first. */
  async articleFeedback(workspaceId: string, id: number): Promise<Row[]> {
    const [article] = await this.db.query('select id from articles where workspace_id = $1 and id = $2', [workspaceId, id]);
    if (!article) throw notFound(`Article ${id}`);
    return this.db.query(
      `select helpful, comment, updated_at from article_feedback where article_id = $1 and comment is not null order by updated_at desc limit 50`,
      [id],
    );
  }

  /** Creates an article, or replaces the one with that language and slug. */
  async saveArticle(workspaceId: string, b: Record<string, string>): Promise<Row> {
    const [row] = await this.db.query(
      `insert into articles (workspace_id, locale, slug, title, body) values ($1, $2, $3, $4, $5)
       on conflict (workspace_id, locale, slug) do update set title = excluded.title, body = excluded.body returning id, locale, slug, title`,
      [workspaceId, b.locale, b.slug, b.title, b.body],
    );
    return row!;
  }

  updateArticle(workspaceId: string, id: number, b: Body): Promise<Row> {
    return this.#update('articles', 'article', workspaceId, id, b, []).catch(duplicate(`Another article has the slug "${b.slug}" in that language`));
  }

  deleteArticle(workspaceId: string, id: number) {
    return this.#remove('articles', 'article', workspaceId, id);
  }

  // ---- survey questions ----

  questions(workspaceId: string): Promise<Row[]> {
    return this.db.query('select * from survey_questions where workspace_id = $1 order by position, id', [workspaceId]);
  }

  async createQuestion(workspaceId: string, b: Body): Promise<Row> {
    checkQuestion(b);
    const [row] = await this.db.query(
      'insert into survey_questions (workspace_id, position, type, display_text, valid_answers) values ($1, $2, $3, $4, $5) returning id',
      [workspaceId, b.position ?? 0, b.type, JSON.stringify(b.display_text), b.type === 'text' ? null : JSON.stringify(b.valid_answers)],
    );
    return row!;
  }

  async updateQuestion(workspaceId: string, id: number, body: Body): Promise<Row> {
    const b = { ...body };
    const [current] = await this.db.query('select type, valid_answers from survey_questions where workspace_id = $1 and id = $2', [workspaceId, id]);
    if (!current) throw notFound(`Survey question ${id}`);
    const merged = { ...current, ...b };
    checkQuestion(merged);
    if (merged.type === 'text') b.valid_answers = null;
    return this.#update('survey_questions', 'survey question', workspaceId, id, b, ['display_text', 'valid_answers']);
  }

  /** Deleted; or, when visitors answered it, retired: it leaves the survey, their answers stay. */
  async deleteQuestion(workspaceId: string, id: number): Promise<{ deleted: boolean; retired: boolean }> {
    const [answered] = await this.db.query(
      'select 1 from survey_answers a join survey_questions q on q.id = a.question_id where q.workspace_id = $1 and q.id = $2 limit 1',
      [workspaceId, id],
    );
    if (!answered) {
      await this.#remove('survey_questions', 'survey question', workspaceId, id);
      return { deleted: true, retired: false };
    }
    await this.#update('survey_questions', 'survey question', workspaceId, id, { retired: true }, []);
    return { deleted: false, retired: true };
  }

  // ---- proactive triggers ----

  triggers(workspaceId: string): Promise<Row[]> {
    return this.db.query('select * from triggers where workspace_id = $1 order by position, id', [workspaceId]);
  }

  async createTrigger(workspaceId: string, b: Body): Promise<Row> {
    const [row] = await this.db.query(
      'insert into triggers (workspace_id, name, url_pattern, min_seconds_on_page, min_visits, message, enabled, position) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id',
      [workspaceId, b.name, b.url_pattern ?? '*', b.min_seconds_on_page ?? 0, b.min_visits ?? 1, JSON.stringify(b.message), b.enabled ?? true, b.position ?? 0],
    );
    return row!;
  }

  updateTrigger(workspaceId: string, id: number, b: Body): Promise<Row> {
    return this.#update('triggers', 'trigger', workspaceId, id, b, ['message']);
  }

  deleteTrigger(workspaceId: string, id: number) {
    return this.#remove('triggers', 'trigger', workspaceId, id);
  }
}
