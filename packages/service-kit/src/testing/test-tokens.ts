import { randomBytes, randomUUID } from "node:crypto";
import { type JWTHeaderParameters, type JWTPayload, SignJWT } from "jose";
import type { AuthOptions } from "../auth/auth.plugin";
import { DEFAULT_AUDIENCE, LOCAL_ISSUER } from "../auth/auth-env";
import { createLocalVerifier, issueLocalToken, type LocalTokenSettings } from "../auth/local-token";
import type { TokenVerifier } from "../auth/principal";
import type { Role } from "../auth/roles";
import { parseTokenLifetime } from "../auth/token-lifetime";

export interface TestTokens {
  /** The signing key's text (what AUTH_SIGNING_KEY would hold). */
  signingKey: string;
  settings: LocalTokenSettings;
  verifier: TokenVerifier;
  /** createHttpApp's `auth` option for this key (rate limit high unless given). */
  auth(rateLimitPerMinute?: number): AuthOptions;
  /** A valid local token for the role (subject default `tester-<role>`, lifetime default 15m). */
  token(role: Role, options?: { subject?: string; ttl?: string }): Promise<string>;
  /** Every claim a valid local token has, for tests that change or drop one. */
  validClaims(overrides?: JWTPayload): JWTPayload;
  /** Signs the claims as given (nothing added) with this key, or another one. */
  sign(claims: JWTPayload, options?: { header?: Partial<JWTHeaderParameters>; key?: Uint8Array }): Promise<string>;
}

/** Local-mode tokens for tests, signed with a fresh random key (or the one given). */
export function createTestTokens(
  options: { signingKey?: string; issuer?: string; audience?: string } = {},
): TestTokens {
  const signingKey = options.signingKey ?? randomBytes(48).toString("base64url");
  const settings: LocalTokenSettings = {
    key: new TextEncoder().encode(signingKey),
    issuer: options.issuer ?? LOCAL_ISSUER,
    audience: options.audience ?? DEFAULT_AUDIENCE,
  };
  const verifier = createLocalVerifier(settings);
  return {
    signingKey,
    settings,
    verifier,
    auth: (rateLimitPerMinute = 100_000) => ({ verifier, rateLimitPerMinute }),
    async token(role, tokenOptions = {}) {
      const issued = await issueLocalToken(settings, {
        subject: tokenOptions.subject ?? `tester-${role}`,
        role,
        lifetimeSeconds: parseTokenLifetime(tokenOptions.ttl ?? "15m"),
      });
      return issued.token;
    },
    validClaims(overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      return {
        iss: settings.issuer,
        aud: settings.audience,
        sub: "tester",
        iat: now,
        exp: now + 900,
        jti: randomUUID(),
        role: "viewer",
        ...overrides,
      };
    },
    sign(claims, signOptions = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "JWT", ...signOptions.header })
        .sign(signOptions.key ?? settings.key);
    },
  };
}
