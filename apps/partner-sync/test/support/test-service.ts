import { createLogger, type HttpApp, type Role } from "@smartrecover/service-kit";
import { createTestTokens } from "@smartrecover/service-kit/testing";
import { type AppOptions, buildApp } from "../../src/app";
import { loadPartnerSyncConfig } from "../../src/config";
import { type OpenPartnerSyncOptions, openPartnerSync, type PartnerSync } from "../../src/service";

/** Tokens every test service accepts: its AUTH_SIGNING_KEY is this key. */
export const testTokens = createTestTokens();

/** Test services verify tokens of `testTokens` and never rate-limit (tests send many requests as one subject). */
export const TEST_AUTH_ENV = { AUTH_SIGNING_KEY: testTokens.signingKey, RATE_LIMIT_PER_MINUTE: "1000000" };

/** The Authorization header of a token for the role (subject `tester-<role>` unless given). */
export async function authorization(role: Role, subject?: string): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await testTokens.token(role, { subject })}` };
}

/** partner-sync on a test database, assembled by the composition root, logging nothing. */
export function openTestService(
  databaseUrl: string,
  options: Omit<OpenPartnerSyncOptions, "logger"> & { env?: NodeJS.ProcessEnv } = {},
): Promise<PartnerSync> {
  const { env, ...open } = options;
  const config = loadPartnerSyncConfig({
    ...TEST_AUTH_ENV,
    PARTNER_SYNC_DATABASE_URL: databaseUrl,
    LOG_LEVEL: "silent",
    ...env,
  });
  return openPartnerSync(config, { ...open, logger: createLogger({ level: "silent", name: "test", pretty: false }) });
}

/** The HTTP app over a test service's parts (process metrics off: tests build many apps). */
export function buildTestApp(sync: PartnerSync, options: AppOptions = {}): Promise<HttpApp> {
  return buildApp(sync.config, sync.services, { logger: sync.logger, defaultMetrics: false, ...options });
}
