import type { IncomingHttpHeaders } from "node:http";
import proxy from "@fastify/http-proxy";
import type { FastifyInstance } from "fastify";
import type { ConsoleSessions } from "../auth/console-sessions";
import type { UpstreamCredentials } from "../auth/upstream-credentials";
import { errorBody, SessionRequiredError } from "./console-errors";
import { CSRF_HEADER, requireSession, SESSION_COOKIE, sessionOf } from "./session-guard";

export interface Upstream {
  /** Path prefix both here and at the service, e.g. /api/risk_service. */
  prefix: string;
  /** Base URL of the service. */
  url: string;
  /** Named in the 502 when the service does not answer. */
  name: string;
}

declare module "fastify" {
  interface FastifyRequest {
    upstreamToken: string | null;
  }
}

// Headers the browser sends that must not reach a service: the console's own credentials, and
// anything a caller could use to pose as someone else.
const DROPPED_HEADERS = ["cookie", "authorization", CSRF_HEADER, "x-forwarded-user", "x-remote-user"];

function forwardedHeaders(
  request: { upstreamToken: string | null },
  headers: IncomingHttpHeaders,
): IncomingHttpHeaders {
  const forwarded: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!DROPPED_HEADERS.includes(name.toLowerCase())) forwarded[name] = value;
  }
  forwarded.authorization = `Bearer ${request.upstreamToken}`;
  return forwarded;
}

/**
 * /api/<service>/* → the service, with the signed-in user's bearer token. Bodies (JSON, CSV,
 * multipart uploads) are streamed through, not parsed here.
 */
export async function apiProxyPlugin(
  app: FastifyInstance,
  options: { upstreams: Upstream[]; sessions: ConsoleSessions; credentials: UpstreamCredentials },
): Promise<void> {
  app.decorateRequest("upstreamToken", null);
  for (const upstream of options.upstreams) {
    await app.register(async (scope) => {
      scope.addHook("onRequest", requireSession(options.sessions));
      scope.addHook("onRequest", async (request, reply) => {
        const session = sessionOf(request);
        request.upstreamToken = await options.credentials.tokenFor(session);
        if (request.upstreamToken === null) {
          await options.sessions.end(session);
          reply.clearCookie(SESSION_COOKIE, { path: "/" });
          throw new SessionRequiredError("your session has ended: sign in again");
        }
      });
      await scope.register(proxy, {
        upstream: upstream.url,
        prefix: upstream.prefix,
        rewritePrefix: upstream.prefix,
        // Fastify already logs each request once; the proxy's own two lines per call would triple the volume.
        disableRequestLogging: true,
        replyOptions: {
          rewriteRequestHeaders: (request, headers) => forwardedHeaders(request, headers),
          rewriteHeaders: (headers) => {
            const { "set-cookie": _dropped, ...rest } = headers;
            return rest;
          },
          onError: (reply, { error }) => {
            reply.log.warn({ err: error, upstream: upstream.name }, "upstream request failed");
            reply.code(502).send(errorBody(502, "UPSTREAM_UNAVAILABLE", `${upstream.name} did not answer`));
          },
        },
      });
    });
  }
}
