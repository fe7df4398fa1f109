import { join } from "node:path";
import { authEnv, commonEnv, httpHardeningEnv, messageTrustEnv, parseConfig, port } from "@smartrecover/service-kit";
import { z } from "zod";

const RiskServiceEnv = z.object({
  ...commonEnv,
  ...authEnv,
  ...httpHardeningEnv,
  ...messageTrustEnv,
  RISK_DATABASE_URL: z
    .string()
    .regex(/^(file:|mysql:\/\/|mariadb:\/\/)/, "must start with file: (SQLite) or mysql:// (MySQL)")
    .optional()
    .describe("Risk-service database; default SQLite at $DATA_DIR/risk-service.db"),
  RISK_API_PORT: port(3000).describe("Port of the risk-service HTTP API"),
  PROCESSING_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(60)
    .describe("A processing run's lease: a run whose owner stops renewing it for this long is ABANDONED"),
});

export type RiskServiceEnv = z.infer<typeof RiskServiceEnv>;

export interface RiskServiceConfig extends Omit<RiskServiceEnv, "RISK_DATABASE_URL"> {
  RISK_DATABASE_URL: string;
}

export function loadRiskServiceConfig(env: NodeJS.ProcessEnv = process.env): RiskServiceConfig {
  const parsed = parseConfig(RiskServiceEnv, env);
  return {
    ...parsed,
    RISK_DATABASE_URL: parsed.RISK_DATABASE_URL ?? `file:${join(parsed.DATA_DIR, "risk-service.db")}`,
  };
}

export { RiskServiceEnv };
