import type { FastifyBaseLogger } from "fastify";
import type { HttpAppOptions } from "../http/create-http-app";
import { type HttpHardeningEnv, serverLimitsFromConfig } from "../http/server-limits";
import type { AuthEnv } from "./auth-env";
import { createTokenVerifier } from "./token-verifier";

/**
 * createHttpApp's `auth` and `server` options from a service's parsed configuration:
 * `createHttpApp({ logger, docs, ...(await httpSecurityFromConfig(config, { logger })) })`.
 */
export async function httpSecurityFromConfig(
  config: AuthEnv & HttpHardeningEnv & { DATA_DIR: string },
  options: { logger?: FastifyBaseLogger } = {},
): Promise<Required<Pick<HttpAppOptions, "auth" | "server">>> {
  return {
    auth: { verifier: await createTokenVerifier(config, options), rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE },
    server: serverLimitsFromConfig(config),
  };
}
