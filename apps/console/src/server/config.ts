import { dirname, join } from "node:path";
import { commonEnv, findUpward, logLevel, optionalString, parseConfig, port } from "@smartrecover/service-kit";
import { z } from "zod";
import { parseDuration } from "./auth/duration";

const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

const serviceUrl = (fallback: string) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .default(fallback)
      .transform((url) => url.replace(/\/+$/, "")),
  );

/** A secret given by the operator: long enough that guessing is not an option. */
const secret = (purpose: string) =>
  z.preprocess(unsetIfEmpty, z.string().min(32, `must be at least 32 characters (${purpose})`).optional());

const duration = (fallback: string, maxSeconds: number) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const seconds = parseDuration(text);
        if (seconds === null || seconds > maxSeconds) {
          ctx.addIssue({
            code: "custom",
            message: `must be a duration like 30s, 15m, 8h or 1d, at most ${maxSeconds} s`,
          });
          return z.NEVER;
        }
        return seconds;
      }),
  );

const ConsoleEnv = z
  .object({
    DATA_DIR: z.string().min(1).default(".data").describe("Folder of the embedded SQLite database"),
    LOG_LEVEL: logLevel.describe("pino log level"),
    HOST: z.string().min(1).default("127.0.0.1").describe("Interface the console server binds to"),
    CONSOLE_PORT: port(3002).describe("Port of the recovery console (the SPA, sign-in and the API proxy)"),
    MIGRATE_ON_START: commonEnv.MIGRATE_ON_START,
    RISK_SERVICE_URL: serviceUrl("http://127.0.0.1:3000").describe(
      "Base URL of risk-service; /api/risk_service/* is forwarded there",
    ),
    PARTNER_SYNC_URL: serviceUrl("http://127.0.0.1:3001").describe(
      "Base URL of partner-sync; /api/partner_sync/* is forwarded there",
    ),
    CONSOLE_DATABASE_URL: z
      .preprocess(
        unsetIfEmpty,
        z
          .string()
          .regex(/^(file:|mysql:\/\/)/, "must be a file: (SQLite) or mysql:// (MySQL/MariaDB) URL")
          .optional(),
      )
      .describe(
        "Console accounts and sessions: file: (SQLite) or mysql:// (MySQL/MariaDB); default SQLite at $DATA_DIR/console.db",
      ),
    CONSOLE_SESSION_SECRET: secret("CONSOLE_SESSION_SECRET").describe(
      "Encrypts what the console keeps for a session (OIDC tokens, the OIDC sign-in transaction); unset: a random key per process, so OIDC sessions end on restart",
    ),
    CONSOLE_SESSION_TTL: duration("8h", 30 * 24 * 3600).describe(
      "How long a console session lasts after sign-in (30s, 15m, 8h, 1d; at most 30d)",
    ),
    CONSOLE_TRUST_PROXY: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true")
      .describe("Trust X-Forwarded-Proto/-For from a reverse proxy (the session cookie is Secure behind https)"),
    CONSOLE_STATIC_DIR: optionalString().describe("Folder of the built SPA; default apps/console/dist/web"),
    CONSOLE_PUBLIC_URL: optionalString().describe(
      "The URL users open the console at; the OIDC redirect URI is <this>/console/oidc/callback (default http://HOST:CONSOLE_PORT)",
    ),
    AUTH_SIGNING_KEY: secret("AUTH_SIGNING_KEY").describe(
      "Local mode: the HS256 key the services verify API tokens with; unset: the key file the services share, $DATA_DIR/auth/signing.key (created on first use)",
    ),
    AUTH_ISSUER: z.string().min(1).default("smartrecover").describe("iss of the API tokens the console mints"),
    AUTH_AUDIENCE: z.string().min(1).default("smartrecover-api").describe("aud of the API tokens the console mints"),
    AUTH_ROLES_CLAIM: z
      .string()
      .min(1)
      .default("roles")
      .describe("OIDC: the ID-token claim holding the user's role(s)"),
    OIDC_ISSUER: optionalString().describe(
      "OIDC: the identity provider's issuer URL; with the two below enables OIDC sign-in",
    ),
    OIDC_CLIENT_ID: optionalString().describe("OIDC: the console's client id at the provider"),
    OIDC_CLIENT_SECRET: optionalString().describe("OIDC: the console's client secret at the provider"),
  })
  .refine(
    (env) => {
      const set = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
      return set === 0 || set === 3;
    },
    {
      message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set together or not at all",
      path: ["OIDC_ISSUER"],
    },
  );

export type ConsoleEnv = z.infer<typeof ConsoleEnv>;

export interface ConsoleConfig
  extends Omit<ConsoleEnv, "CONSOLE_DATABASE_URL" | "CONSOLE_STATIC_DIR" | "CONSOLE_PUBLIC_URL"> {
  CONSOLE_DATABASE_URL: string;
  CONSOLE_STATIC_DIR: string;
  CONSOLE_PUBLIC_URL: string;
}

/** Where `pnpm build:console` writes the SPA (found upward: the server also runs bundled from dist/). */
export const DEFAULT_STATIC_DIR = join(
  dirname(findUpward(import.meta.url, "pnpm-workspace.yaml")),
  "apps/console/dist/web",
);

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const parsed = parseConfig(ConsoleEnv, env);
  return {
    ...parsed,
    CONSOLE_DATABASE_URL: parsed.CONSOLE_DATABASE_URL ?? `file:${join(parsed.DATA_DIR, "console.db")}`,
    CONSOLE_STATIC_DIR: parsed.CONSOLE_STATIC_DIR ?? DEFAULT_STATIC_DIR,
    CONSOLE_PUBLIC_URL: (parsed.CONSOLE_PUBLIC_URL ?? `http://${parsed.HOST}:${parsed.CONSOLE_PORT}`).replace(
      /\/+$/,
      "",
    ),
  };
}

export { ConsoleEnv };
