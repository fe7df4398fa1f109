import type { Role } from "./roles";

/** Who made a request, as a verified token says. */
export interface Principal {
  /** The token's `sub`: the actor of audit events. */
  subject: string;
  /** The highest known role the token carries; undefined when it carries none (→ 403 on every route). */
  role: Role | undefined;
  /** The token's `jti`, when it has one. */
  tokenId: string | undefined;
  /** The token's `exp`. */
  expiresAt: Date;
}

/** What handlers see: routes only run for a principal whose role suffices, so it always has one. */
export interface AuthenticatedPrincipal extends Principal {
  role: Role;
}

/** Verifies a bearer token; throws InvalidTokenError (401) or AuthUnavailableError (503). */
export interface TokenVerifier {
  readonly mode: "local" | "oidc";
  verify(token: string): Promise<Principal>;
}
