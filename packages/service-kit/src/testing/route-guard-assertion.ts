import { AssertionError } from "node:assert";
import type { FastifyInstance } from "fastify";
import type { GuardedRoute } from "../auth/auth.plugin";
import { type Role, roleBelow } from "../auth/roles";
import { isApiPath } from "../http/api-paths";

export interface RouteGuardCheckOptions {
  /** A valid token carrying the role. */
  token(role: Role): string | Promise<string>;
  /** Value put in every path parameter (default "1"); authentication runs before any validation. */
  paramValue?: string;
}

/**
 * Walks every registered route under /api/ and checks, over HTTP (inject), that it answers 401
 * with `WWW-Authenticate: Bearer` without a token and 403 naming its role for a token of the role
 * just below. Throws one AssertionError listing every route that does not; returns the routes
 * checked (HEAD twins of GET routes skipped) so the caller can compare them with the roles it expects.
 */
export async function assertEveryApiRouteGuarded(
  app: FastifyInstance,
  options: RouteGuardCheckOptions,
): Promise<GuardedRoute[]> {
  if (!Array.isArray(app.guardedRoutes)) {
    throw new AssertionError({ message: "the app has no authentication: build it with createHttpApp({ auth })" });
  }
  const routes = app.guardedRoutes.filter((route) => route.method !== "HEAD" && isApiPath(route.url));
  if (routes.length === 0) throw new AssertionError({ message: "the app has no /api/ routes to check" });

  const failures: string[] = [];
  const offending = new Set<GuardedRoute>();
  for (const route of routes) {
    const url = route.url.replace(/:[^/]+/g, options.paramValue ?? "1").replace(/\*/g, "x");
    const { method } = route;
    const anonymous = await app.inject({ method, url });
    const challenge = String(anonymous.headers["www-authenticate"] ?? "");
    if (anonymous.statusCode !== 401 || !challenge.startsWith("Bearer")) {
      offending.add(route);
      failures.push(
        `${route.method} ${route.url}: without a token got ${anonymous.statusCode}, want 401 with WWW-Authenticate: Bearer`,
      );
    }
    const below = roleBelow(route.role);
    if (below === undefined) continue;
    const weaker = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${await options.token(below)}` },
    });
    if (weaker.statusCode !== 403 || !weaker.body.includes(`role ${route.role}`)) {
      offending.add(route);
      failures.push(
        `${route.method} ${route.url}: as ${below} got ${weaker.statusCode}, want 403 naming the role ${route.role}`,
      );
    }
  }
  if (failures.length > 0) {
    throw new AssertionError({
      message: `${offending.size} /api/ route(s) not guarded as declared:\n${failures.join("\n")}`,
    });
  }
  return routes;
}
