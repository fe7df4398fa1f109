import { errors } from "jose";
import { HttpError } from "../http/http-errors";
import { InvalidTokenError, type InvalidTokenReason } from "./auth-errors";

const CLAIM_REASONS: Record<string, InvalidTokenReason> = {
  aud: "wrong audience",
  iss: "wrong issuer",
  nbf: "not yet valid",
  iat: "issued in the future or too long ago",
};

/**
 * Maps a jose verification failure to 401 with a fixed reason (key fetch failures became 503
 * before reaching here). Errors outside jose are unexpected and kept (→ 500).
 */
export function toAuthError(error: unknown): Error {
  if (error instanceof HttpError) return error;
  if (error instanceof errors.JWTExpired) return new InvalidTokenError("expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new InvalidTokenError(CLAIM_REASONS[error.claim] ?? "missing claims");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new InvalidTokenError("signature does not verify");
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new InvalidTokenError("algorithm not accepted");
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new InvalidTokenError("unknown signing key");
  }
  if (error instanceof errors.JOSEError) return new InvalidTokenError("malformed");
  return error instanceof Error ? error : new Error(String(error));
}

/** Whether a failure of the remote key set means the keys could not be fetched (not a bad token). */
export function isKeyFetchFailure(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  if (!(error instanceof errors.JOSEError)) return false;
  return error.code === "ERR_JWKS_TIMEOUT" || error.code === "ERR_JWKS_INVALID" || error.code === "ERR_JOSE_GENERIC";
}
