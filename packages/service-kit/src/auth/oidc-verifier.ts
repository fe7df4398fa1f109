import type { FastifyBaseLogger } from "fastify";
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { z } from "zod";
import { secureUrl } from "./auth-env";
import { AuthUnavailableError, InvalidTokenError } from "./auth-errors";
import { isKeyFetchFailure, toAuthError } from "./jose-errors";
import { CLOCK_SKEW_SECONDS } from "./local-token";
import type { Principal, TokenVerifier } from "./principal";
import { highestKnownRole } from "./roles";
import { isValidSubject } from "./subject";

/** Identity providers sign with key pairs; an HMAC algorithm here would let a public key act as a secret. */
export const OIDC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];

export interface OidcVerifierOptions {
  issuer: string;
  audience: string;
  /** Unset: discovered from `<issuer>/.well-known/openid-configuration` on first use. */
  jwksUrl: URL | undefined;
  rolesClaim: string;
  logger?: FastifyBaseLogger;
  /** No key-set refetch sooner than this after the last one, however many unknown `kid`s arrive (default 30 s). */
  cooldownMs?: number;
  /** Keys are refetched when older than this (default 10 min). */
  cacheMaxAgeMs?: number;
  /** After a failed fetch, requests fail fast (503) for this long instead of each calling the provider (default 5 s). */
  failureBackoffMs?: number;
  timeoutMs?: number;
}

const Discovery = z.object({ issuer: z.string(), jwks_uri: z.string() });

/** Verifies an identity provider's tokens against its JWKS (cached; refetched on an unknown `kid`). */
export function createOidcVerifier(options: OidcVerifierOptions): TokenVerifier {
  const timeoutMs = options.timeoutMs ?? 5000;
  const failureBackoffMs = options.failureBackoffMs ?? 5000;
  let keySet: JWTVerifyGetKey | undefined;
  let failedUntil = 0;

  const remoteKeySet = (url: URL) =>
    createRemoteJWKSet(url, {
      cooldownDuration: options.cooldownMs ?? 30_000,
      cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
      timeoutDuration: timeoutMs,
    });

  async function discoverJwksUrl(): Promise<URL> {
    const url = `${options.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
    if (response.status !== 200) throw new Error(`discovery at ${url} answered ${response.status}`);
    const document = Discovery.parse(await response.json());
    // OpenID Connect Discovery §4.3: the document must name the very issuer it was fetched for.
    if (document.issuer !== options.issuer) {
      throw new Error(`discovery at ${url} names the issuer ${document.issuer}, not ${options.issuer}`);
    }
    return secureUrl("jwks_uri", document.jwks_uri);
  }

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (Date.now() < failedUntil) throw new AuthUnavailableError();
    try {
      keySet ??= remoteKeySet(options.jwksUrl ?? (await discoverJwksUrl()));
      return await keySet(header, token);
    } catch (error) {
      if (keySet !== undefined && !isKeyFetchFailure(error)) throw error;
      failedUntil = Date.now() + failureBackoffMs;
      options.logger?.warn({ err: error }, "identity provider keys could not be fetched");
      throw new AuthUnavailableError();
    }
  };

  return {
    mode: "oidc",
    async verify(token: string): Promise<Principal> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms: OIDC_ALGORITHMS,
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: CLOCK_SKEW_SECONDS,
          requiredClaims: ["sub", "exp"],
        }));
      } catch (error) {
        throw toAuthError(error);
      }
      if (!isValidSubject(payload.sub)) throw new InvalidTokenError("subject not allowed");
      return {
        subject: payload.sub,
        role: highestKnownRole(claimAt(payload, options.rolesClaim)),
        tokenId: typeof payload.jti === "string" ? payload.jti : undefined,
        expiresAt: new Date((payload.exp ?? 0) * 1000),
      };
    },
  };
}

/**
 * The roles claim: a top-level claim of that exact name (namespaced names such as
 * `https://example.com/roles` contain dots), else a dotted path (`realm_access.roles`).
 */
export function claimAt(payload: JWTPayload, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  let value: unknown = payload;
  for (const part of name.split(".")) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
