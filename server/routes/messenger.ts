import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import type { Authenticate } from '../http/auth.js';
import { perMinute } from '../http/rate-limits.js';
import { lang, langQuery } from '../http/schemas.js';

/** The full messenger's widget routes: ticket forms, the help center, visitor data. */
export async function messengerRoutes(
  app: FastifyInstance,
  { services, authenticate }: { services: Services; authenticate: Authenticate },
): Promise<void> {
  const { tickets, content, sessions } = services;
  const article = { type: 'object', properties: { locale: { type: 'string' }, slug: { type: 'string' }, title: { type: 'string' }, excerpt: { type: 'string' } } } as const;

  app.get('/ticket-forms', {
    preHandler: authenticate,
    schema: {
      querystring: langQuery,
      response: {
        200: {
          type: 'object',
          properties: {
            forms: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  key: { type: 'string' },
                  title: { type: 'string' },
                  fields: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { name: { type: 'string' }, label: { type: 'string' }, type: { type: 'string' }, required: { type: 'boolean' }, options: { type: 'array', items: { type: 'string' } }, max: { type: 'integer' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    handler: async (request) => ({ forms: await tickets.forms(request.visitor!.workspace.id, (request.query as { lang?: string }).lang ?? 'en') }),
  });

  app.post('/tickets', {
    preHandler: authenticate,
    config: perMinute(20),
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['form_key', 'fields'],
        properties: { form_key: { type: 'string', minLength: 1, maxLength: 100 }, fields: { type: 'object', maxProperties: 50, additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } } },
      },
      response: { 201: { type: 'object', properties: { id: { type: 'string' }, form_key: { type: 'string' }, status: { type: 'string' } } } },
    },
    handler: async (request, reply) => {
      const body = request.body as { form_key: string; fields: Record<string, unknown> };
      reply.status(201);
      return tickets.create(request.visitor!.session, body.form_key, body.fields);
    },
  });

  app.get('/articles', {
    preHandler: authenticate,
    schema: {
      querystring: { type: 'object', additionalProperties: false, properties: { q: { type: 'string', maxLength: 500 }, locale: lang, token: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { articles: { type: 'array', items: article } } } },
    },
    handler: async (request) => {
      const { q, locale = 'en' } = request.query as { q?: string; locale?: string };
      return { articles: await content.findArticles(request.visitor!.workspace.id, q, locale) };
    },
  });

  app.get('/articles/:locale/:slug', {
    preHandler: authenticate,
    schema: {
      params: { type: 'object', properties: { locale: lang, slug: { type: 'string', maxLength: 100 } } },
      response: { 200: { type: 'object', properties: { locale: { type: 'string' }, slug: { type: 'string' }, title: { type: 'string' }, body: { type: 'string' } } } },
    },
    handler: async (request) => {
      const { locale, slug } = request.params as { locale: string; slug: string };
      return content.article(request.visitor!.workspace.id, locale, slug);
    },
  });

  app.post('/articles/:locale/:slug/feedback', {
    preHandler: authenticate,
    config: perMinute(30),
    schema: {
      params: { type: 'object', properties: { locale: lang, slug: { type: 'string', maxLength: 100 } } },
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['helpful'],
        properties: { helpful: { type: 'boolean' }, comment: { type: 'string', maxLength: 1000 } },
      },
      response: {
        200: {
          type: 'object',
          properties: { locale: { type: 'string' }, slug: { type: 'string' }, helpful: { type: 'boolean' }, comment: { type: ['string', 'null'] }, updated_at: { type: 'string' } },
        },
      },
    },
    handler: async (request) => {
      const { locale, slug } = request.params as { locale: string; slug: string };
      const { helpful, comment } = request.body as { helpful: boolean; comment?: string };
      return content.rateArticle(request.visitor!.session, locale, slug, helpful, comment);
    },
  });

  app.post('/session-data', {
    preHandler: authenticate,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { data: { type: 'object', maxProperties: 100 }, segments: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 100 } } },
      },
      response: { 200: { type: 'object', properties: { data: { type: 'object', additionalProperties: true }, segments: { type: 'array', items: { type: 'string' } } } } },
    },
    handler: async (request) => {
      const body = request.body as { data?: Record<string, unknown>; segments?: string[] };
      return sessions.setData(request.visitor!.session.id, body.data, body.segments);
    },
  });
}
