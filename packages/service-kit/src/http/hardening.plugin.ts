import helmet from "@fastify/helmet";
import underPressure from "@fastify/under-pressure";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { isApiPath } from "./api-paths";
import { ServiceUnavailableError } from "./http-errors";

export interface HardeningOptions {
  /** Requests are shed with 503 while the event loop lags more than this; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  /** How often the event-loop lag is sampled (default 1 s; tests use less). */
  sampleIntervalMs?: number;
}

/** Liveness and metrics keep answering under load: a busy process is not a dead one, and its metrics show why. */
const NEVER_SHED = new Set(["/healthz", "/metrics"]);
const SHED_RETRY_AFTER_SECONDS = 5;

/**
 * Security headers on every response (helmet's defaults, which the /docs UI works with, minus
 * upgrade-insecure-requests: the services speak plain HTTP behind a TLS proxy or on loopback),
 * `Cache-Control: no-store` on every API answer, errors included, and load shedding.
 */
export const hardeningPlugin = fp(
  async (app: FastifyInstance, options: HardeningOptions) => {
    await app.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      sampleInterval: options.sampleIntervalMs,
      pressureHandler: async (request: FastifyRequest) => {
        if (NEVER_SHED.has(request.routeOptions.url ?? "")) return;
        throw new ServiceUnavailableError(
          "OVERLOADED",
          "the server is overloaded; try again shortly",
          SHED_RETRY_AFTER_SECONDS,
        );
      },
    });
    await app.register(helmet, {
      contentSecurityPolicy: { directives: { "upgrade-insecure-requests": null } },
    });
    app.addHook("onRequest", async (request, reply) => {
      if (request.routeOptions.config.role !== undefined || isApiPath(request.url)) {
        reply.header("cache-control", "no-store");
      }
    });
  },
  { name: "smartrecover-hardening" },
);
