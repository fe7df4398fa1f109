import { HttpError, ServiceUnavailableError } from "../http/http-errors";
import type { Role } from "./roles";

const REALM = 'Bearer realm="smartrecover"';

/** 401: no bearer token at all (RFC 6750 §3: no error code then). */
export class MissingTokenError extends HttpError {
  constructor() {
    super(401, "UNAUTHENTICATED", "authentication required: send Authorization: Bearer <token>", undefined, {
      "www-authenticate": REALM,
    });
  }
}

/** 401: an Authorization header that is not `Bearer <token>`. */
export class MalformedAuthorizationError extends HttpError {
  constructor() {
    super(401, "UNAUTHENTICATED", "the Authorization header must read Bearer <token>", undefined, {
      "www-authenticate": `${REALM}, error="invalid_request"`,
    });
  }
}

/**
 * 401: a token that does not verify. The reason comes from a fixed list (never the token or the
 * library's message), so nothing the caller sent is echoed.
 */
export class InvalidTokenError extends HttpError {
  constructor(readonly reason: InvalidTokenReason) {
    super(401, "INVALID_TOKEN", `token rejected: ${reason}`, undefined, {
      "www-authenticate": `${REALM}, error="invalid_token", error_description="${reason}"`,
    });
  }
}

export type InvalidTokenReason =
  | "malformed"
  | "signature does not verify"
  | "algorithm not accepted"
  | "expired"
  | "not yet valid"
  | "wrong audience"
  | "wrong issuer"
  | "issued in the future or too long ago"
  | "missing claims"
  | "unknown signing key"
  | "subject not allowed";

/** 403: authenticated, but the route needs a higher role than the token carries. */
export class InsufficientRoleError extends HttpError {
  constructor(needed: Role, held: Role | undefined) {
    const holding = held ? `your token carries ${held}` : "your token carries no known role";
    super(403, "FORBIDDEN", `this route requires the role ${needed} or higher; ${holding}`, undefined, {
      "www-authenticate": `${REALM}, error="insufficient_scope"`,
    });
  }
}

/** 503: tokens cannot be checked now (the identity provider's keys cannot be fetched); not the caller's fault. */
export class AuthUnavailableError extends ServiceUnavailableError {
  constructor() {
    super(
      "AUTH_UNAVAILABLE",
      "tokens cannot be verified right now (identity provider unreachable); try again shortly",
      10,
    );
  }
}
