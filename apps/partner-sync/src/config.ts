import { join } from "node:path";
import { authEnv, commonEnv, httpHardeningEnv, messageTrustEnv, parseConfig, port } from "@smartrecover/service-kit";
import { z } from "zod";

// An empty variable counts as unset: z.coerce would silently read "" as 0.
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);
const probability = (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().min(0).max(1).default(fallback));
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(fallback));

/**
 * The tolerance is kept to four decimals so variance checks stay exact integer arithmetic
 * (reconciliation-rules.ts); above 100 % it is treated as 100 % (domain.md §8).
 */
const tolerancePercent = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .trim()
    .default("1.0")
    .refine((text) => !text.startsWith("-"), { message: "must not be negative", abort: true })
    .refine((text) => /^\d+(\.\d{1,4})?$/.test(text), "must be a decimal number with at most four decimals, e.g. 1.5")
    .transform((text) => Math.min(Number(text), 100)),
);

const PartnerSyncEnv = z.object({
  ...commonEnv,
  ...authEnv,
  ...httpHardeningEnv,
  ...messageTrustEnv,
  PARTNER_SYNC_DATABASE_URL: z
    .string()
    .regex(/^(file:|mysql:\/\/|mariadb:\/\/)/, "must start with file: (SQLite) or mysql:// (MySQL)")
    .optional()
    .describe("partner-sync database; default SQLite at $DATA_DIR/partner-sync.db"),
  PARTNER_SYNC_API_PORT: port(3001).describe("Port of the partner-sync HTTP API"),
  PARTNER_NAME: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .default("simulated-partner")
    .describe("Name of the partner whose book is reconciled"),
  PARTNER_BOOK_SOURCE: z
    .enum(["simulated", "imported"])
    .default("simulated")
    .describe(
      "Where the partner's book comes from: simulated (seeded simulator, the demo) or imported (partner book files, domain.md §10)",
    ),
  PARTNER_BOOK_MAX_BYTES: integer(200 * 1024 * 1024, 1, 1024 * 1024 * 1024 * 1024).describe(
    "Largest partner book file accepted, in bytes (default 200 MiB); a larger upload is refused with 413",
  ),
  PARTNER_SIMULATOR_SEED: integer(42, 0, 0xffff_ffff).describe(
    "Seed of the partner simulator (0–4294967295); same seed and debtor → same partner record",
  ),
  PARTNER_MISSING_PROBABILITY: probability(0.02).describe(
    "Probability that the simulated partner has no record of a debtor",
  ),
  RECONCILIATION_TOLERANCE_PERCENT: tolerancePercent.describe(
    "Balance tolerance in percent of the internal balance; negative is an error, above 100 means 100",
  ),
  CONSUMER_CONCURRENCY: integer(4, 1, 64).describe(
    "Receive loops the SQS consumer runs in parallel (more help on MySQL: 8 gave ~2,100 msg/s)",
  ),
  CONSUMER_BATCH_SIZE: integer(10, 1, 10).describe(
    "Messages received per SQS call; batches from all loops are merged into transactions of up to 100",
  ),
  SQS_VISIBILITY_TIMEOUT_SECONDS: integer(30, 1, 43_200).describe(
    "Seconds a received message stays hidden before SQS redelivers it",
  ),
  SQS_MAX_RECEIVE_COUNT: integer(5, 1, 1000).describe(
    "Receives after which SQS moves a message to the dead-letter queue",
  ),
  REVIEW_REQUIRE_SECOND_PERSON: z
    .preprocess(unsetIfEmpty, z.enum(["true", "false"]).default("false"))
    .transform((value) => value === "true")
    .describe("Four-eyes rule: the subject who acknowledged a discrepancy cannot resolve it (409)"),
});

export type PartnerSyncEnv = z.infer<typeof PartnerSyncEnv>;

export interface PartnerSyncConfig extends Omit<PartnerSyncEnv, "PARTNER_SYNC_DATABASE_URL"> {
  PARTNER_SYNC_DATABASE_URL: string;
}

export function loadPartnerSyncConfig(env: NodeJS.ProcessEnv = process.env): PartnerSyncConfig {
  const parsed = parseConfig(PartnerSyncEnv, env);
  return {
    ...parsed,
    PARTNER_SYNC_DATABASE_URL: parsed.PARTNER_SYNC_DATABASE_URL ?? `file:${join(parsed.DATA_DIR, "partner-sync.db")}`,
  };
}

export { PartnerSyncEnv };
