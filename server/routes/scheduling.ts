import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import type { Authenticate } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { perMinute } from '../http/rate-limits.js';
import { idParams, lang, langQuery, menuId, openingHours } from '../http/schemas.js';

/** The free start times of a topic's calls or a meeting type, ISO 8601. */
const slots = { type: 'object', properties: { slots: { type: 'array', items: { type: 'string' } } } } as const;
const call = {
  type: 'object',
  properties: {
    id: { type: 'string' }, status: { type: 'string' }, menu_id: { type: ['integer', 'null'] }, lang: { type: 'string' },
    phone_number: { type: 'string' }, scheduled_at: { type: ['string', 'null'] }, recording_permission: { type: 'boolean' }, created_at: { type: 'string' },
  },
} as const;

/** Calls, time slots, meetings and co-browsing for the widget (visitor side). */
export async function schedulingWidgetRoutes(app: FastifyInstance, { services, authenticate }: { services: Services; authenticate: Authenticate }) {
  const { calls, bookings, cobrowse } = services;
  const session = (r: FastifyRequest) => r.visitor!.session;

  app.get('/menus/:id/time-slots', {
    preHandler: authenticate,
    schema: { params: idParams, querystring: langQuery, response: { 200: slots } },
    handler: async (r) => ({ slots: await calls.timeSlots(r.visitor!.workspace.id, (r.params as { id: string }).id) }),
  });

  app.post('/calls', {
    preHandler: authenticate,
    config: perMinute(10),
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['menu_id', 'lang', 'phone_number'],
        properties: {
          menu_id: menuId, lang,
          phone_number: { type: 'string', maxLength: 20 }, scheduled_at: { type: 'string', maxLength: 40 },
          ticket_id: { type: 'string', maxLength: 64 }, email: { type: 'string', maxLength: 320 }, recording_permission: { type: 'boolean' },
        },
      },
      response: { 201: call },
    },
    handler: async (r, reply) => {
      reply.status(201);
      return calls.create(session(r), r.body as never);
    },
  });

  app.get('/calls/:id', { preHandler: authenticate, schema: { params: idParams, response: { 200: call } }, handler: (r) => calls.get(session(r), (r.params as { id: string }).id) });
  app.post('/calls/:id/cancel', { preHandler: authenticate, schema: { params: idParams, response: { 200: call } }, handler: (r) => calls.cancel(session(r), (r.params as { id: string }).id) });

  app.get('/meeting-types', {
    preHandler: authenticate,
    schema: { querystring: langQuery, response: { 200: { type: 'object', properties: { meeting_types: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, duration_minutes: { type: 'integer' } } } } } } } },
    handler: async (r) => ({ meeting_types: await bookings.types(r.visitor!.workspace.id, (r.query as { lang?: string }).lang ?? 'en') }),
  });

  app.get('/meeting-types/:id/slots', {
    preHandler: authenticate,
    schema: { params: idParams, response: { 200: slots } },
    handler: async (r) => ({ slots: (await bookings.slots(r.visitor!.workspace.id, (r.params as { id: string }).id)).map((d) => d.toISOString()) }),
  });

  app.post('/bookings', {
    preHandler: authenticate,
    config: perMinute(10),
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['meeting_type_id', 'starts_at', 'name', 'email'],
        properties: {
          meeting_type_id: { type: ['integer', 'string'], pattern: '^[0-9]{1,15}$' }, starts_at: { type: 'string', maxLength: 40 },
          name: { type: 'string', minLength: 1, maxLength: 200 }, email: { type: 'string', maxLength: 320 },
        },
      },
      response: { 201: { type: 'object', properties: { id: { type: 'string' }, meeting_type_id: { type: 'integer' }, starts_at: { type: 'string' }, ends_at: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, status: { type: 'string' } } } },
    },
    handler: async (r, reply) => {
      reply.status(201);
      return bookings.book(session(r), r.body as never);
    },
  });

  app.post('/cobrowse/code', {
    preHandler: authenticate,
    config: perMinute(10),
    schema: { response: { 201: { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' }, expires_at: { type: 'string' } } } } },
    handler: async (r, reply) => {
      reply.status(201);
      return cobrowse.code(session(r));
    },
  });

  app.post('/cobrowse/start', {
    preHandler: authenticate,
    schema: { body: { type: ['object', 'null'], additionalProperties: false, properties: { id: { type: 'string', maxLength: 64 } } }, response: { 201: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } } } },
    handler: async (r, reply) => {
      reply.status(201);
      return cobrowse.start(session(r), (r.body as { id?: string } | null)?.id);
    },
  });

  app.post('/cobrowse/:id/events', {
    preHandler: authenticate,
    bodyLimit: 4 * 1024 * 1024,
    schema: { params: idParams, body: { type: 'object', additionalProperties: false, required: ['events'], properties: { events: { type: 'array', minItems: 1, maxItems: 5000, items: { type: 'object' } } } }, response: { 202: { type: 'object', properties: { stored: { type: 'integer' } } } } },
    handler: async (r, reply) => {
      reply.status(202);
      return cobrowse.record(session(r), (r.params as { id: string }).id, (r.body as { events: unknown[] }).events);
    },
  });

  app.post('/cobrowse/:id/stop', {
    preHandler: authenticate,
    schema: { params: idParams, response: { 200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } } } },
    handler: (r) => cobrowse.stop(session(r), (r.params as { id: string }).id),
  });
}

/** The operators' side: the callback queue, meeting types and bookings, watching a co-browsing session. */
export async function schedulingAgentRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { calls, bookings, cobrowse } = services;
  const ws = (r: FastifyRequest) => r.operator!.workspaceId;

  app.get('/calls', {
    schema: { response: { 200: { type: 'object', properties: { calls: { type: 'array', items: call } } } } },
    handler: async (r) => ({ calls: await calls.queue(ws(r)) }),
  });
  app.post('/calls/:id/done', { schema: { params: idParams, response: { 200: call } }, handler: (r) => calls.done(ws(r), (r.params as { id: string }).id) });

  app.post('/meeting-types', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'duration_minutes'],
        properties: {
          name: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 200 } },
          duration_minutes: { type: 'integer', minimum: 5, maximum: 480 },
          availability: openingHours,
          position: { type: 'integer' },
        },
      },
      response: { 201: { type: 'object', properties: { id: { type: 'integer' } } } },
    },
    handler: async (r, reply) => {
      const row = await bookings.createType(ws(r), r.body as never);
      reply.status(201);
      return row;
    },
  });

  app.get('/bookings', {
    schema: {
      response: {
        200: {
          type: 'object',
          properties: {
            bookings: {
              type: 'array',
              items: {
                type: 'object',
                properties: { id: { type: 'string' }, meeting_type_id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string' }, status: { type: 'string' }, conversation_id: { type: ['string', 'null'] }, starts_at: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    handler: async (r) => ({ bookings: await bookings.list(ws(r)) }),
  });

  app.get('/cobrowse', {
    schema: {
      querystring: { type: 'object', additionalProperties: false, properties: { code: { type: 'string', pattern: '^[0-9]{6}$' }, conversation_id: { type: 'string', maxLength: 64 }, key: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, conversation_id: { type: ['string', 'null'] }, started_at: { type: ['string', 'null'] } } } },
    },
    handler: async (r) => {
      const q = r.query as { code?: string; conversation_id?: string };
      if (!q.code && !q.conversation_id) throw new HttpError(400, 'invalid_request', 'Give a code or a conversation_id');
      return cobrowse.find(ws(r), q);
    },
  });

  app.get('/cobrowse/:id/events', {
    schema: {
      params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'string', pattern: '^[0-9]{1,15}$' }, key: { type: 'string' } } },
      // The recorder's events go out as they came in (they were checked as objects on the way in).
      response: { 200: { type: 'object', properties: { status: { type: 'string' }, events: { type: 'array', items: { type: 'object', additionalProperties: true } }, last: { type: 'integer' } } } },
    },
    handler: (r) => cobrowse.events(ws(r), (r.params as { id: string }).id, Number((r.query as { after?: string }).after ?? 0)),
  });
}
