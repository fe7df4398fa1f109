import {
  type AuthenticatedPrincipal,
  InsufficientRoleError,
  type Role,
  roleSatisfies,
} from "@smartrecover/service-kit";
import type { FastifyRequest } from "fastify";

/**
 * The verified caller, set by the auth plugin. An app built without authentication has no caller,
 * so routes that need one refuse to guess.
 */
export function requestPrincipal(request: FastifyRequest): AuthenticatedPrincipal {
  const principal = (request as { principal?: AuthenticatedPrincipal }).principal;
  if (!principal) throw new Error("no authenticated caller: this app was built without authentication");
  return principal;
}

/** The caller's subject: the actor of every review event (domain.md §9: a request body never names it). */
export function requestActor(request: FastifyRequest): string {
  return requestPrincipal(request).subject;
}

/**
 * For a part of a response that needs more than the route's role (e.g. poison bodies: admin). An
 * app built without authentication enforces no role on any route, so neither does this.
 */
export function requireRole(request: FastifyRequest, needed: Role): void {
  if (!request.server.hasRequestDecorator("principal")) return;
  const { role } = requestPrincipal(request);
  if (!roleSatisfies(role, needed)) throw new InsufficientRoleError(needed, role);
}
