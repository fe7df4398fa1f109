import type { ApiToken, ApiTokenMinter } from "./api-token.minter";
import type { SessionRecord } from "./session.store";

/** Gives the bearer token to forward for a session: minted locally, or the identity provider's own. */
export interface UpstreamCredentials {
  /** null when the session can no longer get a token (e.g. an OIDC refresh failed): the user signs in again. */
  tokenFor(session: SessionRecord): Promise<string | null>;
  forget(session: SessionRecord): void;
}

/** OIDC sessions forward the provider's access token, refreshed when it runs out. */
export interface ProviderTokenSource {
  accessTokenFor(session: SessionRecord): Promise<string | null>;
}

// A minted token is reused until shortly before it expires; the cache is bounded so idle sessions cannot grow it.
const RENEW_BEFORE_MS = 60_000;
const MAX_CACHED = 10_000;

export function createUpstreamCredentials(options: {
  minter: ApiTokenMinter;
  provider?: ProviderTokenSource;
  clock?: () => Date;
}): UpstreamCredentials {
  const clock = options.clock ?? (() => new Date());
  const cache = new Map<string, ApiToken>();
  return {
    async tokenFor(session) {
      if (session.source === "oidc") return options.provider ? options.provider.accessTokenFor(session) : null;
      const cached = cache.get(session.idHash);
      if (cached && cached.expiresAt.getTime() - clock().getTime() > RENEW_BEFORE_MS) return cached.token;
      const minted = await options.minter.mint(session.subject, session.role);
      cache.delete(session.idHash);
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
      cache.set(session.idHash, minted);
      return minted.token;
    },
    forget(session) {
      cache.delete(session.idHash);
    },
  };
}
