import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag); off in tests that build many apps. */
  defaultMetrics?: boolean;
  /** Prefix of the process metrics, e.g. "risk_service_". */
  prefix?: string;
}

declare module "fastify" {
  interface FastifyInstance {
    /** This app's own registry: apps add their counters here, tests never see another app's. */
    metricsRegistry: Registry;
  }
}

/** HTTP request counter and latency histogram per method, route pattern and status, served at GET /metrics. */
export const metricsPlugin = fp(
  async (app: FastifyInstance, options: MetricsOptions) => {
    const registry = new Registry();
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: options.prefix ?? "" });
    const labelNames = ["method", "route", "status_code"] as const;
    const requests = new Counter({
      name: "http_requests_total",
      help: "HTTP requests answered",
      labelNames,
      registers: [registry],
    });
    const duration = new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request latency",
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    app.decorate("metricsRegistry", registry);

    app.addHook("onResponse", async (request, reply) => {
      // The route pattern, not the URL, keeps label cardinality bounded (unmatched URLs share one label).
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status_code: String(reply.statusCode),
      };
      requests.inc(labels);
      duration.observe(labels, reply.elapsedTime / 1000);
    });

    app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: "smartrecover-metrics" },
);
