import type { FastifyInstance } from 'fastify';
import type { Chat } from '../chat.js';
import type { Lifecycle } from '../lifecycle.js';
import { HttpError, notFound } from '../errors.js';

/**
 * The operator API for what the messenger shows: topics (menus), help articles,
 * survey questions and proactive triggers. Each can be listed, created, changed
 * (PATCH: only the fields sent) and deleted. A survey question that visitors
 * have answered is retired rather than deleted, so that their answers stay.
 */
type Row = Record<string, any>;
type Body = Record<string, any>;

const rowId = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } } } as const;

const menuFields = {
  parent_id: { type: ['integer', 'null'] },
  position: { type: 'integer' },
  key: { type: ['string', 'null'], pattern: '^[A-Za-z0-9_-]{1,100}$' },
  names: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', minLength: 1, maxLength: 200 } },
  enabled: { type: 'boolean' },
  channels: { type: 'array', minItems: 1, items: { type: 'string', enum: ['chat', 'voice_call', 'email'] } },
  deflection_enabled: { type: 'boolean' },
  deflection_threshold: { type: 'number', minimum: 0, maximum: 1 },
  keep_waiting: { type: 'boolean' },
} as const;

const articleFields = {
  locale: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' },
  slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$' },
  title: { type: 'string', minLength: 1, maxLength: 300 },
  body: { type: 'string', minLength: 1, maxLength: 100000 },
} as const;

const questionFields = {
  type: { type: 'string', enum: ['rating', 'choice', 'text'] },
  position: { type: 'integer' },
  display_text: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 500 } },
  valid_answers: { type: ['array', 'null'], minItems: 1, maxItems: 20 },
} as const;

const triggerFields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  url_pattern: { type: 'string', minLength: 1, maxLength: 1000 },
  min_seconds_on_page: { type: 'integer', minimum: 0, maximum: 86400 },
  min_visits: { type: 'integer', minimum: 1, maximum: 100000 },
  message: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 1000 } },
  enabled: { type: 'boolean' },
  position: { type: 'integer' },
} as const;

// What leaves: the response schemas name every field (ids as numbers; no workspace ids).
const translations = { type: 'object', additionalProperties: { type: 'string' } } as const;
const menu = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, parent_id: { type: ['integer', 'null'] }, position: { type: 'integer' }, key: { type: ['string', 'null'] }, names: translations,
    enabled: { type: 'boolean' }, channels: { type: 'array', items: { type: 'string' } }, deflection_enabled: { type: 'boolean' },
    deflection_threshold: { type: 'number' }, keep_waiting: { type: 'boolean' }, redirection: { type: ['object', 'null'], additionalProperties: true },
  },
} as const;
const article = { type: 'object', properties: { id: { type: 'integer' }, locale: { type: 'string' }, slug: { type: 'string' }, title: { type: 'string' }, body: { type: 'string' } } } as const;
const question = {
  type: 'object',
  properties: { id: { type: 'integer' }, position: { type: 'integer' }, type: { type: 'string' }, display_text: translations, valid_answers: { type: ['array', 'null'] }, retired: { type: 'boolean' } },
} as const;
const trigger = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, name: { type: 'string' }, url_pattern: { type: 'string' }, min_seconds_on_page: { type: 'integer' }, min_visits: { type: 'integer' },
    message: translations, enabled: { type: 'boolean' }, position: { type: 'integer' },
  },
} as const;
const one = (name: string, item: object) => ({ type: 'object', properties: { [name]: item } });
const many = (name: string, item: object) => ({ type: 'object', properties: { [name]: { type: 'array', items: item } } });
const created = { type: 'object', properties: { id: { type: 'integer' } } } as const;
const deleted = { type: 'object', properties: { deleted: { type: 'boolean' } } } as const;

const createBody = (properties: object, required: string[]) => ({ type: 'object', additionalProperties: false, required, properties });
/** A PATCH body: the same fields, none required, at least one. */
const patchBody = (properties: object) => ({ type: 'object', additionalProperties: false, minProperties: 1, properties });

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

export async function agentContentRoutes(app: FastifyInstance, { chat, lifecycle }: { chat: Chat; lifecycle: Lifecycle }): Promise<void> {
  const ws = (request: { operator?: { workspaceId: string } }) => request.operator!.workspaceId;
  const num = (request: { params: unknown }) => Number((request.params as { id: string }).id);

  /** Sets the sent columns of one of the workspace's rows (names checked by the body schema); 404 when it is not there. */
  async function update(table: string, noun: string, workspaceId: string, id: number, body: Body, json: string[]): Promise<Row> {
    const keys = Object.keys(body);
    const [row] = await chat.db.query(
      `update ${table} set ${keys.map((k, i) => `${k} = $${i + 3}`).join(', ')} where workspace_id = $1 and id = $2 returning *`,
      [workspaceId, id, ...keys.map((k) => (json.includes(k) && body[k] !== null ? JSON.stringify(body[k]) : body[k]))],
    );
    if (!row) throw notFound(`${noun[0]!.toUpperCase()}${noun.slice(1)} ${id}`);
    return row;
  }

  async function remove(table: string, noun: string, workspaceId: string, id: number): Promise<void> {
    const rows = await chat.db.query(`delete from ${table} where workspace_id = $1 and id = $2 returning id`, [workspaceId, id]);
    if (!rows.length) throw notFound(`${noun[0]!.toUpperCase()}${noun.slice(1)} ${id}`);
  }

  // ---- topics (menus) ----

  app.get('/menus', {
    schema: { response: { 200: many('menus', menu) } },
    handler: async (request) => ({ menus: await chat.db.query('select * from menus where workspace_id = $1 order by position, id', [ws(request)]) }),
  });

  app.post('/menus', {
    schema: { body: createBody(menuFields, ['names']), response: { 201: one('menu', menu) } },
    handler: async (request, reply) => {
      const b = request.body as Body;
      if (b.parent_id) await lifecycle.menu(ws(request), b.parent_id);
      const [row] = await chat.db
        .query(
          `insert into menus (workspace_id, parent_id, position, key, names, enabled, channels, deflection_enabled, deflection_threshold, keep_waiting)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *`,
          [ws(request), b.parent_id ?? null, b.position ?? 0, b.key ?? null, JSON.stringify(b.names), b.enabled ?? true, b.channels ?? ['chat'], b.deflection_enabled ?? false, b.deflection_threshold ?? 0.05, b.keep_waiting ?? true],
        )
        .catch(duplicate(`Another menu has the key "${b.key}"`));
      reply.status(201);
      return { menu: row };
    },
  });

  app.patch('/menus/:id', {
    schema: { params: rowId, body: patchBody(menuFields), response: { 200: one('menu', menu) } },
    handler: async (request) => {
      const b = request.body as Body;
      const id = num(request);
      if (b.parent_id) {
        await lifecycle.menu(ws(request), b.parent_id);
        // A topic cannot move under itself or one of its own subtopics.
        const [loop] = await chat.db.query(
          `with recursive up as (select id, parent_id from menus where id = $1
             union all select m.id, m.parent_id from menus m join up on m.id = up.parent_id)
           select 1 from up where id = $2 limit 1`,
          [b.parent_id, id],
        );
        if (loop) throw new HttpError(400, 'invalid_request', `Menu ${b.parent_id} is menu ${id} or one of its subtopics: it cannot be its parent`);
      }
      return { menu: await update('menus', 'menu', ws(request), id, b, ['names']).catch(duplicate(`Another menu has the key "${b.key}"`)) };
    },
  });

  app.delete('/menus/:id', {
    schema: { params: rowId, response: { 200: deleted } },
    handler: async (request) => {
      // Its subtopics go with it; conversations and tickets keep their text and lose the link.
      await remove('menus', 'menu', ws(request), num(request));
      return { deleted: true };
    },
  });

  // ---- help articles ----

  app.get('/articles', {
    schema: { response: { 200: many('articles', article) } },
    handler: async (request) => ({ articles: await chat.db.query('select id, locale, slug, title, body from articles where workspace_id = $1 order by locale, title', [ws(request)]) }),
  });

  app.post('/articles', {
    schema: { body: createBody(articleFields, ['locale', 'slug', 'title', 'body']), response: { 201: one('article', article) } },
    handler: async (request, reply) => {
      const b = request.body as Record<string, string>;
      const [row] = await chat.db.query(
        `insert into articles (workspace_id, locale, slug, title, body) values ($1, $2, $3, $4, $5)
         on conflict (workspace_id, locale, slug) do update set title = excluded.title, body = excluded.body returning id, locale, slug, title`,
        [ws(request), b.locale, b.slug, b.title, b.body],
      );
      reply.status(201);
      return { article: row };
    },
  });

  app.patch('/articles/:id', {
    schema: { params: rowId, body: patchBody(articleFields), response: { 200: one('article', article) } },
    handler: async (request) => {
      const b = request.body as Body;
      return { article: await update('articles', 'article', ws(request), num(request), b, []).catch(duplicate(`Another article has the slug "${b.slug}" in that language`)) };
    },
  });

  app.delete('/articles/:id', {
    schema: { params: rowId, response: { 200: deleted } },
    handler: async (request) => {
      await remove('articles', 'article', ws(request), num(request));
      return { deleted: true };
    },
  });

  // ---- survey questions ----

  app.get('/survey-questions', {
    schema: { response: { 200: many('questions', question) } },
    handler: async (request) => ({ questions: await chat.db.query('select * from survey_questions where workspace_id = $1 order by position, id', [ws(request)]) }),
  });

  app.post('/survey-questions', {
    schema: { body: createBody(questionFields, ['type', 'display_text']), response: { 201: created } },
    handler: async (request, reply) => {
      const b = request.body as Body;
      checkQuestion(b);
      const [row] = await chat.db.query(
        'insert into survey_questions (workspace_id, position, type, display_text, valid_answers) values ($1, $2, $3, $4, $5) returning id',
        [ws(request), b.position ?? 0, b.type, JSON.stringify(b.display_text), b.type === 'text' ? null : JSON.stringify(b.valid_answers)],
      );
      reply.status(201);
      return row;
    },
  });

  app.patch('/survey-questions/:id', {
    schema: { params: rowId, body: patchBody(questionFields), response: { 200: one('question', question) } },
    handler: async (request) => {
      const b = { ...(request.body as Body) };
      const id = num(request);
      const [current] = await chat.db.query('select type, valid_answers from survey_questions where workspace_id = $1 and id = $2', [ws(request), id]);
      if (!current) throw notFound(`Survey question ${id}`);
      const merged = { ...current, ...b };
      checkQuestion(merged);
      if (merged.type === 'text') b.valid_answers = null;
      return { question: await update('survey_questions', 'survey question', ws(request), id, b, ['display_text', 'valid_answers']) };
    },
  });

  app.delete('/survey-questions/:id', {
    schema: { params: rowId, response: { 200: { type: 'object', properties: { deleted: { type: 'boolean' }, retired: { type: 'boolean' } } } } },
    handler: async (request) => {
      const id = num(request);
      const [answered] = await chat.db.query(
        'select 1 from survey_answers a join survey_questions q on q.id = a.question_id where q.workspace_id = $1 and q.id = $2 limit 1',
        [ws(request), id],
      );
      if (!answered) {
        await remove('survey_questions', 'survey question', ws(request), id);
        return { deleted: true, retired: false };
      }
      // Visitors answered it: it leaves the survey, their answers stay.
      await update('survey_questions', 'survey question', ws(request), id, { retired: true }, []);
      return { deleted: false, retired: true };
    },
  });

  // ---- proactive triggers ----

  app.get('/triggers', {
    schema: { response: { 200: many('triggers', trigger) } },
    handler: async (request) => ({ triggers: await chat.db.query('select * from triggers where workspace_id = $1 order by position, id', [ws(request)]) }),
  });

  app.post('/triggers', {
    schema: { body: createBody(triggerFields, ['name', 'message']), response: { 201: created } },
    handler: async (request, reply) => {
      const b = request.body as Body;
      const [row] = await chat.db.query(
        'insert into triggers (workspace_id, name, url_pattern, min_seconds_on_page, min_visits, message, enabled, position) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id',
        [ws(request), b.name, b.url_pattern ?? '*', b.min_seconds_on_page ?? 0, b.min_visits ?? 1, JSON.stringify(b.message), b.enabled ?? true, b.position ?? 0],
      );
      reply.status(201);
      return row;
    },
  });

  app.patch('/triggers/:id', {
    schema: { params: rowId, body: patchBody(triggerFields), response: { 200: one('trigger', trigger) } },
    handler: async (request) => ({ trigger: await update('triggers', 'trigger', ws(request), num(request), request.body as Body, ['message']) }),
  });

  app.delete('/triggers/:id', {
    schema: { params: rowId, response: { 200: deleted } },
    handler: async (request) => {
      await remove('triggers', 'trigger', ws(request), num(request));
      return { deleted: true };
    },
  });
}
