import { z } from "zod";
import { ConfigError, optionalString } from "../config";

/** HS256 keys shorter than this are refused: a short HMAC key can be guessed offline from one token. */
export const MIN_SIGNING_KEY_BYTES = 32;
/** `iss` of locally signed tokens when AUTH_ISSUER is unset. */
export const LOCAL_ISSUER = "smartrecover";
export const DEFAULT_AUDIENCE = "smartrecover-api";

const longEnoughKey = (value: string | undefined) =>
  value === undefined || Buffer.byteLength(value, "utf8") >= MIN_SIGNING_KEY_BYTES;

/** Identity variables of both services and the CLI (.env.example and docs/operations.md mirror these). */
export const authEnv = {
  AUTH_MODE: z
    .enum(["local", "oidc"])
    .default("local")
    .describe("local: tokens signed by this installation (`auth issue-token`); oidc: tokens of an identity provider"),
  AUTH_SIGNING_KEY: optionalString()
    .refine(longEnoughKey, `must be at least ${MIN_SIGNING_KEY_BYTES} bytes (e.g. \`openssl rand -base64 48\`)`)
    .describe(
      "Local mode: HS256 signing key shared by both services; unset means a key created on first use in $DATA_DIR/auth/",
    ),
  AUTH_ISSUER: optionalString().describe(
    `Token issuer (iss); local mode default "${LOCAL_ISSUER}"; oidc mode: the identity provider's issuer URL (required)`,
  ),
  AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE).describe("Audience (aud) every token must name"),
  AUTH_JWKS_URL: optionalString().describe(
    "OIDC mode: the identity provider's JWKS URL; unset means discovered from <issuer>/.well-known/openid-configuration",
  ),
  AUTH_ROLES_CLAIM: z
    .string()
    .min(1)
    .default("roles")
    .describe("OIDC mode: claim holding the role (a string or an array; the highest known role counts)"),
} as const;

export type AuthEnv = z.infer<z.ZodObject<typeof authEnv>>;

export type AuthSettings =
  | { mode: "local"; issuer: string; audience: string; signingKey: string | undefined; dataDir: string }
  | { mode: "oidc"; issuer: string; audience: string; jwksUrl: URL | undefined; rolesClaim: string };

/** The parsed variables as settings; oidc mode needs an issuer URL, and every URL must be https (or loopback). */
export function authSettingsFromConfig(config: AuthEnv & { DATA_DIR: string }): AuthSettings {
  if (config.AUTH_MODE === "local") {
    return {
      mode: "local",
      issuer: config.AUTH_ISSUER ?? LOCAL_ISSUER,
      audience: config.AUTH_AUDIENCE,
      signingKey: config.AUTH_SIGNING_KEY,
      dataDir: config.DATA_DIR,
    };
  }
  if (!config.AUTH_ISSUER)
    throw new ConfigError("invalid configuration:\n  AUTH_ISSUER: is required when AUTH_MODE=oidc");
  secureUrl("AUTH_ISSUER", config.AUTH_ISSUER);
  return {
    mode: "oidc",
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    jwksUrl: config.AUTH_JWKS_URL ? secureUrl("AUTH_JWKS_URL", config.AUTH_JWKS_URL) : undefined,
    rolesClaim: config.AUTH_ROLES_CLAIM,
  };
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Keys are fetched only over https; plain http is allowed for a provider on this machine (tests, development). */
export function secureUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`invalid configuration:\n  ${name}: must be a URL`);
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname))) return url;
  throw new ConfigError(`invalid configuration:\n  ${name}: must be an https URL (http only for localhost)`);
}
