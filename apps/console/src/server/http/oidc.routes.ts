import type { FastifyInstance } from "fastify";
import type { ConsoleSessions } from "../auth/console-sessions";
import { type OidcSignIn, OidcSignInError } from "../auth/oidc-sign-in";
import { setSessionCookie } from "./session.routes";

const TRANSACTION_COOKIE = "sr_oidc";

/**
 * GET /console/oidc/login → the provider; GET /console/oidc/callback → a console session.
 * The transaction cookie is SameSite=Lax: the provider's redirect back is a cross-site navigation.
 */
export async function oidcRoutes(
  app: FastifyInstance,
  options: {
    oidc: OidcSignIn;
    sessions: ConsoleSessions;
    sessionTtlSeconds: number;
    publicUrl: string;
    clock: () => Date;
  },
): Promise<void> {
  app.get("/console/oidc/login", async (request, reply) => {
    let started: Awaited<ReturnType<OidcSignIn["begin"]>>;
    try {
      started = await options.oidc.begin();
    } catch (error) {
      request.log.warn({ err: error }, "the identity provider could not be reached");
      return reply.redirect("/sign-in?error=OIDC_FAILED", 302);
    }
    const { url, transaction, maxAgeSeconds } = started;
    reply.setCookie(TRANSACTION_COOKIE, transaction, {
      path: "/console/oidc",
      httpOnly: true,
      sameSite: "lax",
      secure: request.protocol === "https",
      maxAge: maxAgeSeconds,
    });
    reply.header("cache-control", "no-store");
    return reply.redirect(url.href, 302);
  });

  app.get("/console/oidc/callback", async (request, reply) => {
    reply.clearCookie(TRANSACTION_COOKIE, { path: "/console/oidc" });
    reply.header("cache-control", "no-store");
    const callbackUrl = new URL(request.url, options.publicUrl);
    const expiresAt = new Date(options.clock().getTime() + options.sessionTtlSeconds * 1000);
    try {
      const identity = await options.oidc.complete(callbackUrl, request.cookies[TRANSACTION_COOKIE], expiresAt);
      const { id, session } = await options.sessions.start({ ...identity, source: "oidc" });
      request.log.info({ subject: session.subject, role: session.role }, "signed in through OIDC");
      setSessionCookie(request, reply, id, options.sessionTtlSeconds);
      return reply.redirect("/", 302);
    } catch (error) {
      if (!(error instanceof OidcSignInError)) throw error;
      request.log.warn({ code: error.code, reason: error.message }, "OIDC sign-in refused");
      return reply.redirect(`/sign-in?error=${encodeURIComponent(error.code)}`, 302);
    }
  });
}
