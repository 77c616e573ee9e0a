import type { FastifyRequest } from 'fastify';
import { bearer } from './auth.js';

/** Per-minute limits of the routes that write (route `config` of @fastify/rate-limit). */
export const perMinute = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

/** A per-minute limit counted per visitor session (its bearer token), else per address. */
export const perSessionPerMinute = (max: number) => ({
  rateLimit: { max, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => bearer(request) ?? request.ip },
});

/** The defaults of buildApp's options. */
export const MESSAGES_PER_MINUTE = 120;
export const SESSIONS_PER_MINUTE = 60;
