import type { FastifyRequest } from 'fastify';
import type { Workspace } from '../domain/sessions.js';
import { HttpError } from './errors.js';

/** Whether the workspace allows the widget on this origin (no Origin header: not a browser's cross-origin call). */
export function originAllowed(workspace: Pick<Workspace, 'allowed_origins'>, origin: string | undefined): boolean {
  if (!origin) return true;
  return workspace.allowed_origins.includes('*') || workspace.allowed_origins.includes(origin);
}

/** A 403 when the request comes from an origin the workspace does not allow. */
export function refuseOrigin(workspace: Pick<Workspace, 'allowed_origins'>, request: FastifyRequest): void {
  if (!originAllowed(workspace, request.headers.origin)) {
    throw new HttpError(403, 'origin_not_allowed', `This workspace does not allow the widget on ${request.headers.origin}`);
  }
}
