import { z } from "zod";

export interface ServerLimits {
  /** Time to receive a whole request, headers and body (slow clients are cut off with 408). */
  requestTimeoutMs: number;
  /** A socket with no traffic for this long is closed. */
  connectionTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** Requests are shed with 503 while the event loop lags more than this; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  requestTimeoutMs: 30_000,
  connectionTimeoutMs: 120_000,
  // Longer than the 60 s idle timeout of common load balancers, so the balancer closes first.
  keepAliveTimeoutMs: 72_000,
  maxEventLoopDelayMs: 1000,
};

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;

const milliseconds = (fallback: number, min: number) =>
  z.coerce.number().int().min(min).max(3_600_000).default(fallback);

/** HTTP hardening variables of both services (.env.example and docs/operations.md mirror these). */
export const httpHardeningEnv = {
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_RATE_LIMIT_PER_MINUTE)
    .describe("API requests per minute per subject (per IP address before authentication); more get 429"),
  HTTP_REQUEST_TIMEOUT_MS: milliseconds(DEFAULT_SERVER_LIMITS.requestTimeoutMs, 1000).describe(
    "Time a client has to send a whole request (408 after)",
  ),
  HTTP_CONNECTION_TIMEOUT_MS: milliseconds(DEFAULT_SERVER_LIMITS.connectionTimeoutMs, 1000).describe(
    "A connection without traffic for this long is closed",
  ),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(DEFAULT_SERVER_LIMITS.keepAliveTimeoutMs, 1000).describe(
    "An idle keep-alive connection is closed after this long",
  ),
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: milliseconds(DEFAULT_SERVER_LIMITS.maxEventLoopDelayMs, 0).describe(
    "Requests get 503 with Retry-After while the event loop lags more than this (0: never)",
  ),
} as const;

export type HttpHardeningEnv = z.infer<z.ZodObject<typeof httpHardeningEnv>>;

export function serverLimitsFromConfig(config: HttpHardeningEnv): ServerLimits {
  return {
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    connectionTimeoutMs: config.HTTP_CONNECTION_TIMEOUT_MS,
    keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxEventLoopDelayMs: config.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS,
  };
}

/**
 * Fastify's server options for these limits. Node checks request and header timeouts only every
 * `connectionsCheckingInterval`, so that interval shrinks with the timeout.
 */
export function serverTimeoutOptions(limits: ServerLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(limits.requestTimeoutMs / 4))),
    },
  };
}
