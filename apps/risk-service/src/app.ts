import { createHttpApp, createLogger, type HttpApp, type Logger } from "@smartrecover/service-kit";
import { databaseReadinessCheck } from "./api/health-check";
import { processRunRoutes } from "./api/process-run.routes";
import { ProcessRunService } from "./api/process-run.service";
import { ProcessingMetrics } from "./api/processing-metrics";
import type { RiskServiceConfig } from "./config";
import { openRiskDatabase, type RiskDatabase } from "./db/risk-database";
import { debtorRoutes } from "./debtors/debtor.routes";
import { DebtorService } from "./debtors/debtor.service";

export const API_PREFIX = "/api/risk_service";

export interface RiskServiceDeps {
  /** An open database the caller owns; when absent, buildApp opens config.RISK_DATABASE_URL and closes it with the app. */
  db?: RiskDatabase;
  logger?: Logger;
  /** Process metrics (CPU, memory); tests that build many apps turn them off. */
  defaultMetrics?: boolean;
}

/** The risk-service HTTP app, ready but not listening (server.ts listens; tests inject). */
export async function buildApp(config: RiskServiceConfig, deps: RiskServiceDeps = {}): Promise<HttpApp> {
  const db = deps.db ?? (await openRiskDatabase(config.RISK_DATABASE_URL));
  const logger = deps.logger ?? createLogger({ level: config.LOG_LEVEL, name: "risk-service" });
  try {
    return await assemble(db, logger, deps);
  } catch (error) {
    if (!deps.db) await db.close();
    throw error;
  }
}

async function assemble(db: RiskDatabase, logger: Logger, deps: RiskServiceDeps): Promise<HttpApp> {
  const app = await createHttpApp({
    logger,
    docs: {
      title: "SmartRecover risk-service",
      version: "1.0.0",
      description: "Debtors, risk scores and priority processing runs. Money is a decimal string.",
    },
    health: { readinessCheck: databaseReadinessCheck(db) },
    metrics: { defaultMetrics: deps.defaultMetrics ?? true },
  });
  const runs = new ProcessRunService(db, logger, new ProcessingMetrics(app.metricsRegistry));
  // One hook, so the current processing run surely finishes before the database closes.
  app.addHook("onClose", async () => {
    await runs.idle();
    if (!deps.db) await db.close();
  });

  await app.register(debtorRoutes, { prefix: API_PREFIX, service: new DebtorService(db) });
  await app.register(processRunRoutes, { prefix: API_PREFIX, service: runs });
  return app;
}
