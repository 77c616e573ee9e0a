import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import type { NewOperator, WorkspaceChange } from '../domain/admin.js';
import { MAX_GRACE_HOURS } from '../domain/admin.js';
import type { AiModelInput } from '../domain/ai/settings.js';
import { ModelError } from '../domain/ai/model.js';
import { HttpError } from '../http/errors.js';
import { idParams } from '../http/schemas.js';

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;

const workspace = {
  type: 'object',
  properties: {
    id: str, name: str, public_key: strOrNull,
    allowed_origins: { type: 'array', items: str },
    require_verification: { type: 'boolean' },
    languages: { type: 'array', items: str },
    business_hours: { type: 'object', additionalProperties: { type: 'array', items: { type: 'array', items: str } } },
    time_zone: str,
    previous_identity_secret_until: strOrNull,
    created_at: str,
  },
} as const;

const operator = {
  type: 'object',
  properties: { id: str, name: str, email: strOrNull, avatar_url: strOrNull, role: str, created_at: str },
} as const;

/**
 * The workspace and its operators, for an admin operator (registered inside the
 * operator API, under /api/agent, behind its key check). Operator keys and the
 * identity secret are answered once, by the request that makes them; nothing
 * else returns them. The domain (server/domain/admin.ts) is the CLI's too.
 */
export async function adminRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { admin } = services;

  app.addHook('preHandler', async (request) => {
    if (request.method === 'OPTIONS') return;
    if (request.operator?.role !== 'admin') {
      throw new HttpError(403, 'forbidden', 'Only an admin of the workspace may manage it and its operators; ask an admin, or use the admin CLI');
    }
  });

  // ---- the AI agent's model: the key goes in, never out ----
  const aiModel = {
    type: 'object',
    properties: {
      provider: str, base_url: str, model: str, key_set: { type: 'boolean' }, enabled: { type: 'boolean' },
      max_answer_tokens: { type: 'integer' }, visitor_requests_per_hour: { type: 'integer' }, workspace_tokens_per_day: { type: 'integer' },
      embedding_model: strOrNull, embedding_base_url: strOrNull, embedding_key_set: { type: 'boolean' }, min_similarity: { type: 'number' },
    },
  } as const;
  const indexReport = {
    type: 'object',
    properties: { vectors: { type: 'boolean' }, model: strOrNull, chunks: { type: 'integer' }, embedded: { type: 'integer' }, added: { type: 'integer' } },
  } as const;
  app.get('/ai', {
    schema: { response: { 200: { type: 'object', properties: { model: { ...aiModel, type: ['object', 'null'] } } } } },
    handler: async (request) => ({ model: await services.ai.get(request.operator!.workspaceId) }),
  });
  app.put('/ai', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['provider', 'base_url', 'model'],
        properties: {
          provider: { type: 'string', enum: ['openai', 'anthropic'] },
          base_url: { type: 'string', minLength: 1, maxLength: 500 },
          model: { type: 'string', minLength: 1, maxLength: 200 },
          api_key: { type: ['string', 'null'], minLength: 1, maxLength: 500 },
          enabled: { type: 'boolean' },
          max_answer_tokens: { type: 'integer', minimum: 16, maximum: 8192 },
          visitor_requests_per_hour: { type: 'integer', minimum: 1, maximum: 10000 },
          workspace_tokens_per_day: { type: 'integer', minimum: 1000, maximum: 100000000 },
          embedding_model: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
          embedding_base_url: { type: ['string', 'null'], minLength: 1, maxLength: 500 },
          embedding_api_key: { type: ['string', 'null'], minLength: 1, maxLength: 500 },
          min_similarity: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        },
      },
      response: { 200: { type: 'object', properties: { model: aiModel } } },
    },
    handler: async (request) => {
      const model = await services.ai.set(request.operator!.workspaceId, request.body as AiModelInput);
      // The help center embedded with the new model, in the background (POST /ai/index waits for it).
      services.knowledge.schedule(request.operator!.workspaceId);
      return { model };
    },
  });
  app.get('/ai/index', {
    schema: { response: { 200: { type: 'object', properties: { index: indexReport } } } },
    handler: async (request) => ({ index: await services.knowledge.status(request.operator!.workspaceId) }),
  });
  // What the agent would answer from, for a question: to try the help center (and the evaluation's ranking).
  app.post('/ai/search', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['q'],
        properties: {
          q: { type: 'string', minLength: 1, maxLength: 1000 },
          lang: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' },
          mode: { type: 'string', enum: ['hybrid', 'fulltext'] },
          limit: { type: 'integer', minimum: 1, maximum: 20 },
          unfiltered: { type: 'boolean' },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            sources: {
              type: 'array',
              items: {
                type: 'object',
                properties: { n: { type: 'integer' }, title: str, slug: str, locale: str, heading: strOrNull, text: str, rank: { type: 'number' }, similarity: { type: ['number', 'null'] } },
              },
            },
          },
        },
      },
    },
    handler: async (request) => {
      const { q, lang, mode, limit, unfiltered } = request.body as { q: string; lang?: string; mode?: 'hybrid' | 'fulltext'; limit?: number; unfiltered?: boolean };
      return { sources: await services.knowledge.retrieve(request.operator!.workspaceId, q, lang ?? 'en', { mode, limit, unfiltered }) };
    },
  });
  app.post('/ai/index', {
    schema: { response: { 200: { type: 'object', properties: { index: indexReport } } } },
    handler: async (request) => {
      try {
        return { index: await services.knowledge.index(request.operator!.workspaceId) };
      } catch (error) {
        if (!(error instanceof ModelError)) throw error;
        throw new HttpError(502, error.code, `The help center could not be embedded: ${error.message}`);
      }
    },
  });
  app.delete('/ai', {
    schema: { response: { 200: { type: 'object', properties: { removed: { type: 'boolean' } } } } },
    handler: async (request) => {
      await services.ai.remove(request.operator!.workspaceId);
      return { removed: true };
    },
  });
  app.post('/ai/test', {
    schema: {
      response: {
        200: {
          type: 'object',
          properties: { ok: { type: 'boolean' }, sample: str, first_token_ms: { type: 'integer' }, error: { type: 'object', properties: { code: str, message: str } } },
        },
      },
    },
    handler: (request) => services.ai.test(request.operator!.workspaceId),
  });

  app.get('/workspace', {
    schema: { response: { 200: { type: 'object', properties: { workspace } } } },
    handler: async (request) => ({ workspace: await admin.workspace(request.operator!.workspaceId) }),
  });

  app.patch('/workspace', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          allowed_origins: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 300 } },
          require_verification: { type: 'boolean' },
          languages: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', maxLength: 35 } },
        },
      },
      response: { 200: { type: 'object', properties: { workspace } } },
    },
    handler: async (request) => {
      const change = request.body as WorkspaceChange;
      return { workspace: await bodyErrors(() => admin.updateWorkspace(request.operator!.workspaceId, change)) };
    },
  });

  app.get('/operators', {
    schema: { response: { 200: { type: 'object', properties: { operators: { type: 'array', items: operator } } } } },
    handler: async (request) => ({ operators: await admin.operators(request.operator!.workspaceId) }),
  });

  const withKey = { type: 'object', properties: { operator, key: str } } as const;

  app.post('/operators', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          email: { type: ['string', 'null'], maxLength: 320 },
          avatar_url: { type: ['string', 'null'], maxLength: 2048 },
          role: { type: 'string', enum: ['admin', 'agent'] },
        },
      },
      response: { 201: withKey },
    },
    handler: async (request, reply) => {
      const added = await bodyErrors(() => admin.addOperator(request.operator!.workspaceId, request.body as NewOperator));
      reply.status(201);
      return added;
    },
  });

  app.delete('/operators/:id', {
    schema: { params: idParams, response: { 200: { type: 'object', properties: { removed: operator } } } },
    handler: async (request) => ({ removed: await admin.removeOperator(request.operator!.workspaceId, (request.params as { id: string }).id) }),
  });

  app.post('/operators/:id/key', {
    schema: { params: idParams, response: { 200: withKey } },
    handler: (request) => admin.rotateOperatorKey(request.operator!.workspaceId, (request.params as { id: string }).id),
  });

  app.post('/identity-secret', {
    schema: {
      body: { type: 'object', additionalProperties: false, properties: { grace_hours: { type: 'number', minimum: 0, maximum: MAX_GRACE_HOURS } } },
      response: { 200: { type: 'object', properties: { identity_secret: str, previous_valid_until: strOrNull } } },
    },
    handler: (request) => admin.rotateIdentitySecret(request.operator!.workspaceId, (request.body as { grace_hours?: number } | undefined)?.grace_hours),
  });
}

/** The domain's checks name a field ("allowed_origins/1 ..."); the API says where it was: "body/allowed_origins/1 ...". */
async function bodyErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 400) throw new HttpError(400, error.code, `body/${error.message}`);
    throw error;
  }
}
