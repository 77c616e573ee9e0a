import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import type { CannedInput } from '../domain/canned.js';

/**
 * What a team working in the inbox shares (issue 18): its operators (who is online, to assign to) and
 * the workspace's canned replies (listed, created, changed with PATCH, deleted).
 */
const cannedId = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^can_[a-f0-9]{32}$' } } } as const;
const cannedFields = {
  shortcut: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' },
  content: { type: 'string', minLength: 1, maxLength: 5000, pattern: '\\S' },
} as const;
const canned = { type: 'object', properties: { id: { type: 'string' }, shortcut: { type: 'string' }, content: { type: 'string' } } } as const;
const operator = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, avatar_url: { type: ['string', 'null'] }, role: { type: 'string' }, online: { type: 'boolean' } },
} as const;

export async function agentTeamRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { presence, canned: replies } = services;

  app.get('/team', {
    schema: { response: { 200: { type: 'object', properties: { operators: { type: 'array', items: operator } } } } },
    handler: async (request) => ({ operators: await presence.operators(request.operator!.workspaceId) }),
  });

  app.get('/canned-replies', {
    schema: { response: { 200: { type: 'object', properties: { canned_replies: { type: 'array', items: canned } } } } },
    handler: async (request) => ({ canned_replies: await replies.list(request.operator!.workspaceId) }),
  });

  app.post('/canned-replies', {
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['shortcut', 'content'], properties: cannedFields },
      response: { 201: { type: 'object', properties: { canned_reply: canned } } },
    },
    handler: async (request, reply) => {
      reply.status(201);
      return { canned_reply: await replies.create(request.operator!.workspaceId, request.body as CannedInput) };
    },
  });

  app.patch('/canned-replies/:id', {
    schema: {
      params: cannedId,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: cannedFields },
      response: { 200: { type: 'object', properties: { canned_reply: canned } } },
    },
    handler: async (request) => ({
      canned_reply: await replies.update(request.operator!.workspaceId, (request.params as { id: string }).id, request.body as Partial<CannedInput>),
    }),
  });

  app.delete('/canned-replies/:id', {
    schema: { params: cannedId, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
    handler: async (request) => {
      await replies.remove(request.operator!.workspaceId, (request.params as { id: string }).id);
      return { ok: true };
    },
  });
}
