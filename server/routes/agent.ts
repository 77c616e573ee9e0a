import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import type { Services } from '../app.js';
import type { FormField } from '../domain/tickets.js';
import { operatorAuth } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { agentContact, agentMessage, content, conversationSummary, cursor, idParams, openingHours, pageAnswer, pageOf, pageQuery, type PageParams } from '../http/schemas.js';
import { lastEventId, serveStream } from '../http/sse.js';
import { sendFile } from './sdk.js';
import { schedulingAgentRoutes } from './scheduling.js';
import { agentContentRoutes } from './agent-content.js';
import { agentTeamRoutes } from './agent-team.js';
import { adminRoutes } from './admin.js';

/** The widget's look as the workspace sets it: the site's attributes and configure() win over it. */
const appearanceSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    brand_color: { type: ['string', 'null'], pattern: '^#[0-9a-fA-F]{6}$' },
    position: { type: ['string', 'null'], enum: ['right', 'left', null] },
    greeting: { type: 'object', maxProperties: 50, propertyNames: { pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }, additionalProperties: { type: 'string', maxLength: 500 } },
  },
} as const;

export async function agentRoutes(app: FastifyInstance, { services, heartbeatMs }: { services: Services; heartbeatMs?: number }): Promise<void> {
  const { conversations, messages, presence, company, tickets, email, files, stream } = services;
  // The operator API authenticates by a bearer key, never by cookies, so any origin may call it (a dashboard of the site's own).
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], allowedHeaders: ['content-type', 'authorization', 'last-event-id'], maxAge: 600 });
  app.addHook('preHandler', operatorAuth(services.sessions));

  await schedulingAgentRoutes(app, { services });
  // The workspace and its operators (admins only), behind the same key check and CORS.
  await app.register(adminRoutes, { services });

  app.get('/me', {
    schema: { response: { 200: { type: 'object', properties: { workspace_id: { type: 'string' }, agent: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } }, available: { type: 'boolean' } } } } },
    handler: async (request) => {
      const op = request.operator!;
      return { workspace_id: op.workspaceId, agent: op.agentId ? { id: op.agentId, name: op.agentName } : null, available: await presence.available(op.workspaceId) };
    },
  });

  app.patch('/me', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, avatar_url: { type: ['string', 'null'], maxLength: 2048, pattern: '^https://' } },
      },
      response: { 200: { type: 'object', properties: { agent: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, avatar_url: { type: ['string', 'null'] } } } } } },
    },
    handler: async (request) => {
      const op = request.operator!;
      if (!op.agentId) throw new HttpError(400, 'invalid_request', 'This key belongs to no agent, so it has no profile to change');
      return { agent: await presence.profile(op.workspaceId, op.agentId, request.body as { name?: string; avatar_url?: string | null }) };
    },
  });

  app.get('/conversations', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
          key: { type: 'string' },
          assignee: { type: 'string', pattern: '^(me|unassigned|all|[A-Za-z0-9_-]{1,64})$' },
          status: { type: 'string', enum: ['open', 'pending', 'closed', 'all'] },
          q: { type: 'string', maxLength: 200 },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            conversations: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  ...conversationSummary,
                  name: { type: 'string' },
                  unread_count: { type: 'integer' },
                  rating: { type: ['integer', 'null'] },
                  topic: { type: ['string', 'null'] },
                  page_url: { type: ['string', 'null'] },
                  assignee_name: { type: ['string', 'null'] },
                  match: { type: ['string', 'null'] },
                  last_message: {
                    type: ['object', 'null'],
                    properties: { content: { type: 'string' }, author: { type: 'string' }, author_name: { type: ['string', 'null'] }, internal: { type: 'boolean' }, attachment: { type: ['string', 'null'] }, created_at: { type: 'string' } },
                  },
                  contact: {
                    type: ['object', 'null'],
                    properties: { name: { type: ['string', 'null'] }, email: { type: ['string', 'null'] }, verified: { type: 'boolean' }, email_verified: { type: 'boolean' }, location: { type: ['string', 'null'] } },
                  },
                },
              },
            },
          },
        },
      },
    },
    handler: async (request) => {
      const query = request.query as { limit?: string; assignee?: string; status?: 'open' | 'pending' | 'closed' | 'all'; q?: string };
      const op = request.operator!;
      return { conversations: await conversations.list(op.workspaceId, { agentId: op.agentId }, { ...query, limit: Number(query.limit ?? 100) || 100 }) };
    },
  });

  app.get('/conversations/:id', {
    schema: {
      params: idParams,
      response: {
        200: {
          type: 'object',
          properties: {
            ...conversationSummary,
            name: { type: 'string' },
            topic: { type: ['string', 'null'] },
            assignee_name: { type: ['string', 'null'] },
            lang: { type: ['string', 'null'] },
            rating: { type: ['integer', 'null'] },
            feedback: { type: ['string', 'null'] },
            survey: { type: 'array', items: { type: 'object', properties: { question: { type: ['string', 'null'] }, answer: { type: 'string' } } } },
            scores: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string' }, score: { type: 'integer' }, comment: { type: ['string', 'null'] } } } },
            others: {
              type: 'array',
              items: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, created_at: { type: 'string' }, last_message: { type: ['string', 'null'] } } },
            },
            variables: { type: 'object', additionalProperties: true },
            fields: { type: 'object', additionalProperties: true },
            form_id: { type: ['string', 'null'] },
            contact: agentContact,
            session: { type: ['object', 'null'], properties: { id: { type: 'string' }, data: { type: 'object', additionalProperties: true }, segments: { type: 'array', items: { type: 'string' } }, page_url: { type: ['string', 'null'] } } },
            tickets: { type: 'array', items: { type: 'object', additionalProperties: true } },
            notifications: { type: 'array', items: { type: 'object', additionalProperties: true } },
          },
        },
      },
    },
    handler: async (request) => {
      const detail = await conversations.detail(request.operator!.workspaceId, (request.params as { id: string }).id);
      return { ...detail, tickets: await tickets.ofConversation(request.operator!.workspaceId, detail.id) };
    },
  });

  app.get('/conversations/:id/messages', {
    schema: {
      params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { ...pageQuery, key: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { messages: { type: 'array', items: agentMessage }, ...pageAnswer } } },
    },
    handler: (request) => messages.operatorHistory(request.operator!.workspaceId, (request.params as { id: string }).id, pageOf(request.query as PageParams)),
  });

  app.post('/conversations/:id/messages', {
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['content'], properties: { content, internal: { type: 'boolean' } } },
      response: { 201: { type: 'object', properties: { message: agentMessage } } },
    },
    handler: async (request, reply) => {
      const op = request.operator!;
      const body = request.body as { content: string; internal?: boolean };
      if (!body.content.trim()) throw new HttpError(400, 'invalid_request', 'body/content is empty');
      const message = await messages.operator(op.workspaceId, (request.params as { id: string }).id, { id: op.agentId, name: op.agentName }, body);
      reply.status(201);
      return { message };
    },
  });

  // The team's verdict on an AI answer: good, wrong, or none again.
  app.post('/conversations/:id/messages/:message/verdict', {
    schema: {
      params: { type: 'object', required: ['id', 'message'], properties: { id: { type: 'string', maxLength: 64 }, message: { type: 'string', maxLength: 64 } } },
      body: { type: 'object', additionalProperties: false, required: ['verdict'], properties: { verdict: { type: ['string', 'null'], enum: ['good', 'wrong', null] } } },
      response: { 200: { type: 'object', properties: { message: agentMessage } } },
    },
    handler: async (request) => {
      const op = request.operator!;
      const { id, message } = request.params as { id: string; message: string };
      return { message: await messages.verdict(op.workspaceId, id, message, (request.body as { verdict: 'good' | 'wrong' | null }).verdict, op.agentName) };
    },
  });

  const conversationUpdate = { 200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, assignee_id: { type: ['string', 'null'] } } } };

  app.post('/conversations/:id/assign', {
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['assignee_id'], properties: { assignee_id: { type: ['string', 'null'], maxLength: 64 } } },
      response: conversationUpdate,
    },
    handler: async (request) =>
      conversations.update(request.operator!.workspaceId, (request.params as { id: string }).id, { assignee_id: (request.body as { assignee_id: string | null }).assignee_id }),
  });

  app.post('/conversations/:id/status', {
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: ['open', 'pending', 'closed'] } } },
      response: conversationUpdate,
    },
    handler: async (request) =>
      conversations.update(request.operator!.workspaceId, (request.params as { id: string }).id, { status: (request.body as { status: string }).status }),
  });

  app.post('/conversations/:id/typing', {
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['typing'], properties: { typing: { type: 'boolean' } } },
      response: { 202: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    },
    handler: async (request, reply) => {
      const op = request.operator!;
      await messages.operatorTyping(op.workspaceId, (request.params as { id: string }).id, { id: op.agentId, name: op.agentName }, (request.body as { typing: boolean }).typing);
      reply.status(202);
      return { ok: true };
    },
  });

  app.post('/conversations/:id/read', {
    schema: { params: idParams, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
    handler: async (request) => {
      await messages.markReadByOperator(request.operator!.workspaceId, (request.params as { id: string }).id, request.operator!.agentId);
      return { ok: true };
    },
  });

  app.post('/presence', {
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['online'], properties: { online: { type: 'boolean' } } },
      response: { 200: { type: 'object', properties: { available: { type: 'boolean' } } } },
    },
    handler: async (request) => {
      const op = request.operator!;
      if (!op.agentId) throw new HttpError(400, 'invalid_request', 'This key belongs to no agent, so it has no presence');
      return { available: await presence.agent(op.workspaceId, op.agentId, (request.body as { online: boolean }).online) };
    },
  });

  // ---- workspace settings the SDK reads: hours, menus, articles, survey, triggers ----

  app.get('/settings', {
    schema: {
      response: {
        200: {
          type: 'object',
          properties: {
            name: { type: 'string' }, subdomain: { type: 'string' }, support_email: { type: 'string' }, languages: { type: 'array', items: { type: 'string' } },
            time_zone: { type: 'string' }, business_hours: { type: 'object', additionalProperties: true }, after_hours_message: { type: 'object', additionalProperties: { type: 'string' } },
            max_file_bytes: { type: 'integer' }, prohibited_file_types: { type: 'array', items: { type: 'string' } }, flags: { type: 'object', additionalProperties: { type: 'boolean' } },
            survey_sign_off: { type: 'object', additionalProperties: { type: 'string' } },
            appearance: appearanceSchema,
          },
        },
      },
    },
    handler: (request) => company.settings(request.operator!.workspaceId),
  });

  app.put('/settings', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          subdomain: { type: 'string', maxLength: 100 },
          support_email: { type: 'string', format: 'email' },
          languages: { type: 'array', items: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }, minItems: 1 },
          time_zone: { type: 'string', maxLength: 64 },
          business_hours: openingHours,
          after_hours_message: { type: 'object', additionalProperties: { type: 'string', maxLength: 2000 } },
          max_file_bytes: { type: 'integer', minimum: 1, maximum: 26214400 },
          prohibited_file_types: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9]{1,10}$' } },
          require_verification: { type: 'boolean' },
          allowed_origins: { type: 'array', items: { type: 'string', maxLength: 300 } },
          flags: { type: 'object', additionalProperties: { type: 'boolean' } },
          survey_sign_off: { type: 'object', additionalProperties: { type: 'string', maxLength: 500 } },
          appearance: appearanceSchema,
        },
      },
      response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    },
    handler: (request) => company.updateSettings(request.operator!.workspaceId, request.body as Record<string, unknown>),
  });

  await agentContentRoutes(app, { services });
  await agentTeamRoutes(app, { services });

  app.post('/ticket-forms', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'title', 'fields'],
        properties: {
          key: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' },
          title: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 200 } },
          position: { type: 'integer' },
          fields: {
            type: 'array',
            minItems: 1,
            maxItems: 30,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'label', 'type'],
              properties: {
                name: { type: 'string', pattern: '^[A-Za-z0-9_]{1,64}$' },
                label: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 200 } },
                type: { type: 'string', enum: ['text', 'textarea', 'email', 'number', 'select', 'checkbox'] },
                required: { type: 'boolean' },
                options: { type: 'array', minItems: 1, items: { type: 'string', maxLength: 200 } },
                max: { type: 'integer', minimum: 1, maximum: 10000 },
              },
            },
          },
        },
      },
      response: { 201: { type: 'object', properties: { key: { type: 'string' } } } },
    },
    handler: async (request, reply) => {
      const saved = await tickets.saveForm(request.operator!.workspaceId, request.body as { key: string; title: Record<string, string>; fields: FormField[]; position?: number });
      reply.status(201);
      return saved;
    },
  });

  app.delete('/ticket-forms/:key', {
    schema: {
      params: { type: 'object', required: ['key'], properties: { key: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' } } },
      response: { 200: { type: 'object', properties: { deleted: { type: 'boolean' } } } },
    },
    handler: (request) => tickets.deleteForm(request.operator!.workspaceId, (request.params as { key: string }).key),
  });

  const str = { type: 'string' } as const;
  const strOrNull = { type: ['string', 'null'] } as const;
  const list = (name: string, properties: object) => ({ 200: { type: 'object', properties: { [name]: { type: 'array', items: { type: 'object', properties } } } } });

  app.get('/ticket-forms', {
    schema: { response: list('forms', { key: str, title: { type: 'object', additionalProperties: str }, position: { type: 'integer' }, fields: { type: 'array', items: { type: 'object', additionalProperties: true } } }) },
    handler: async (request) => ({ forms: await tickets.storedForms(request.operator!.workspaceId) }),
  });

  app.get('/tickets', {
    schema: { response: list('tickets', { id: str, form_key: str, fields: { type: 'object', additionalProperties: true }, status: str, conversation_id: strOrNull, created_at: str }) },
    handler: async (request) => ({ tickets: await tickets.list(request.operator!.workspaceId) }),
  });

  app.get('/emails', {
    schema: {
      response: list('emails', {
        id: str, menu_id: { type: ['integer', 'null'] }, lang: str, name: strOrNull, email: str, content: str, file_ids: { type: 'array', items: str }, status: str, created_at: str,
      }),
    },
    handler: async (request) => ({ emails: await email.list(request.operator!.workspaceId) }),
  });

  app.get('/transcripts', {
    schema: { response: list('transcripts', { id: str, conversation_id: str, recipients: { type: 'array', items: str }, subject: str, body: str, status: str, error: strOrNull }) },
    handler: async (request) => ({ transcripts: await email.transcripts(request.operator!.workspaceId) }),
  });

  app.get('/files/:id', {
    schema: { params: idParams },
    handler: async (request, reply) => {
      const f = await files.file((request.params as { id: string }).id, { workspaceId: request.operator!.workspaceId });
      return sendFile(reply, f as { name: string; mime: string; bytes: Buffer });
    },
  });

  app.get('/stream', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { key: { type: 'string' }, last_event_id: cursor } } },
    handler: async (request, reply) => {
      const op = request.operator!;
      // An open inbox is an operator online.
      if (op.agentId) await presence.agent(op.workspaceId, op.agentId, true);
      const after = lastEventId(request) ?? (await stream.cursor(op.workspaceId));
      const beat = op.agentId ? setInterval(() => void presence.agent(op.workspaceId, op.agentId!, true).catch(() => {}), 30_000) : null;
      await serveStream(stream.bus, request, reply, {
        after,
        heartbeatMs,
        ...stream.operatorFeed(op.workspaceId),
        serialize: (e) => JSON.stringify({ ...e.payload, conversation_id: e.conversation_id }),
        onClose: () => {
          if (beat) clearInterval(beat);
          if (op.agentId) void presence.agent(op.workspaceId, op.agentId, false).catch(() => {});
        },
      });
    },
  });
}
