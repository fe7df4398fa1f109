import { createHttpApp, createLogger, type HttpApp, type Logger } from "@smartrecover/service-kit";
import type { PartnerSyncConfig } from "./config";
import { openPartnerSyncDatabase, type PartnerSyncDatabase } from "./db/partner-sync-database";
import { discrepancyRoutes } from "./discrepancies/discrepancy.routes";
import { DiscrepancyService } from "./discrepancies/discrepancy.service";
import { poisonMessageRoutes } from "./reconciliation/poison-message.routes";
import { registerPartnerSyncMetrics } from "./reports/partner-sync-metrics";
import { reportRoutes } from "./reports/report.routes";

export const API_PREFIX = "/api/partner_sync";

export interface PartnerSyncDeps {
  /** An open database the caller owns; when absent, buildApp opens config.PARTNER_SYNC_DATABASE_URL and closes it with the app. */
  db?: PartnerSyncDatabase;
  logger?: Logger;
  /** Ages and review timestamps are taken from this clock (tests move it). */
  clock?: () => Date;
  /** Counters of a consumer running in this process, exported on /metrics. */
  consumerStats?: () => object;
  /** Process metrics (CPU, memory); tests that build many apps turn them off. */
  defaultMetrics?: boolean;
}

/** The partner-sync HTTP app (discrepancy review, summary, report), ready but not listening. */
export async function buildApp(config: PartnerSyncConfig, deps: PartnerSyncDeps = {}): Promise<HttpApp> {
  const db = deps.db ?? (await openPartnerSyncDatabase(config.PARTNER_SYNC_DATABASE_URL));
  const logger = deps.logger ?? createLogger({ level: config.LOG_LEVEL, name: "partner-sync" });
  const clock = deps.clock ?? (() => new Date());
  const app = await createHttpApp({
    logger,
    docs: {
      title: "SmartRecover partner-sync",
      version: "1.0.0",
      description:
        "Reconciliation of high-priority debtors with the partner's book: discrepancy review, summary and report. Money is a decimal string.",
    },
    health: { readinessCheck: () => db.prisma.$queryRawUnsafe("SELECT 1") },
    metrics: { defaultMetrics: deps.defaultMetrics ?? true, prefix: "partner_sync_" },
  });
  if (!deps.db) app.addHook("onClose", () => db.close());

  registerPartnerSyncMetrics(app.metricsRegistry, db, deps.consumerStats);
  await app.register(discrepancyRoutes, { prefix: API_PREFIX, service: new DiscrepancyService(db, clock) });
  await app.register(reportRoutes, { prefix: API_PREFIX, db, clock });
  await app.register(poisonMessageRoutes, { prefix: API_PREFIX, db });
  return app;
}
