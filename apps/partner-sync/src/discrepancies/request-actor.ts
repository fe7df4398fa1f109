import type { FastifyRequest } from "fastify";

/**
 * The actor of a review event: the verified caller's subject (domain.md §9: a request body never
 * names it). Every route that calls this declares a role, so the auth plugin has set the principal.
 */
export function requestActor(request: FastifyRequest): string {
  return request.principal.subject;
}
