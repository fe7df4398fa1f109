import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest, HTTPMethods, RouteOptions } from "fastify";
import fp from "fastify-plugin";
import { isApiPath } from "../http/api-paths";
import { TooManyRequestsError } from "../http/http-errors";
import { InsufficientRoleError, MalformedAuthorizationError, MissingTokenError } from "./auth-errors";
import type { AuthenticatedPrincipal, Principal, TokenVerifier } from "./principal";
import { isRole, ROLES, type Role, roleSatisfies } from "./roles";
import { withVerifiedTokenCache } from "./verified-token-cache";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The lowest role that may call the route; required on every route under /api/. */
    role?: Role;
  }
  interface FastifyRequest {
    /** The verified caller of a route with a role (throws when read on a route without one). */
    readonly principal: AuthenticatedPrincipal;
  }
  interface FastifyInstance {
    /** Every route with a role, as registered (HEAD twins of GET routes included). */
    readonly guardedRoutes: readonly GuardedRoute[];
  }
}

export interface GuardedRoute {
  method: HTTPMethods;
  url: string;
  role: Role;
}

export interface AuthOptions {
  /** Wrapped in a cache of verified tokens (see withVerifiedTokenCache). */
  verifier: TokenVerifier;
  /** Requests per minute per subject (anonymous callers: per IP address). */
  rateLimitPerMinute: number;
}

// token68 of RFC 7235; anything longer than this is not a token we issue or accept.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const MAX_TOKEN_LENGTH = 8192;

/**
 * Bearer-token authentication. A route declares its lowest role in `config.role`; registering a
 * route under /api/ without one throws, so no route ships unguarded. For every guarded request
 * (and any unknown /api/ URL) the token is verified first, then the caller is rate-limited per
 * subject (per IP while anonymous), then refused with 401 or 403 — all before the body is read.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    const principals = new WeakMap<FastifyRequest, Principal>();
    const verifier = withVerifiedTokenCache(options.verifier);
    const guarded: GuardedRoute[] = [];
    app.decorate("guardedRoutes", guarded);
    app.decorateRequest("principal", {
      getter(this: FastifyRequest): AuthenticatedPrincipal {
        const principal = principals.get(this);
        if (principal?.role === undefined) throw new Error("request.principal read on a route without a role");
        return { ...principal, role: principal.role };
      },
    });

    app.addHook("onRoute", (route: RouteOptions) => {
      const role = route.config?.role;
      if (role === undefined && !isApiPath(route.url)) return;
      if (!isRole(role)) {
        throw new Error(
          `route ${String(route.method)} ${route.url} needs a role: add config: { role: "…" } (one of ${ROLES.join(", ")})`,
        );
      }
      for (const method of [route.method].flat()) guarded.push({ method, url: route.url, role });
    });

    await app.register(rateLimit, { global: false });
    const limiter = app.createRateLimit({
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => {
        const principal = principals.get(request);
        return principal ? `subject:${principal.subject}` : `ip:${request.ip}`;
      },
    });

    app.addHook("onRequest", async (request, reply) => {
      const needed = request.routeOptions.config.role;
      if (needed === undefined && !isApiPath(request.url)) return;
      let failure: unknown;
      try {
        principals.set(request, await verifier.verify(bearerToken(request.headers.authorization)));
      } catch (error) {
        failure = error;
      }

      const limit = await limiter(request);
      if (!limit.isAllowed) {
        reply.header("x-ratelimit-limit", limit.max);
        reply.header("x-ratelimit-remaining", limit.remaining);
        reply.header("x-ratelimit-reset", limit.ttlInSeconds);
        if (limit.isExceeded) throw new TooManyRequestsError(limit.ttlInSeconds);
      }

      if (failure !== undefined) throw failure;
      const held = principals.get(request)?.role;
      if (needed !== undefined && (held === undefined || !roleSatisfies(held, needed))) {
        throw new InsufficientRoleError(needed, held);
      }
    });
  },
  { name: "smartrecover-auth" },
);

function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === "") throw new MissingTokenError();
  const match = BEARER.exec(header);
  if (!match?.[1] || match[1].length > MAX_TOKEN_LENGTH) throw new MalformedAuthorizationError();
  return match[1];
}
