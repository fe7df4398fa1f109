import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { type AuthOptions, authPlugin } from "../auth/auth.plugin";
import { type DocsOptions, docsPlugin } from "./docs.plugin";
import { frameworkErrorHandler, installErrorHandler } from "./error-handler";
import { hardeningPlugin } from "./hardening.plugin";
import { type HealthOptions, healthPlugin } from "./health.plugin";
import { type MetricsOptions, metricsPlugin } from "./metrics.plugin";
import { DEFAULT_SERVER_LIMITS, type ServerLimits, serverTimeoutOptions } from "./server-limits";

export type HttpApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export const ONE_MIB = 1024 * 1024;

export interface HttpAppOptions {
  logger: FastifyBaseLogger;
  docs: DocsOptions;
  health?: HealthOptions;
  metrics?: MetricsOptions;
  /** Largest accepted request body in bytes; larger ones get 413 (default 1 MiB). */
  bodyLimit?: number;
  /**
   * Bearer-token authentication and per-subject rate limiting (required: no service ships an open
   * API). Every route under /api/ must declare `config: { role }` or registering it throws.
   */
  auth: AuthOptions;
  /** Timeouts and load shedding (defaults: DEFAULT_SERVER_LIMITS). */
  server?: Partial<ServerLimits>;
  /** Event-loop sampling interval of the load shedder (tests only). */
  loadSampleIntervalMs?: number;
}

// A caller's X-Request-Id is kept when it is a plain token, so logs can be joined across services.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestId(request: IncomingMessage): string {
  const given = request.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The Fastify base both services build on: zod validation and serialization, one error handler,
 * request ids in every log line and response, security headers, timeouts, load shedding,
 * authentication, /healthz, /readyz, /metrics and /docs. It does not listen; the
 * caller registers its routes and then listens (or uses inject in tests).
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.server };
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: requestId,
    bodyLimit: options.bodyLimit ?? ONE_MIB,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: frameworkErrorHandler,
    ...serverTimeoutOptions(limits),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  await app.register(hardeningPlugin, {
    maxEventLoopDelayMs: limits.maxEventLoopDelayMs,
    sampleIntervalMs: options.loadSampleIntervalMs,
  });
  await app.register(authPlugin, options.auth);
  await app.register(docsPlugin, options.docs);
  await app.register(metricsPlugin, options.metrics ?? {});
  await app.register(healthPlugin, options.health ?? {});
  return app;
}
