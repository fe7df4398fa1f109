import { createHttpApp, type HttpApp, httpSecurityFromConfig } from "@smartrecover/service-kit";
import type { RiskServiceConfig } from "./config";
import { debtorRoutes } from "./debtors/debtor.routes";
import { registerOutboxMetrics } from "./outbox/outbox-metrics";
import { processRunRoutes } from "./processing/process-run.routes";
import { ProcessingMetrics } from "./processing/processing-metrics";
import type { RiskService } from "./service";

export const API_PREFIX = "/api/risk_service";

/** What the HTTP app uses of the service; the composition root (service.ts) builds it. */
export type AppServices = Pick<RiskService, "logger" | "debtors" | "processRuns" | "ready"> &
  Partial<Pick<RiskService, "repositories" | "queue">>;

export interface AppOptions {
  /** Process metrics (CPU, memory); tests that build many apps turn them off. */
  defaultMetrics?: boolean;
}

/**
 * The risk-service HTTP app, ready but not listening (server.ts listens; tests inject). It uses
 * the services it is given and opens nothing itself; closing it waits for a processing run the
 * API started, and the caller closes the services afterwards.
 */
export async function buildApp(
  config: RiskServiceConfig,
  services: AppServices,
  options: AppOptions = {},
): Promise<HttpApp> {
  const app = await createHttpApp({
    logger: services.logger,
    docs: {
      title: "SmartRecover risk-service",
      version: "1.0.0",
      description: "Debtors, risk scores and priority processing runs. Money is a decimal string.",
    },
    health: { readinessCheck: () => services.ready() },
    metrics: { defaultMetrics: options.defaultMetrics ?? true },
    ...(await httpSecurityFromConfig(config, { logger: services.logger })),
  });
  const unobserve = services.processRuns.observe(new ProcessingMetrics(app.metricsRegistry));
  if (services.repositories) {
    registerOutboxMetrics(app.metricsRegistry, services.repositories.outbox, services.queue?.publisher);
  }
  app.addHook("onClose", async () => {
    await services.processRuns.idle();
    unobserve();
  });
  await app.register(debtorRoutes, { prefix: API_PREFIX, service: services.debtors });
  await app.register(processRunRoutes, { prefix: API_PREFIX, service: services.processRuns });
  return app;
}
