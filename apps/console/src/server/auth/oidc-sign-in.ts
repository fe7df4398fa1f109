import * as oidc from "openid-client";
import { highestRole, isValidSubject, type Role } from "./roles";
import type { SecretBox } from "./secret-box";
import type { SessionRecord, SessionStore } from "./session.store";
import type { ProviderTokenSource } from "./upstream-credentials";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  rolesClaim: string;
  scope?: string;
}

/** A sign-in the provider did not complete or whose identity the console cannot accept. */
export class OidcSignInError extends Error {
  override name = "OidcSignInError";
  constructor(
    readonly code: "OIDC_FAILED" | "OIDC_NO_ROLE" | "OIDC_BAD_SUBJECT" | "OIDC_EXPIRED",
    message: string,
  ) {
    super(message);
  }
}

interface ProviderTokens {
  access_token: string;
  refresh_token?: string;
  /** Epoch milliseconds. */
  expires_at: number;
}

const TRANSACTION_SECONDS = 600;
const REFRESH_BEFORE_MS = 30_000;

// Plain http is only accepted for a provider on this machine (tests, local development).
function isLoopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** Authorization code + PKCE against an OpenID provider; the provider's access token is what the services get. */
export class OidcSignIn implements ProviderTokenSource {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly settings: OidcSettings,
    private readonly box: SecretBox,
    private readonly sessions: SessionStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private discover(): Promise<oidc.Configuration> {
    const issuer = new URL(this.settings.issuer);
    this.configuration ??= oidc
      .discovery(
        issuer,
        this.settings.clientId,
        undefined,
        oidc.ClientSecretBasic(this.settings.clientSecret),
        issuer.protocol === "http:" && isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  /** The provider URL to send the browser to, and the sealed transaction to keep in a cookie meanwhile. */
  async begin(): Promise<{ url: URL; transaction: string; maxAgeSeconds: number }> {
    const config = await this.discover();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scope ?? "openid profile",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    const expiresAt = new Date(this.clock().getTime() + TRANSACTION_SECONDS * 1000);
    const transaction = await this.box.seal({ verifier, state, nonce }, expiresAt);
    return { url, transaction, maxAgeSeconds: TRANSACTION_SECONDS };
  }

  /** Exchanges the code; answers who signed in, with which role, and the sealed provider tokens. */
  async complete(
    callbackUrl: URL,
    sealedTransaction: string | undefined,
    sessionExpiresAt: Date,
  ): Promise<{ subject: string; role: Role; upstreamSecret: string }> {
    const transaction = sealedTransaction ? await this.box.open(sealedTransaction, this.clock()) : null;
    const { verifier, state, nonce } = transaction ?? {};
    if (typeof verifier !== "string" || typeof state !== "string" || typeof nonce !== "string") {
      throw new OidcSignInError("OIDC_EXPIRED", "the sign-in took too long or started in another browser");
    }
    const config = await this.discover();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      // The provider's OAuth error code (invalid_grant, invalid_client…) is safe to log; tokens never are.
      const code = (error as { error?: unknown }).error;
      throw new OidcSignInError(
        "OIDC_FAILED",
        `the identity provider did not complete the sign-in (${(error as Error).name}${typeof code === "string" ? `: ${code}` : ""})`,
      );
    }
    const claims = tokens.claims();
    if (!claims || !isValidSubject(claims.sub)) {
      throw new OidcSignInError("OIDC_BAD_SUBJECT", "the provider's subject is not a valid SmartRecover subject");
    }
    const role = highestRole(claims[this.settings.rolesClaim]);
    if (!role)
      throw new OidcSignInError("OIDC_NO_ROLE", `the provider gave no known role in "${this.settings.rolesClaim}"`);
    const upstreamSecret = await this.sealTokens(this.providerTokens(tokens), sessionExpiresAt);
    return { subject: claims.sub, role, upstreamSecret };
  }

  async accessTokenFor(session: SessionRecord): Promise<string | null> {
    const opened = session.upstreamSecret ? await this.box.open(session.upstreamSecret, this.clock()) : null;
    if (!opened || typeof opened.access_token !== "string" || typeof opened.expires_at !== "number") return null;
    const stored: ProviderTokens = {
      access_token: opened.access_token,
      expires_at: opened.expires_at,
      refresh_token: typeof opened.refresh_token === "string" ? opened.refresh_token : undefined,
    };
    if (stored.expires_at - this.clock().getTime() > REFRESH_BEFORE_MS) return stored.access_token;
    if (!stored.refresh_token) return null;
    try {
      const refreshed = this.providerTokens(await oidc.refreshTokenGrant(await this.discover(), stored.refresh_token));
      refreshed.refresh_token ??= stored.refresh_token;
      const sealed = await this.sealTokens(refreshed, session.expiresAt);
      await this.sessions.updateUpstreamSecret(session.idHash, sealed);
      session.upstreamSecret = sealed;
      return refreshed.access_token;
    } catch {
      return null;
    }
  }

  private providerTokens(tokens: oidc.TokenEndpointResponse): ProviderTokens {
    const lifetime = typeof tokens.expires_in === "number" ? tokens.expires_in : 300;
    return {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: this.clock().getTime() + lifetime * 1000,
    };
  }

  private sealTokens(tokens: ProviderTokens, until: Date): Promise<string> {
    return this.box.seal({ ...tokens }, until);
  }
}
