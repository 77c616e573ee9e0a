import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import fastJson from 'fast-json-stringify';
import type { Services } from '../app.js';
import type { Session } from '../domain/sessions.js';
import { randomToken, sha256, type IdentityInput } from '../domain/identity.js';
import { visitorAuth } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { refuseOrigin } from '../http/origins.js';
import { perMinute, perSessionPerMinute } from '../http/rate-limits.js';
import { clientId, content, cursor, pageAnswer, pageOf, pageQuery, widgetContact, widgetMessage, type PageParams } from '../http/schemas.js';
import { lastEventId, serveStream } from '../http/sse.js';
import type { VisitorStreamEvent } from '../../src/protocol/stream.js';
import { sdkRoutes } from './sdk.js';
import { messengerRoutes } from './messenger.js';
import { schedulingWidgetRoutes } from './scheduling.js';

export interface WidgetRouteOptions {
  services: Services;
  /** Messages a session may send per minute. */
  messagesPerMinute: number;
  /** Sessions one address may create per minute. */
  sessionsPerMinute: number;
  heartbeatMs?: number;
}

/** What a visitor's stream may carry, by event type; anything else is left out. */
const serializer = (schema: object) => fastJson(schema as Parameters<typeof fastJson>[0]) as (payload: object) => string;
const visitorEvents: Record<VisitorStreamEvent, (payload: object) => string> = {
  message: serializer({ type: 'object', properties: { message: widgetMessage } }),
  'conversation.status': serializer({ type: 'object', properties: { conversation_id: { type: 'string' }, status: { type: 'string' } } }),
  'chat.updated': serializer({ type: 'object', properties: { chat_id: { type: 'string' }, status: { type: 'string' } } }),
  'chat.member_joined': serializer({ type: 'object', properties: { chat_id: { type: 'string' }, member: { type: 'object', properties: { name: { type: ['string', 'null'] }, type: { type: 'string' } } } } }),
  'chat.member_left': serializer({ type: 'object', properties: { chat_id: { type: 'string' }, member: { type: 'object', properties: { type: { type: 'string' } } } } }),
  availability: serializer({ type: 'object', properties: { available: { type: 'boolean' } } }),
  read: serializer({ type: 'object', properties: { chat_id: { type: 'string' }, message_id: { type: 'string' } } }),
  typing: serializer({ type: 'object', properties: { chat_id: { type: 'string' }, typing: { type: 'boolean' }, name: { type: ['string', 'null'] } } }),
  'session.switched': serializer({ type: 'object', properties: { switched: { type: 'boolean' } } }),
  'ai.start': serializer({
    type: 'object',
    properties: {
      chat_id: { type: 'string' }, answer_id: { type: 'string' },
      sources: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' }, title: { type: 'string' }, locale: { type: 'string' }, slug: { type: 'string' }, heading: { type: ['string', 'null'] } } } },
    },
  }),
  'ai.delta': serializer({ type: 'object', properties: { chat_id: { type: 'string' }, answer_id: { type: 'string' }, text: { type: 'string' } } }),
  'ai.end': serializer({ type: 'object', properties: { chat_id: { type: 'string' }, answer_id: { type: 'string' }, message_id: { type: 'string' }, ended: { type: 'string' } } }),
};

const identityBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    external_id: { type: 'string', maxLength: 255 },
    id: { type: 'string', maxLength: 255 },
    email: { type: 'string', maxLength: 320, format: 'email' },
    name: { type: 'string', maxLength: 255 },
    phone: { type: 'string', maxLength: 64 },
    company: { type: 'string', maxLength: 255 },
    avatar_url: { type: 'string', maxLength: 2048, pattern: '^https?://' },
    custom_data: { type: 'object', maxProperties: 100 },
    user_hash: { type: 'string', maxLength: 256 },
    email_hash: { type: 'string', maxLength: 256 },
    jwt: { type: 'string', maxLength: 8192 },
  },
} as const;

export async function widgetRoutes(app: FastifyInstance, { services, messagesPerMinute, sessionsPerMinute, heartbeatMs }: WidgetRouteOptions): Promise<void> {
  const { sessions, conversations, messages, presence, stream, identity, feedback } = services;
  // CORS mechanics from the plugin; which origins a workspace allows is checked per request below.
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'], allowedHeaders: ['content-type', 'authorization', 'last-event-id'], maxAge: 600 });

  const authenticate = visitorAuth(sessions);

  await sdkRoutes(app, { services, authenticate });
  await messengerRoutes(app, { services, authenticate });
  await schedulingWidgetRoutes(app, { services, authenticate });

  const sessionResponse = {
    200: {
      type: 'object',
      properties: {
        session: { type: 'object', properties: { id: { type: 'string' }, token: { type: 'string' } } },
        workspace: { type: 'object', properties: { name: { type: 'string' } } },
        agent: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
        contact: widgetContact,
        conversation: { type: ['object', 'null'], properties: { id: { type: 'string' }, status: { type: 'string' } } },
        available: { type: 'boolean' },
        team: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, avatar_url: { type: ['string', 'null'] } } } },
        booking: { type: 'boolean' },
        appearance: {
          type: 'object',
          properties: { brand_color: { type: ['string', 'null'] }, position: { type: ['string', 'null'] }, greeting: { type: 'object', additionalProperties: { type: 'string' } } },
        },
        unread_count: { type: 'integer' },
        stream_cursor: { type: 'integer' },
        resumed: { type: 'boolean' },
      },
    },
  };

  app.post('/sessions', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['public_key'],
        properties: {
          public_key: { type: 'string', minLength: 1, maxLength: 200 },
          session_token: { type: 'string', maxLength: 200 },
          locale: { type: 'string', maxLength: 35 },
          page_url: { type: 'string', maxLength: 2048 },
        },
      },
      response: sessionResponse,
    },
    config: perMinute(sessionsPerMinute),
    handler: async (request) => {
      const body = request.body as { public_key: string; session_token?: string; locale?: string; page_url?: string };
      const { workspace, agent } = await sessions.workspaceByPublicKey(body.public_key);
      refuseOrigin(workspace, request);
      let token = body.session_token;
      let session: Session | null = null;
      if (token) {
        try {
          const found = await sessions.byToken(sha256(token));
          if (found.workspace.id === workspace.id) session = found.session;
        } catch {
          session = null; // an old or foreign token: start afresh
        }
      }
      const resumed = session !== null;
      if (!session) {
        token = randomToken();
        session = await sessions.create(workspace, agent?.id ?? null, sha256(token), body);
      } else {
        await sessions.touch(session.id, body.page_url);
      }
      const conversation = await conversations.current(session);
      return {
        session: { id: session.id, token },
        workspace: { name: workspace.name },
        agent,
        contact: await sessions.contact(session.contact_id),
        conversation: conversation ? { id: conversation.id, status: conversation.status } : null,
        available: await presence.available(workspace.id),
        team: await presence.team(workspace.id),
        booking: await services.bookings.offered(workspace.id),
        appearance: (workspace as { appearance?: object }).appearance ?? {},
        unread_count: await messages.unreadForVisitor(session),
        stream_cursor: await stream.cursor(workspace.id),
        resumed,
      };
    },
  });

  app.post('/identify', {
    preHandler: authenticate,
    schema: {
      body: identityBody,
      response: {
        200: {
          type: 'object',
          properties: {
            contact: widgetContact,
            verified: { type: 'boolean' },
            // true: the session now holds another person than before (not the same one enriched, nor an anonymous
            // visitor identified): the client drops everything of the previous one (chat, history, drafts, outbox).
            switched: { type: 'boolean' },
            conversation: { type: ['object', 'null'], properties: { id: { type: 'string' }, status: { type: 'string' } } },
            unread_count: { type: 'integer' },
          },
        },
      },
    },
    handler: async (request) => {
      const { session, workspace } = request.visitor!;
      const { contact, switched } = await identity.identify(session, workspace, request.body as IdentityInput);
      const updated = { ...session, contact_id: contact.id };
      const conversation = await conversations.current(updated);
      return { contact, verified: contact.verified, switched, conversation: conversation ? { id: conversation.id, status: conversation.status } : null, unread_count: await messages.unreadForVisitor(updated) };
    },
  });

  app.post('/identity-token', {
    preHandler: authenticate,
    schema: { response: { 200: { type: 'object', properties: { token: { type: ['string', 'null'] }, expires_in: { type: 'integer' } } } } },
    handler: (request) => identity.token(request.visitor!.session, request.visitor!.workspace),
  });

  app.get('/messages', {
    preHandler: authenticate,
    schema: {
      querystring: { type: 'object', additionalProperties: false, properties: { ...pageQuery, token: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { messages: { type: 'array', items: widgetMessage }, ...pageAnswer } } },
    },
    handler: (request) => messages.visitorHistory(request.visitor!.session, pageOf(request.query as PageParams)),
  });

  app.post('/messages', {
    preHandler: authenticate,
    config: perSessionPerMinute(messagesPerMinute),
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['client_id', 'content'],
        properties: { client_id: clientId, content, conversation_fields: { type: 'object', maxProperties: 50 } },
      },
      response: { 200: { type: 'object', properties: { message: widgetMessage } }, 201: { type: 'object', properties: { message: widgetMessage } } },
    },
    handler: async (request, reply) => {
      const body = request.body as { client_id: string; content: string; conversation_fields?: Record<string, unknown> };
      if (!body.content.trim()) throw new HttpError(400, 'invalid_request', 'body/content is empty');
      const { message, created } = await messages.visitor(request.visitor!.session, body);
      reply.status(created ? 201 : 200);
      return { message };
    },
  });

  app.post('/commands', {
    preHandler: authenticate,
    config: perSessionPerMinute(60),
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['command'], properties: { command: { type: 'string', minLength: 1, maxLength: 2000 } } },
      response: { 200: { type: 'object', properties: { applied: { type: 'string' } } } },
    },
    handler: async (request) => services.csCommands.apply(request.visitor!.session, (request.body as { command: string }).command),
  });

  app.post('/typing', {
    preHandler: authenticate,
    config: perSessionPerMinute(60),
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['typing'], properties: { typing: { type: 'boolean' } } },
      response: { 202: { type: 'object', properties: { delivered: { type: 'boolean' } } } },
    },
    handler: async (request, reply) => {
      reply.status(202);
      return { delivered: await messages.visitorTyping(request.visitor!.session, (request.body as { typing: boolean }).typing) };
    },
  });

  app.post('/read', {
    preHandler: authenticate,
    schema: { response: { 200: { type: 'object', properties: { unread_count: { type: 'integer' } } } } },
    handler: async (request) => {
      await messages.markReadByVisitor(request.visitor!.session);
      return { unread_count: 0 };
    },
  });

  app.get('/stream', {
    preHandler: authenticate,
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { token: { type: 'string' }, last_event_id: cursor } } },
    handler: async (request, reply) => {
      const { session, workspace } = request.visitor!;
      const after = lastEventId(request) ?? (await stream.cursor(workspace.id));
      await serveStream(stream.bus, request, reply, {
        after,
        heartbeatMs,
        ...stream.visitorFeed({ workspace_id: workspace.id, id: session.id, contact_id: session.contact_id }, () => sessions.currentContact(session.id)),
        serialize: (e) => visitorEvents[e.type as VisitorStreamEvent]?.(e.payload) ?? null,
      });
    },
  });

  app.post('/events', {
    preHandler: authenticate,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, data: { type: 'object', maxProperties: 50 } },
      },
      response: { 202: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    },
    handler: async (request, reply) => {
      const body = request.body as { name: string; data?: Record<string, unknown> };
      await sessions.track(request.visitor!.session, body.name, body.data);
      reply.status(202);
      return { ok: true };
    },
  });

  app.post('/presence', {
    preHandler: authenticate,
    schema: {
      body: { type: ['object', 'null'], additionalProperties: false, properties: { page_url: { type: 'string', maxLength: 2048 } } },
      response: { 200: { type: 'object', properties: { available: { type: 'boolean' } } } },
    },
    handler: async (request) => {
      const { session } = request.visitor!;
      await sessions.touch(session.id, (request.body as { page_url?: string } | null)?.page_url);
      return { available: await presence.available(session.workspace_id) };
    },
  });

  app.post('/csat', {
    preHandler: authenticate,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'score'],
        properties: {
          type: { type: 'string', enum: ['csat', 'nps'] },
          score: { type: 'integer' },
          comment: { type: 'string', maxLength: 2000 },
          conversation_id: { type: 'string', maxLength: 64 },
        },
      },
      response: { 201: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' }, score: { type: 'integer' } } } },
    },
    handler: async (request, reply) => {
      reply.status(201);
      return feedback.score(request.visitor!.session, request.body as never);
    },
  });
}
