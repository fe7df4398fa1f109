import type { Principal, TokenVerifier } from "./principal";

export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered; the oldest is forgotten first (default 10,000). */
  maxEntries?: number;
  /** A token is verified again at least this often, so a withdrawn identity-provider key stops working soon (default 60 s). */
  maxAgeMs?: number;
}

/**
 * Remembers tokens that verified, until the earlier of their `exp` and `maxAgeMs`, so a client
 * that reuses its token pays for signature verification once a minute instead of on every
 * request. Only successes are kept, keyed by the exact token text: a changed byte is a new token.
 */
export function withVerifiedTokenCache(inner: TokenVerifier, options: VerifiedTokenCacheOptions = {}): TokenVerifier {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const verified = new Map<string, { principal: Principal; until: number }>();
  return {
    mode: inner.mode,
    async verify(token: string): Promise<Principal> {
      const now = Date.now();
      const hit = verified.get(token);
      if (hit !== undefined && now < hit.until) return hit.principal;
      if (hit !== undefined) verified.delete(token);
      const principal = await inner.verify(token);
      if (verified.size >= maxEntries) {
        const oldest = verified.keys().next();
        if (!oldest.done) verified.delete(oldest.value);
      }
      verified.set(token, { principal, until: Math.min(principal.expiresAt.getTime(), now + maxAgeMs) });
      return principal;
    },
  };
}
