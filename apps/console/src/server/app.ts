import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createLogger, loadOrCreateSigningKey } from "@smartrecover/service-kit";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { LockoutPolicy } from "./auth/account-lockout";
import { type ApiTokenMinter, createLocalTokenMinter } from "./auth/api-token.minter";
import { openConsoleDatabase } from "./auth/console.database";
import { ConsoleSessions } from "./auth/console-sessions";
import { DbSessionStore } from "./auth/db-session.store";
import { DbUserStore } from "./auth/db-user.store";
import { LocalSignIn } from "./auth/local-sign-in";
import { OidcSignIn } from "./auth/oidc-sign-in";
import type { ScryptCost } from "./auth/password-hasher";
import { createSecretBox } from "./auth/secret-box";
import type { SessionStore } from "./auth/session.store";
import { createUpstreamCredentials } from "./auth/upstream-credentials";
import type { UserStore } from "./auth/user.store";
import type { ConsoleConfig } from "./config";
import { apiProxyPlugin } from "./http/api-proxy.plugin";
import { installConsoleErrorHandler } from "./http/console-errors";
import { oidcRoutes } from "./http/oidc.routes";
import { securityHeadersPlugin } from "./http/security-headers.plugin";
import { sessionRoutes } from "./http/session.routes";
import { spaStaticPlugin } from "./http/spa-static.plugin";

/** Lifetime of the API tokens minted for local accounts; each is renewed shortly before it runs out. */
export const API_TOKEN_TTL_SECONDS = 15 * 60;
const PURGE_EVERY_MS = 10 * 60_000;

export interface ConsoleDeps {
  logger?: FastifyBaseLogger;
  clock?: () => Date;
  /** Both stores default to the database at CONSOLE_DATABASE_URL (migrated on open, closed with the app). */
  users?: UserStore;
  sessions?: SessionStore;
  /** Default: local-mode HS256 tokens with AUTH_SIGNING_KEY, else the services' key file under DATA_DIR. */
  minter?: ApiTokenMinter;
  /** Cost of the decoy hash checked for unknown user names (tests lower it). */
  scryptCost?: ScryptCost;
  lockout?: LockoutPolicy;
  signInRateLimit?: number;
  readinessCheck?: () => Promise<unknown>;
}

/** The console server (SPA, sign-in, API proxy), ready but not listening. */
export async function buildConsoleApp(config: ConsoleConfig, deps: ConsoleDeps = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.logger ?? createLogger({ level: config.LOG_LEVEL, name: "console" });
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    loggerInstance: logger,
    trustProxy: config.CONSOLE_TRUST_PROXY,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    bodyLimit: 64 * 1024,
  });
  installConsoleErrorHandler(app);
  app.decorateRequest("consoleSession", null);

  let database: ServiceDatabase | undefined;
  if (!deps.users || !deps.sessions) {
    database = await openConsoleDatabase(config.CONSOLE_DATABASE_URL, config.MIGRATE_ON_START);
    app.addHook("onClose", async () => database?.close());
  }
  const users = deps.users ?? new DbUserStore(database as ServiceDatabase);
  const sessionStore = deps.sessions ?? new DbSessionStore(database as ServiceDatabase);
  const readinessCheck = deps.readinessCheck ?? (async () => database?.query("SELECT 1"));

  const minter =
    deps.minter ??
    createLocalTokenMinter({
      // The same key the services verify with: AUTH_SIGNING_KEY, else $DATA_DIR/auth/signing.key.
      key: new TextEncoder().encode(config.AUTH_SIGNING_KEY ?? (await loadOrCreateSigningKey(config.DATA_DIR))),
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: API_TOKEN_TTL_SECONDS,
      clock,
    });
  const sessions = new ConsoleSessions(sessionStore, config.CONSOLE_SESSION_TTL, clock);
  const box = createSecretBox(config.CONSOLE_SESSION_SECRET);
  const oidc =
    config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET
      ? new OidcSignIn(
          {
            issuer: config.OIDC_ISSUER,
            clientId: config.OIDC_CLIENT_ID,
            clientSecret: config.OIDC_CLIENT_SECRET,
            redirectUri: `${config.CONSOLE_PUBLIC_URL}/console/oidc/callback`,
            rolesClaim: config.AUTH_ROLES_CLAIM,
          },
          box,
          sessionStore,
          clock,
        )
      : undefined;
  const credentials = createUpstreamCredentials({ minter, provider: oidc, clock });
  const signIn = new LocalSignIn({ users, clock, lockout: deps.lockout, scryptCost: deps.scryptCost });

  const purge = setInterval(() => {
    sessions.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, "purging expired sessions failed"));
  }, PURGE_EVERY_MS);
  purge.unref();
  app.addHook("onClose", async () => clearInterval(purge));

  await app.register(securityHeadersPlugin);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (request, reply) => {
    try {
      await readinessCheck();
      return { status: "ready" };
    } catch (error) {
      request.log.warn({ err: error }, "readiness check failed");
      return reply.code(503).send({ status: "not_ready", reason: "dependency unavailable" });
    }
  });

  await app.register(sessionRoutes, {
    sessions,
    signIn,
    credentials,
    sessionTtlSeconds: config.CONSOLE_SESSION_TTL,
    oidcEnabled: oidc !== undefined,
    signInRateLimit: deps.signInRateLimit ?? 30,
  });
  if (oidc) {
    await app.register(oidcRoutes, {
      oidc,
      sessions,
      sessionTtlSeconds: config.CONSOLE_SESSION_TTL,
      publicUrl: config.CONSOLE_PUBLIC_URL,
      clock,
    });
  }
  await app.register(apiProxyPlugin, {
    sessions,
    credentials,
    upstreams: [
      { prefix: "/api/risk_service", url: config.RISK_SERVICE_URL, name: "risk-service" },
      { prefix: "/api/partner_sync", url: config.PARTNER_SYNC_URL, name: "partner-sync" },
    ],
  });
  await app.register(spaStaticPlugin, { root: config.CONSOLE_STATIC_DIR });
  return app;
}
