import { z } from "zod";
import { PaymentStatus, RiskLevel } from "./enums";
import { moneyString } from "./money";

export const QUEUE_MESSAGE_SCHEMA_VERSION = 1;

/** Largest value of a signed 32-bit INT column (MySQL): debtor ids on both sides of the queue are one. */
export const MAX_INT32 = 2_147_483_647;

/** One high-priority debtor, published by risk-service and consumed by partner-sync (domain.md §6). */
export const HighPriorityDebtorMessage = z
  .object({
    message_id: z.string().min(1).max(64),
    schema_version: z.literal(QUEUE_MESSAGE_SCHEMA_VERSION),
    run_id: z.string().min(1).max(36),
    // Debtor ids are INT columns on both sides: a larger id could never be applied, so it is poison.
    debtor_id: z.number().int().positive().max(MAX_INT32),
    debt_amount: moneyString(),
    risk_score: z.number().int().min(0).max(450),
    risk_level: RiskLevel,
    priority: z.string().regex(/^\d+(\.\d{1,2})?$/, "must be a decimal string"),
    payment_status: PaymentStatus,
    processed_at: z.iso.datetime(),
  })
  .strict();

export type HighPriorityDebtorMessage = z.infer<typeof HighPriorityDebtorMessage>;
