import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';

/**
 * The operator API for what the messenger shows: topics (menus), help articles,
 * survey questions and proactive triggers (see domain/content-editor.ts). Each
 * can be listed, created, changed (PATCH: only the fields sent) and deleted.
 */
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
/** In the listing, with the visitors' "Was this helpful?" counts. */
const listedArticle = { type: 'object', properties: { ...article.properties, helpful: { type: 'integer' }, not_helpful: { type: 'integer' } } } as const;
const articleComment = { type: 'object', properties: { helpful: { type: 'boolean' }, comment: { type: 'string' }, updated_at: { type: 'string', format: 'date-time' } } } as const;
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

export async function agentContentRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { editor } = services;
  const ws = (request: { operator?: { workspaceId: string } }) => request.operator!.workspaceId;
  const num = (request: { params: unknown }) => Number((request.params as { id: string }).id);
  const body = (request: { body: unknown }) => request.body as Body;

  // ---- topics (menus) ----

  app.get('/menus', {
    schema: { response: { 200: many('menus', menu) } },
    handler: async (request) => ({ menus: await editor.menus(ws(request)) }),
  });

  app.post('/menus', {
    schema: { body: createBody(menuFields, ['names']), response: { 201: one('menu', menu) } },
    handler: async (request, reply) => {
      const row = await editor.createMenu(ws(request), body(request));
      reply.status(201);
      return { menu: row };
    },
  });

  app.patch('/menus/:id', {
    schema: { params: rowId, body: patchBody(menuFields), response: { 200: one('menu', menu) } },
    handler: async (request) => ({ menu: await editor.updateMenu(ws(request), num(request), body(request)) }),
  });

  app.delete('/menus/:id', {
    schema: { params: rowId, response: { 200: deleted } },
    handler: (request) => editor.deleteMenu(ws(request), num(request)),
  });

  // ---- help articles ----

  app.get('/articles', {
    schema: { response: { 200: many('articles', listedArticle) } },
    handler: async (request) => ({ articles: await editor.articles(ws(request)) }),
  });

  app.get('/articles/:id/feedback', {
    schema: { params: rowId, response: { 200: many('feedback', articleComment) } },
    handler: async (request) => ({ feedback: await editor.articleFeedback(ws(request), num(request)) }),
  });

  app.post('/articles', {
    schema: { body: createBody(articleFields, ['locale', 'slug', 'title', 'body']), response: { 201: one('article', article) } },
    handler: async (request, reply) => {
      const row = await editor.saveArticle(ws(request), body(request));
      services.knowledge.schedule(ws(request));
      reply.status(201);
      return { article: row };
    },
  });

  app.patch('/articles/:id', {
    schema: { params: rowId, body: patchBody(articleFields), response: { 200: one('article', article) } },
    handler: async (request) => {
      const article = await editor.updateArticle(ws(request), num(request), body(request));
      services.knowledge.schedule(ws(request));
      return { article };
    },
  });

  app.delete('/articles/:id', {
    schema: { params: rowId, response: { 200: deleted } },
    handler: async (request) => {
      const deleted = await editor.deleteArticle(ws(request), num(request));
      services.knowledge.schedule(ws(request));
      return deleted;
    },
  });

  // ---- survey questions ----

  app.get('/survey-questions', {
    schema: { response: { 200: many('questions', question) } },
    handler: async (request) => ({ questions: await editor.questions(ws(request)) }),
  });

  app.post('/survey-questions', {
    schema: { body: createBody(questionFields, ['type', 'display_text']), response: { 201: created } },
    handler: async (request, reply) => {
      const row = await editor.createQuestion(ws(request), body(request));
      reply.status(201);
      return row;
    },
  });

  app.patch('/survey-questions/:id', {
    schema: { params: rowId, body: patchBody(questionFields), response: { 200: one('question', question) } },
    handler: async (request) => ({ question: await editor.updateQuestion(ws(request), num(request), body(request)) }),
  });

  app.delete('/survey-questions/:id', {
    schema: { params: rowId, response: { 200: { type: 'object', properties: { deleted: { type: 'boolean' }, retired: { type: 'boolean' } } } } },
    handler: (request) => editor.deleteQuestion(ws(request), num(request)),
  });

  // ---- proactive triggers ----

  app.get('/triggers', {
    schema: { response: { 200: many('triggers', trigger) } },
    handler: async (request) => ({ triggers: await editor.triggers(ws(request)) }),
  });

  app.post('/triggers', {
    schema: { body: createBody(triggerFields, ['name', 'message']), response: { 201: created } },
    handler: async (request, reply) => {
      const row = await editor.createTrigger(ws(request), body(request));
      reply.status(201);
      return row;
    },
  });

  app.patch('/triggers/:id', {
    schema: { params: rowId, body: patchBody(triggerFields), response: { 200: one('trigger', trigger) } },
    handler: async (request) => ({ trigger: await editor.updateTrigger(ws(request), num(request), body(request)) }),
  });

  app.delete('/triggers/:id', {
    schema: { params: rowId, response: { 200: deleted } },
    handler: (request) => editor.deleteTrigger(ws(request), num(request)),
  });
}
