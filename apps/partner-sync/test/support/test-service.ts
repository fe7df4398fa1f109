import { createLogger, type HttpApp } from "@smartrecover/service-kit";
import { type AppOptions, buildApp } from "../../src/app";
import { loadPartnerSyncConfig } from "../../src/config";
import { type OpenPartnerSyncOptions, openPartnerSync, type PartnerSync } from "../../src/service";

/** partner-sync on a test database, assembled by the composition root, logging nothing. */
export function openTestService(
  databaseUrl: string,
  options: Omit<OpenPartnerSyncOptions, "logger"> & { env?: NodeJS.ProcessEnv } = {},
): Promise<PartnerSync> {
  const { env, ...open } = options;
  const config = loadPartnerSyncConfig({ PARTNER_SYNC_DATABASE_URL: databaseUrl, LOG_LEVEL: "silent", ...env });
  return openPartnerSync(config, { ...open, logger: createLogger({ level: "silent", name: "test", pretty: false }) });
}

/** The HTTP app over a test service's parts (process metrics off: tests build many apps). */
export function buildTestApp(sync: PartnerSync, options: AppOptions = {}): Promise<HttpApp> {
  return buildApp(sync.config, sync.services, { logger: sync.logger, defaultMetrics: false, ...options });
}
