import type { ConsumerCounters } from "@smartrecover/queue";
import {
  createHttpApp,
  createLogger,
  type HttpApp,
  httpSecurityFromConfig,
  type Logger,
} from "@smartrecover/service-kit";
import type { PartnerSyncConfig } from "./config";
import { discrepancyRoutes } from "./discrepancies/discrepancy.routes";
import { partnerBookRoutes } from "./partner-books/partner-book.routes";
import { poisonMessageRoutes } from "./poison-messages/poison-message.routes";
import { registerPartnerSyncMetrics } from "./reports/partner-sync-metrics";
import { type ObservedConsumer, registerQueueMetrics } from "./reports/queue-metrics";
import { reportRoutes } from "./reports/report.routes";
import type { PartnerSyncServices } from "./service";

export const API_PREFIX = "/api/partner_sync";

export interface AppOptions {
  logger?: Logger;
  /** Counters of a consumer running in this process, exported on /metrics. */
  consumerCounters?: () => ConsumerCounters;
  /** A consumer running in this process: its outcomes, lag and its queues' depth on /metrics. */
  consumer?: ObservedConsumer;
  /** Process metrics (CPU, memory); tests that build many apps turn them off. */
  defaultMetrics?: boolean;
}

/**
 * The partner-sync HTTP app (discrepancy review, summary, report), ready but not listening. It
 * only routes to the services it is given; whoever opened them (service.ts) closes them.
 */
export async function buildApp(
  config: PartnerSyncConfig,
  services: Omit<PartnerSyncServices, "applier">,
  options: AppOptions = {},
): Promise<HttpApp> {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: "partner-sync" });
  const app = await createHttpApp({
    logger,
    docs: {
      title: "SmartRecover partner-sync",
      version: "1.0.0",
      description:
        "Reconciliation of high-priority debtors with the partner's book: discrepancy review, summary and report. Money is a decimal string.",
    },
    health: { readinessCheck: services.ping },
    metrics: { defaultMetrics: options.defaultMetrics ?? true, prefix: "partner_sync_" },
    ...(await httpSecurityFromConfig(config, { logger })),
  });
  registerPartnerSyncMetrics(app.metricsRegistry, services.reports, options.consumerCounters);
  if (options.consumer) registerQueueMetrics(app.metricsRegistry, options.consumer);
  await app.register(discrepancyRoutes, { prefix: API_PREFIX, service: services.discrepancies });
  await app.register(reportRoutes, { prefix: API_PREFIX, service: services.reports });
  await app.register(poisonMessageRoutes, { prefix: API_PREFIX, service: services.poisonMessages });
  await app.register(partnerBookRoutes, { prefix: API_PREFIX, service: services.partnerBooks });
  return app;
}
