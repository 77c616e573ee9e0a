import type { FastifyRequest } from 'fastify';
import { sha256 } from '../domain/identity.js';
import type { Operator, Session, Sessions, Workspace } from '../domain/sessions.js';
import { HttpError } from './errors.js';
import { refuseOrigin } from './origins.js';

declare module 'fastify' {
  interface FastifyRequest {
    visitor?: { session: Session; workspace: Workspace };
    operator?: Operator;
  }
}

export type Authenticate = (request: FastifyRequest) => Promise<void>;

/** The token of "Authorization: Bearer TOKEN", else the query parameter `name` (EventSource cannot send headers). */
export function bearer(request: FastifyRequest, name = 'token'): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return (request.query as Record<string, string | undefined> | undefined)?.[name] ?? null;
}

/** A visitor route's preHandler: the session of the bearer token, from an origin its workspace allows; sets request.visitor. */
export function visitorAuth(sessions: Sessions): Authenticate {
  return async (request) => {
    const token = bearer(request);
    if (!token) throw new HttpError(401, 'missing_session', 'Send the session token as "Authorization: Bearer TOKEN" (from POST /api/widget/sessions)');
    const found = await sessions.byToken(sha256(token));
    refuseOrigin(found.workspace, request);
    request.visitor = found;
  };
}

/** The operator API's preHandler: the workspace and agent of the bearer key (or `?key=`); sets request.operator. */
export function operatorAuth(sessions: Sessions): Authenticate {
  return async (request) => {
    if (request.method === 'OPTIONS') return;
    const key = bearer(request, 'key');
    if (!key) throw new HttpError(401, 'missing_operator_key', 'Send the operator secret key as "Authorization: Bearer KEY"');
    request.operator = await sessions.operatorByKey(sha256(key));
  };
}
