import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** How long a browser or CDN may keep a stable entry file (widget.js, chat-widget.js, ...) before asking again (ETag). */
export const ENTRY_MAX_AGE = 300;

/**
 * The headers every file under /dist/ leaves with, so that a page of any origin can load it:
 * module scripts and their chunks are CORS requests, and pages with COEP need CORP.
 * A CDN or static host that serves a copy of dist/ must send the same (README, "Hosting dist/ elsewhere").
 */
export function distHeaders(reply: { header(name: string, value: string): unknown }, file: string): void {
  reply.header('access-control-allow-origin', '*');
  reply.header('cross-origin-resource-policy', 'cross-origin');
  reply.header('x-content-type-options', 'nosniff');
  // Every file has brotli and gzip variants: caches must key on the encoding asked for.
  reply.header('vary', 'accept-encoding');
  // Content-hashed chunks never change under their name; the entry files do, at each release.
  const hashed = /[\\/](chunks|lib)[\\/]/.test(file);
  reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : `public, max-age=${ENTRY_MAX_AGE}`);
}

/**
 * Serves the built widget: brotli or gzip as the request's Accept-Encoding allows (files
 * precompressed by the build, scripts/precompress.mjs), an ETag on every file.
 */
export async function serveDist(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    prefix: '/dist/',
    decorateReply: false,
    preCompressed: true,
    cacheControl: false,
    etag: true,
    lastModified: true,
    // @fastify/static 9 hands the raw response (setHeader), not Fastify's reply.
    setHeaders: (res, file) => distHeaders({ header: (name, value) => res.setHeader(name, value) }, file),
  });
  // A preflight is never needed for a script, but a fetch() of a chunk or the manifest with headers may ask.
  app.options('/dist/*', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*').header('access-control-allow-methods', 'GET, HEAD').header('access-control-max-age', '86400').status(204);
  });
}
