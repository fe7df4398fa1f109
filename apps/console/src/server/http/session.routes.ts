import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleSessions } from "../auth/console-sessions";
import type { LocalSignIn } from "../auth/local-sign-in";
import type { SessionRecord } from "../auth/session.store";
import type { UpstreamCredentials } from "../auth/upstream-credentials";
import { errorBody } from "./console-errors";
import { assertSameOrigin, requireSession, SESSION_COOKIE, sessionCookieOptions, sessionOf } from "./session-guard";

export interface SessionRoutesOptions {
  sessions: ConsoleSessions;
  signIn: LocalSignIn;
  credentials: UpstreamCredentials;
  sessionTtlSeconds: number;
  oidcEnabled: boolean;
  /** Sign-in attempts per client address and minute, on top of the per-account lockout. */
  signInRateLimit: number;
}

export function sessionView(session: SessionRecord) {
  return {
    subject: session.subject,
    role: session.role,
    source: session.source,
    expires_at: session.expiresAt.toISOString(),
    csrf_token: session.csrfToken,
  };
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, id: string, ttlSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, id, sessionCookieOptions(request, ttlSeconds));
}

const SignInBody = {
  type: "object",
  additionalProperties: false,
  required: ["username", "password"],
  properties: {
    username: { type: "string", minLength: 1, maxLength: 64 },
    password: { type: "string", minLength: 1, maxLength: 1024 },
  },
} as const;

// One answer for every refusal, so the response does not tell which accounts exist or are locked.
const REFUSED = "wrong username or password, or the account is locked or disabled";

export async function sessionRoutes(app: FastifyInstance, options: SessionRoutesOptions): Promise<void> {
  app.addHook("onSend", async (_request, reply) => {
    reply.header("cache-control", "no-store");
  });

  app.get("/console/sign-in-options", async () => ({ local: true, oidc: options.oidcEnabled }));

  app.post<{ Body: { username: string; password: string } }>(
    "/console/session",
    { schema: { body: SignInBody }, config: { rateLimit: { max: options.signInRateLimit, timeWindow: 60_000 } } },
    async (request, reply) => {
      assertSameOrigin(request);
      const result = await options.signIn.signIn(request.body.username, request.body.password);
      if (!result.ok) {
        request.log.info({ username: request.body.username, reason: result.reason }, "sign-in refused");
        return reply.code(401).send(errorBody(401, "SIGN_IN_REFUSED", REFUSED));
      }
      const { id, session } = await options.sessions.start({
        subject: result.subject,
        role: result.role,
        source: "local",
      });
      request.log.info({ subject: session.subject, role: session.role }, "signed in");
      setSessionCookie(request, reply, id, options.sessionTtlSeconds);
      return sessionView(session);
    },
  );

  app.get("/console/session", { onRequest: requireSession(options.sessions) }, async (request) =>
    sessionView(sessionOf(request)),
  );

  app.delete("/console/session", { onRequest: requireSession(options.sessions) }, async (request, reply) => {
    const session = sessionOf(request);
    await options.sessions.end(session);
    options.credentials.forget(session);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.code(204).send();
  });
}
