import type { FastifyBaseLogger } from "fastify";
import { type AuthEnv, type AuthSettings, authSettingsFromConfig } from "./auth-env";
import { createLocalVerifier, type LocalTokenSettings } from "./local-token";
import { createOidcVerifier } from "./oidc-verifier";
import type { TokenVerifier } from "./principal";
import { loadOrCreateSigningKey } from "./signing-key-file";

/** Local mode's key and claims: AUTH_SIGNING_KEY, else the machine's key file (created on first use). */
export async function localTokenSettings(
  settings: Extract<AuthSettings, { mode: "local" }>,
): Promise<LocalTokenSettings> {
  const key = settings.signingKey ?? (await loadOrCreateSigningKey(settings.dataDir));
  return { key: new TextEncoder().encode(key), issuer: settings.issuer, audience: settings.audience };
}

/** The verifier the configuration asks for; in local mode this reads (or creates) the signing key. */
export async function createTokenVerifier(
  config: AuthEnv & { DATA_DIR: string },
  options: { logger?: FastifyBaseLogger } = {},
): Promise<TokenVerifier> {
  const settings = authSettingsFromConfig(config);
  if (settings.mode === "local") return createLocalVerifier(await localTokenSettings(settings));
  return createOidcVerifier({ ...settings, logger: options.logger });
}
