import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
// The longest file name accepted (characters), as on common file systems.
import { MAX_FILE_NAME_LENGTH as MAX_FILE_NAME } from '../../src/protocol/limits.js';

/**
 * Bad bytes refused in one place, for every route: a NUL character or an
 * unpaired UTF-16 surrogate in any string of a JSON body (values and keys, at
 * any depth), of the query string or of the path parameters is answered 400
 * `{error: {code: 'invalid_request', message: 'body/content contains a NUL
 * character'}}` before any handler runs, so nothing is stored. A URL that is
 * not valid percent-encoded UTF-8 is answered the same way (`invalid_url`).
 * Multipart uploads are read in the handler: `checkUpload` holds them to the
 * same rules and caps file names at MAX_FILE_NAME characters.
 *
 * Register with `installInputChecks(app)` before the routes, and give Fastify
 * `frameworkErrors` from here.
 */


const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` may not be stored, or null. */
export function badText(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired surrogate';
  return null;
}

/** A path segment as it can be shown in a message: its bad characters escaped, at most 60 characters. */
function shown(segment: string): string {
  const safe = segment.replace(/[\u0000-\u001f\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return safe.length > 60 ? `${safe.slice(0, 57)}...` : safe;
}

/**
 * The first bad string in a parsed value, as a message that says where
 * ("body/fields/0/name contains a NUL character"), or null. Walks without
 * recursion, so any depth JSON.parse accepts is fine.
 */
export function findBadText(value: unknown, where: string): string | null {
  const stack: [unknown, string][] = [[value, where]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const why = badText(v);
      if (why) return `${path} ${why}`;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}/${i}`]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const why = badText(key);
        if (why) return `a key of ${path} (${shown(key)}) ${why}`;
        stack.push([child, `${path}/${shown(key)}`]);
      }
    }
  }
  return null;
}

const refuse = (message: string) => new HttpError(400, 'invalid_request', message);

/** Records the routes it guards, for whoever wants to list them (the tests). */
export interface GuardedRoute {
  method: string;
  url: string;
  schema: { body?: unknown; querystring?: unknown; params?: unknown } | undefined;
}
const guarded = new WeakMap<FastifyInstance, GuardedRoute[]>();

/** Every route registered after installInputChecks, with its method(s) and schema. */
export function guardedRoutes(app: FastifyInstance): GuardedRoute[] {
  return guarded.get(app) ?? [];
}

export function installInputChecks(app: FastifyInstance): void {
  // JSON bodies: Fastify's own parser (same errors, same prototype-poisoning rules), then the walk.
  const parseJson = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (error: Error | null, value?: unknown) => {
      if (error) return done(error as FastifyError, undefined);
      const bad = findBadText(value, 'body');
      if (bad) return done(refuse(bad) as unknown as FastifyError, undefined);
      done(null, value);
    });
  });
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    const why = badText(body as string);
    if (why) return done(refuse(`body ${why}`) as unknown as FastifyError, undefined);
    done(null, body);
  });

  // Path parameters and the query string: after CORS (onRequest) so that a page reads the answer, before validation and handlers.
  app.addHook('preValidation', async (request) => {
    const bad = findBadText(request.params, 'params') ?? findBadText(request.query, 'querystring');
    if (bad) throw refuse(bad);
  });

  const routes: GuardedRoute[] = [];
  guarded.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, schema: route.schema as GuardedRoute['schema'] });
  });
}

/**
 * Fastify's `frameworkErrors`: what it finds before any route runs (a URL that
 * is not valid percent-encoded UTF-8, a path parameter too long) answered as
 * `{error: {code, message}}` like every other error.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // No route ran, so no CORS hook either: let the page read why.
  const origin = request.headers.origin;
  if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  const path = shown(request.url.split('?')[0] ?? '');
  if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send({ error: { code: 'invalid_url', message: `The URL path ${path} is not valid percent-encoded UTF-8` } });
  } else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send({ error: { code: 'uri_too_long', message: 'A path parameter of the URL is too long' } });
  } else {
    request.log.error(error);
    void reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong on the server; try again' } });
  }
}

/** A multipart part (file or field) held to the same rules; file names at most MAX_FILE_NAME characters. */
export function checkUpload(part: { fieldname: string; filename?: string; fields?: Record<string, unknown> }): void {
  const fields = Object.values(part.fields ?? {}).flat() as { type?: string; fieldname?: string; value?: unknown }[];
  for (const field of fields) {
    const name = field.fieldname ?? '';
    const why = badText(name);
    if (why) throw refuse(`a multipart field name (${shown(name)}) ${why}`);
    if (field.type === 'field' && typeof field.value === 'string') {
      const bad = badText(field.value);
      if (bad) throw refuse(`multipart field ${shown(name)} ${bad}`);
    }
  }
  if (part.filename !== undefined) {
    const why = badText(part.filename);
    if (why) throw refuse(`The file name ${why}`);
    if ([...part.filename].length > MAX_FILE_NAME) throw refuse(`The file name is too long: at most ${MAX_FILE_NAME} characters are accepted; rename the file`);
  }
}
