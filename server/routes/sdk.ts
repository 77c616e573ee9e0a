import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Services } from '../app.js';
import type { ChatStatus } from '../domain/chats.js';
import type { Authenticate } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { checkUpload } from '../http/input.js';
import { perMinute } from '../http/rate-limits.js';
import { clientId, content, idParams, lang, langQuery, menuId, pageAnswer, pageOf, pageQuery, widgetMessage, type PageParams } from '../http/schemas.js';

/** The headless SDK's routes, in the widget scope (same authentication, CORS and boundary). */
export interface SdkRouteOptions {
  services: Services;
  authenticate: Authenticate;
}

const chat = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    menu_id: { type: ['integer', 'null'] },
    lang: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    assigned_at: { type: ['string', 'null'] },
    finished_at: { type: ['string', 'null'] },
    agent: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
    rating: { type: ['integer', 'null'] },
  },
} as const;
const chatOrNull = { ...chat, type: ['object', 'null'] } as const;

export async function sdkRoutes(app: FastifyInstance, { services, authenticate }: SdkRouteOptions): Promise<void> {
  const { company, chats, files, content: help, feedback, email } = services;
  await app.register(multipart, { limits: { fileSize: 25 * 1024 * 1024, files: 1, fields: 5 } });
  const visitor = (request: FastifyRequest) => request.visitor!;
  const ws = (request: FastifyRequest) => request.visitor!.workspace.id;

  app.get('/company', {
    preHandler: authenticate,
    schema: {
      response: {
        200: {
          type: 'object',
          properties: {
            name: { type: 'string' }, subdomain: { type: 'string' }, support_email: { type: 'string' },
            languages: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } } },
            action_tracking: { type: 'boolean' }, email_transcripts: { type: 'boolean' }, message_preview: { type: 'boolean' }, email_enhancement: { type: 'boolean' },
          },
        },
      },
    },
    handler: (request) => company.company(ws(request)),
  });

  app.get('/after-hours', {
    preHandler: authenticate,
    schema: { querystring: langQuery, response: { 200: { type: 'object', properties: { open: { type: 'boolean' }, message: { type: ['string', 'null'] } } } } },
    handler: (request) => company.afterHours(ws(request), (request.query as { lang?: string }).lang ?? 'en'),
  });

  const menuItem: Record<string, unknown> = {
    type: 'object',
    properties: {
      id: { type: 'integer' }, name: { type: 'string' }, enabled: { type: 'boolean' },
      redirection: { type: 'object', properties: { option: { type: 'string' }, data: { type: 'string' } } },
      channels: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, enabled: { type: 'boolean' } } } },
      deflection: { type: 'object', properties: { enabled: { type: 'boolean' }, type: { type: 'string' } } },
      children: { type: 'array', items: { $ref: 'menuItem#' } },
    },
  };
  app.addSchema({ $id: 'menuItem', ...menuItem });
  app.get('/menus', {
    preHandler: authenticate,
    schema: {
      querystring: { type: 'object', additionalProperties: false, properties: { key: { type: 'string', maxLength: 100 }, lang, token: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { menus: { type: 'array', items: { $ref: 'menuItem#' } }, direct: { type: 'object', properties: { key: { type: 'boolean' }, user: { type: 'boolean' } } } } } },
    },
    handler: (request) => {
      const q = request.query as { key?: string; lang?: string };
      return company.menus(ws(request), visitor(request).session, q.key, q.lang ?? 'en');
    },
  });

  app.get('/menus/:id/wait-times', {
    preHandler: authenticate,
    schema: {
      params: idParams,
      response: { 200: { type: 'object', properties: { chat: { type: ['integer', 'null'] }, voice_call: { type: ['integer', 'null'] }, queued: { type: 'integer' }, operators_online: { type: 'integer' } } } },
    },
    handler: (request) => company.waitTimes(ws(request), (request.params as { id: string }).id),
  });

  app.get('/file-types', {
    preHandler: authenticate,
    schema: { response: { 200: { type: 'object', properties: { prohibited: { type: 'array', items: { type: 'string' } }, max_bytes: { type: 'integer' } } } } },
    handler: (request) => files.rules(ws(request)),
  });

  app.get('/trigger', {
    preHandler: authenticate,
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        required: ['url'],
        properties: { url: { type: 'string', maxLength: 2048 }, seconds: { type: 'string', pattern: '^[0-9]{1,7}$' }, visits: { type: 'string', pattern: '^[0-9]{1,7}$' }, lang, token: { type: 'string' } },
      },
      response: { 200: { type: 'object', properties: { trigger: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' }, message: { type: 'string' }, delay_seconds: { type: 'integer' } } } } } },
    },
    handler: async (request) => {
      const q = request.query as { url: string; seconds?: string; visits?: string; lang?: string };
      return { trigger: await help.trigger(ws(request), { url: q.url, seconds: Number(q.seconds ?? 0), visits: Number(q.visits ?? 1) }, q.lang ?? 'en') };
    },
  });

  // ---- chats ----

  app.post('/chats', {
    preHandler: authenticate,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['menu_id', 'lang'],
        properties: {
          menu_id: menuId, lang,
          trigger_id: { type: ['string', 'integer'], maxLength: 64 },
          ticket_id: { type: 'string', maxLength: 64 },
          email: { type: 'string', format: 'email', maxLength: 320 },
          greeting: { type: 'string', minLength: 1, maxLength: 10_000 },
          cobrowsable: { type: 'boolean' },
          custom_data: { type: 'object', maxProperties: 50 },
        },
      },
      response: { 201: chat },
    },
    handler: async (request, reply) => {
      reply.status(201);
      return chats.create(visitor(request).session, request.body as never);
    },
  });

  app.get('/chats/ongoing', {
    preHandler: authenticate,
    schema: { response: { 200: { type: 'object', properties: { chat: chatOrNull } } } },
    handler: async (request) => ({ chat: await chats.ongoing(visitor(request).session) }),
  });

  app.get('/chats/:id', {
    preHandler: authenticate,
    schema: { params: idParams, response: { 200: chat } },
    handler: async (request) => chats.get(visitor(request).session, (request.params as { id: string }).id),
  });

  const move = (path: string, from: ChatStatus[], to: ChatStatus | 'previous', verb: string, method: 'post' | 'delete' = 'post') =>
    app[method](path, {
      preHandler: authenticate,
      schema: { params: idParams, response: { 200: chat } },
      handler: (request: FastifyRequest) => chats.transition(visitor(request).session, (request.params as { id: string }).id, from, to, verb),
    });
  move('/chats/:id/resume', ['dismissed'], 'previous', 'resume');
  move('/chats/:id/escalate', ['va_assigned'], 'queued', 'escalate');
  move('/chats/:id/finish', ['va_assigned', 'queued', 'assigned'], 'finished', 'finish');
  move('/chats/:id', ['va_assigned', 'queued', 'assigned'], 'dismissed', 'dismiss', 'delete');

  app.get('/chats/:id/deflection', {
    preHandler: authenticate,
    schema: { params: idParams, response: { 200: { type: 'object', properties: { deflection: { type: ['object', 'null'], properties: { enabled: { type: 'boolean' }, threshold: { type: 'number' }, keep_waiting: { type: 'boolean' } } } } } } },
    handler: async (request) => ({ deflection: await chats.deflection(visitor(request).session, (request.params as { id: string }).id) }),
  });

  app.get('/chats/:id/messages', {
    preHandler: authenticate,
    schema: {
      params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { ...pageQuery, token: { type: 'string' } } },
      response: { 200: { type: 'object', properties: { messages: { type: 'array', items: widgetMessage }, ...pageAnswer } } },
    },
    handler: (request) => chats.history(visitor(request).session, (request.params as { id: string }).id, pageOf(request.query as PageParams)),
  });

  app.post('/chats/:id/messages', {
    preHandler: authenticate,
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['client_id', 'content'], properties: { client_id: clientId, content } },
      response: { 200: { type: 'object', properties: { message: widgetMessage } }, 201: { type: 'object', properties: { message: widgetMessage } } },
    },
    handler: async (request, reply) => {
      const body = request.body as { client_id: string; content: string };
      if (!body.content.trim()) throw new HttpError(400, 'invalid_request', 'body/content is empty');
      const { message, created } = await chats.says(visitor(request).session, (request.params as { id: string }).id, body.content, body.client_id);
      reply.status(created ? 201 : 200);
      return { message };
    },
  });

  /** One multipart file: checked against the workspace's rules before it is stored. */
  const readUpload = async (request: FastifyRequest) => {
    if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', 'Send the file as multipart/form-data in a field named "file"');
    const part = await request.file();
    if (!part) throw new HttpError(400, 'invalid_request', 'No file in the request; send it in a field named "file"');
    checkUpload(part);
    await files.check(ws(request), part.filename, 0).catch((e: HttpError) => {
      if (e.code !== 'empty_file') throw e;
    });
    const bytes = await part.toBuffer().catch(() => {
      throw new HttpError(413, 'file_too_large', 'The file is larger than the server accepts');
    });
    return { name: part.filename, mime: part.mimetype, bytes };
  };

  const attachment = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, mime: { type: 'string' }, size: { type: 'integer' } } };

  // The visitor's Stop: the answer being written ends here, what it had said kept.
  app.post('/chats/:id/ai/stop', {
    preHandler: authenticate,
    schema: { params: idParams, response: { 200: { type: 'object', properties: { stopped: { type: 'boolean' } } } } },
    handler: async (request) => ({ stopped: await services.aiAgent.stop(visitor(request).session, (request.params as { id: string }).id) }),
  });

  app.post('/chats/:id/files', {
    preHandler: authenticate,
    schema: { params: idParams, response: { 201: { type: 'object', properties: { message: widgetMessage } } } },
    handler: async (request, reply) => {
      const { message } = await chats.sendFile(visitor(request).session, (request.params as { id: string }).id, () => readUpload(request));
      reply.status(201);
      return { message };
    },
  });

  app.post('/files', {
    preHandler: authenticate,
    schema: { response: { 201: attachment } },
    handler: async (request, reply) => {
      const file = await files.store(visitor(request).session, null, await readUpload(request));
      reply.status(201);
      return file;
    },
  });

  app.get('/files/:id', {
    preHandler: authenticate,
    schema: { params: idParams, querystring: { type: 'object', properties: { token: { type: 'string' } } } },
    handler: async (request, reply: FastifyReply) => {
      const f = await files.file((request.params as { id: string }).id, { session: visitor(request).session });
      return sendFile(reply, f as { name: string; mime: string; bytes: Buffer });
    },
  });

  // ---- after a chat ----

  app.post('/chats/:id/rate', {
    preHandler: authenticate,
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['rating'], properties: { rating: { type: 'integer', minimum: 1, maximum: 5 }, feedback: { type: 'string', maxLength: 2000 } } },
      response: { 200: { type: 'object', properties: { rating: { type: 'integer' }, feedback: { type: ['string', 'null'] } } } },
    },
    handler: (request) => {
      const body = request.body as { rating: number; feedback?: string };
      return feedback.rate(visitor(request).session, (request.params as { id: string }).id, body.rating, body.feedback);
    },
  });

  const question = { type: 'object', properties: { id: { type: 'integer' }, type: { type: 'string' }, display_text: { type: 'string' }, valid_answers: { type: 'array' } } };
  app.get('/survey', {
    preHandler: authenticate,
    schema: { querystring: langQuery, response: { 200: { type: 'object', properties: { sign_off_display_text: { type: 'string' }, questions: { type: 'array', items: question } } } } },
    handler: (request) => feedback.survey(ws(request), (request.query as { lang?: string }).lang ?? 'en'),
  });

  app.post('/chats/:id/survey', {
    preHandler: authenticate,
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['answers'], properties: { answers: { type: 'object', maxProperties: 50, propertyNames: { pattern: '^[0-9]{1,15}$' }, additionalProperties: { type: ['string', 'number'] } } } },
      response: { 200: { type: 'object', properties: { answered: { type: 'integer' } } } },
    },
    handler: (request) => feedback.answerSurvey(visitor(request).session, (request.params as { id: string }).id, (request.body as { answers: Record<string, unknown> }).answers),
  });

  app.post('/chats/:id/transcripts', {
    preHandler: authenticate,
    config: perMinute(10),
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['emails'], properties: { emails: { type: 'array', minItems: 1, maxItems: 5, items: { type: 'string', maxLength: 320 } } } },
      response: { 202: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } } },
    },
    handler: async (request, reply) => {
      reply.status(202);
      return email.transcript(visitor(request).session, (request.params as { id: string }).id, (request.body as { emails: string[] }).emails);
    },
  });

  app.post('/emails', {
    preHandler: authenticate,
    config: perMinute(10),
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['email', 'content', 'menu_id', 'lang'],
        properties: {
          name: { type: 'string', maxLength: 255 }, email: { type: 'string', maxLength: 320 }, content, menu_id: menuId, lang,
          file_ids: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 64 } },
          recaptcha: { type: 'string', maxLength: 4096 },
        },
      },
      response: { 201: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } } },
    },
    handler: async (request, reply) => {
      reply.status(201);
      return email.create(visitor(request).session, request.body as never);
    },
  });
}

/** Sends a stored file as a download (never rendered inline, whatever its type). */
export function sendFile(reply: FastifyReply, f: { name: string; mime: string; bytes: Buffer | Uint8Array }) {
  reply
    .header('content-type', f.mime)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`)
    .header('x-content-type-options', 'nosniff');
  return reply.send(Buffer.from(f.bytes));
}
