import type { FastifyError, FastifyInstance } from 'fastify';

/** An error the client caused or may act on: answered as `{error: {code, message}}`. */
export class HttpError extends Error {
  /** More for the client, sent beside code and message (e.g. the next free slots). */
  extra?: Record<string, unknown>;
  constructor(readonly statusCode: number, readonly code: string, message: string, extra?: Record<string, unknown>) {
    super(message);
    if (extra) this.extra = extra;
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} was not found`);

/** Every error leaves as `{error: {code, message}}` that says what is wrong; internals never leave. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { statusCode?: number }, request, reply) => {
    if (error instanceof HttpError) {
      const fields = (error as HttpError & { fields?: Record<string, string> }).fields;
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message, ...(fields ? { fields } : {}), ...error.extra } });
    }
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      const detail = error.validation
        .map((v) => {
          const path = `${where}${v.instancePath || ''}`;
          if (v.keyword === 'additionalProperties') return `${path} has an unknown property "${(v.params as { additionalProperty: string }).additionalProperty}"`;
          if (v.keyword === 'required') return `${path} is missing "${(v.params as { missingProperty: string }).missingProperty}"`;
          return `${path} ${v.message}`;
        })
        .join('; ');
      return reply.status(400).send({ error: { code: 'invalid_request', message: detail } });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.status(400).send({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send({ error: { code: 'invalid_json', message: 'The request body is empty; send a JSON object' } });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({ error: { code: 'unsupported_media_type', message: 'Send the body as application/json' } });
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send({ error: { code: 'body_too_large', message: 'The request body is too large' } });
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return reply.status(400).send({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
    }
    if (error.statusCode === 429) {
      return reply.status(429).send({ error: { code: 'rate_limited', message: error.message } });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ error: { code: 'bad_request', message: error.message } });
    }
    request.log.error(error);
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong on the server; try again' } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
