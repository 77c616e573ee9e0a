import type { FastifyInstance, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import type { Chat } from '../chat.js';
import { HttpError } from '../errors.js';
import { sha256 } from '../identity.js';
import { agentContact, agentMessage, content, cursor } from '../schemas.js';
import { lastEventId, serveStream } from '../sse.js';

declare module 'fastify' {
  interface FastifyRequest {
    operator?: { workspaceId: string; agentId: string | null; agentName: string | null };
  }
}

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;

export async function agentRoutes(app: FastifyInstance, { chat, heartbeatMs }: { chat: Chat; heartbeatMs?: number }): Promise<void> {
  // The operator API authenticates by a bearer key, never by cookies, so any origin may call it (a dashboard of the site's own).
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'OPTIONS'], allowedHeaders: ['content-type', 'authorization', 'last-event-id'], maxAge: 600 });
  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (request.method === 'OPTIONS') return;
    const header = request.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : (request.query as { key?: string } | undefined)?.key;
    if (!key) throw new HttpError(401, 'missing_operator_key', 'Send the operator secret key as "Authorization: Bearer KEY"');
    const [row] = await chat.db.query(
      `select k.workspace_id, k.agent_id, a.name as agent_name from operator_keys k left join agents a on a.id = k.agent_id where k.key_hash = $1`,
      [sha256(key)],
    );
    if (!row) throw new HttpError(401, 'invalid_operator_key', 'The operator key is not known');
    request.operator = { workspaceId: row.workspace_id, agentId: row.agent_id, agentName: row.agent_name };
  });

  app.get('/me', {
    schema: { response: { 200: { type: 'object', properties: { workspace_id: { type: 'string' }, agent: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } }, available: { type: 'boolean' } } } } },
    handler: async (request) => {
      const op = request.operator!;
      return { workspace_id: op.workspaceId, agent: op.agentId ? { id: op.agentId, name: op.agentName } : null, available: await chat.available(op.workspaceId) };
    },
  });

  app.get('/conversations', {
    schema: {
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'string', pattern: '^[0-9]{1,3}$' }, key: { type: 'string' } } },
      response: {
        200: {
          type: 'object',
          properties: {
            conversations: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  status: { type: 'string' },
                  category: { type: ['string', 'null'] },
                  assignee_id: { type: ['string', 'null'] },
                  agent_id: { type: ['string', 'null'] },
                  unread_count: { type: 'integer' },
                  created_at: { type: 'string' },
                  updated_at: { type: 'string' },
                  last_message: { type: ['object', 'null'], properties: { content: { type: 'string' }, author: { type: 'string' }, internal: { type: 'boolean' } } },
                  contact: { type: ['object', 'null'], properties: { name: { type: ['string', 'null'] }, email: { type: ['string', 'null'] }, verified: { type: 'boolean' } } },
                },
              },
            },
          },
        },
      },
    },
    handler: async (request) => {
      const limit = Math.min(Number((request.query as { limit?: string }).limit ?? 100) || 100, 500);
      return { conversations: await chat.listConversations(request.operator!.workspaceId, limit) };
    },
  });

  app.get('/conversations/:id', {
    schema: {
      params: idParam,
      response: {
        200: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { type: 'string' },
            category: { type: ['string', 'null'] },
            variables: { type: 'object', additionalProperties: true },
            fields: { type: 'object', additionalProperties: true },
            form_id: { type: ['string', 'null'] },
            assignee_id: { type: ['string', 'null'] },
            agent_id: { type: ['string', 'null'] },
            contact: agentContact,
            session: { type: ['object', 'null'], properties: { id: { type: 'string' }, data: { type: 'object', additionalProperties: true }, segments: { type: 'array', items: { type: 'string' } }, page_url: { type: ['string', 'null'] } } },
            tickets: { type: 'array', items: { type: 'object', additionalProperties: true } },
            notifications: { type: 'array', items: { type: 'object', additionalProperties: true } },
            created_at: { type: 'string' },
            updated_at: { type: 'string' },
          },
        },
      },
    },
    handler: async (request) => chat.conversationDetail(request.operator!.workspaceId, (request.params as { id: string }).id),
  });

  app.get('/conversations/:id/messages', {
    schema: {
      params: idParam,
      querystring: { type: 'object', additionalProperties: false, properties: { after: cursor, limit: { type: 'string', pattern: '^[0-9]{1,4}$' }, key: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { messages: { type: 'array', items: agentMessage } } } },
    },
    handler: async (request) => {
      const q = request.query as { after?: string; limit?: string };
      const limit = Math.min(Number(q.limit ?? 500) || 500, 1000);
      return { messages: await chat.operatorHistory(request.operator!.workspaceId, (request.params as { id: string }).id, Number(q.after ?? 0), limit) };
    },
  });

  app.post('/conversations/:id/messages', {
    schema: {
      params: idParam,
      body: { type: 'object', additionalProperties: false, required: ['content'], properties: { content, internal: { type: 'boolean' } } },
      response: { 201: { type: 'object', properties: { message: agentMessage } } },
    },
    handler: async (request, reply) => {
      const op = request.operator!;
      const body = request.body as { content: string; internal?: boolean };
      if (!body.content.trim()) throw new HttpError(400, 'invalid_request', 'body/content is empty');
      const message = await chat.operatorMessage(op.workspaceId, (request.params as { id: string }).id, { id: op.agentId, name: op.agentName }, body);
      reply.status(201);
      return { message };
    },
  });

  const conversationUpdate = { 200: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, assignee_id: { type: ['string', 'null'] } } } };

  app.post('/conversations/:id/assign', {
    schema: {
      params: idParam,
      body: { type: 'object', additionalProperties: false, required: ['assignee_id'], properties: { assignee_id: { type: ['string', 'null'], maxLength: 64 } } },
      response: conversationUpdate,
    },
    handler: async (request) =>
      chat.updateConversation(request.operator!.workspaceId, (request.params as { id: string }).id, { assignee_id: (request.body as { assignee_id: string | null }).assignee_id }),
  });

  app.post('/conversations/:id/status', {
    schema: {
      params: idParam,
      body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: ['open', 'pending', 'closed'] } } },
      response: conversationUpdate,
    },
    handler: async (request) =>
      chat.updateConversation(request.operator!.workspaceId, (request.params as { id: string }).id, { status: (request.body as { status: string }).status }),
  });

  app.post('/conversations/:id/read', {
    schema: { params: idParam, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
    handler: async (request) => {
      await chat.markReadByOperator(request.operator!.workspaceId, (request.params as { id: string }).id);
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
      return { available: await chat.agentPresence(op.workspaceId, op.agentId, (request.body as { online: boolean }).online) };
    },
  });

  app.get('/stream', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { key: { type: 'string' }, last_event_id: cursor } } },
    handler: async (request, reply) => {
      const op = request.operator!;
      // An open inbox is an operator online.
      if (op.agentId) await chat.agentPresence(op.workspaceId, op.agentId, true);
      const after = lastEventId(request) ?? (await chat.streamCursor(op.workspaceId));
      const beat = op.agentId ? setInterval(() => void chat.agentPresence(op.workspaceId, op.agentId!, true).catch(() => {}), 30_000) : null;
      await serveStream(chat.bus, request, reply, {
        after,
        heartbeatMs,
        backlog: (from) => chat.backlog({ workspaceId: op.workspaceId, after: from }),
        matches: (e) => e.operator && e.workspace_id === op.workspaceId,
        serialize: (e) => JSON.stringify({ ...e.payload, conversation_id: e.conversation_id }),
        onClose: () => {
          if (beat) clearInterval(beat);
          if (op.agentId) void chat.agentPresence(op.workspaceId, op.agentId, false).catch(() => {});
        },
      });
    },
  });
}
