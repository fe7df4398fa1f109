import type { FastifyReply, FastifyRequest } from "fastify";
import { ConsoleSessions } from "../auth/console-sessions";
import type { SessionRecord } from "../auth/session.store";
import { CsrfError, SessionRequiredError } from "./console-errors";

export const SESSION_COOKIE = "sr_session";
export const CSRF_HEADER = "x-csrf-token";

declare module "fastify" {
  interface FastifyRequest {
    consoleSession: SessionRecord | null;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method);
}

/**
 * A browser names the page a request came from in Origin; when it does, it must be this console.
 * Defence in depth next to SameSite=Strict and the CSRF token.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (origin !== `${request.protocol}://${request.host}`) throw new CsrfError();
}

export function sessionCookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "strict" as const,
    secure: request.protocol === "https",
    maxAge: maxAgeSeconds,
  };
}

/** Loads the session named by the cookie; the guard below decides whether one is required. */
export async function loadSession(sessions: ConsoleSessions, request: FastifyRequest): Promise<SessionRecord | null> {
  request.consoleSession = await sessions.resolve(request.cookies[SESSION_COOKIE]);
  return request.consoleSession;
}

/** The session a guarded route runs with. */
export function sessionOf(request: FastifyRequest): SessionRecord {
  if (!request.consoleSession) throw new SessionRequiredError();
  return request.consoleSession;
}

/** onRequest guard: a live session, and for a state-changing call the right CSRF token and origin. */
export function requireSession(sessions: ConsoleSessions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const session = await loadSession(sessions, request);
    if (!session) {
      if (request.cookies[SESSION_COOKIE]) reply.clearCookie(SESSION_COOKIE, { path: "/" });
      throw new SessionRequiredError(
        request.cookies[SESSION_COOKIE] ? "your session has ended: sign in again" : "sign in to continue",
      );
    }
    if (isStateChanging(request)) {
      assertSameOrigin(request);
      if (!ConsoleSessions.csrfMatches(session, request.headers[CSRF_HEADER])) throw new CsrfError();
    }
  };
}
