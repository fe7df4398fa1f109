import { randomUUID } from "node:crypto";
import { type CryptoKey, jwtVerify, SignJWT } from "jose";
import { UsageError } from "../cli-options";
import { InvalidTokenError } from "./auth-errors";
import { toAuthError } from "./jose-errors";
import type { Principal, TokenVerifier } from "./principal";
import { isRole, type Role } from "./roles";
import { isValidSubject, subjectProblem } from "./subject";
import { MAX_TOKEN_LIFETIME_SECONDS } from "./token-lifetime";

/** Clocks of the issuing and the verifying machine may disagree by this much. */
export const CLOCK_SKEW_SECONDS = 30;

export interface LocalTokenSettings {
  /** The HS256 key: the bytes of AUTH_SIGNING_KEY or of the key file's text. */
  key: Uint8Array;
  issuer: string;
  audience: string;
}

export interface IssuedToken {
  token: string;
  subject: string;
  role: Role;
  expiresAt: Date;
}

/** Signs a token for a subject and role; refuses a reserved or malformed subject and a lifetime over 30 days. */
export async function issueLocalToken(
  settings: LocalTokenSettings,
  input: { subject: string; role: Role; lifetimeSeconds: number; now?: Date },
): Promise<IssuedToken> {
  const problem = subjectProblem(input.subject);
  if (problem) throw new UsageError(`subject ${problem}`);
  if (!isRole(input.role)) throw new UsageError(`unknown role "${String(input.role)}"`);
  if (!Number.isInteger(input.lifetimeSeconds) || input.lifetimeSeconds < 1) {
    throw new UsageError("token lifetime must be at least one second");
  }
  if (input.lifetimeSeconds > MAX_TOKEN_LIFETIME_SECONDS) throw new UsageError("token lifetime must be at most 30d");
  const issuedAt = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const expiresAt = issuedAt + input.lifetimeSeconds;
  const token = await new SignJWT({ role: input.role })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(input.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(settings.key);
  return { token, subject: input.subject, role: input.role, expiresAt: new Date(expiresAt * 1000) };
}

/** Verifies tokens this installation signed: HS256 only, every claim of §9 present, at most 30 days old. */
export function createLocalVerifier(settings: LocalTokenSettings): TokenVerifier {
  // Imported once: handing jose the raw bytes would import the key again on every request.
  let verificationKey: Promise<CryptoKey> | undefined;
  return {
    mode: "local",
    async verify(token: string): Promise<Principal> {
      verificationKey ??= crypto.subtle.importKey(
        "raw",
        new Uint8Array(settings.key),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["verify"],
      );
      let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
      try {
        ({ payload } = await jwtVerify(token, await verificationKey, {
          algorithms: ["HS256"],
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: CLOCK_SKEW_SECONDS,
          maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS,
          requiredClaims: ["iss", "aud", "sub", "exp", "iat", "jti"],
        }));
      } catch (error) {
        throw toAuthError(error);
      }
      if (!isValidSubject(payload.sub)) throw new InvalidTokenError("subject not allowed");
      return {
        subject: payload.sub,
        role: isRole(payload.role) ? payload.role : undefined,
        tokenId: payload.jti,
        expiresAt: new Date((payload.exp ?? 0) * 1000),
      };
    },
  };
}
