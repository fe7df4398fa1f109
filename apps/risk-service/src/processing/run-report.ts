import { RiskLevel } from "@smartrecover/contracts";
import { z } from "zod";
import type { ProcessingErrorRow } from "./processing.repository";

export const ProcessedDebtor = z.object({
  debtor_id: z.number(),
  priority: z.string(),
  risk_score: z.number(),
  risk_level: RiskLevel,
  debt_amount: z.string(),
  payment_status: z.string(),
  high_priority: z.boolean(),
});
export type ProcessedDebtor = z.infer<typeof ProcessedDebtor>;

/** What a processing run reports: printed by process-debtors --json, stored with the run, served by the API. */
export const RunReport = z.object({
  run_id: z.string(),
  summary: z.object({
    total_debtors_successfully_processed: z.number(),
    high_priority_debtors_successfully_processed: z.number(),
    processing_time_seconds: z.number(),
    batches_processed: z.number(),
    errors_count: z.number(),
    messages_queued: z.number(),
    throughput_debtors_per_second: z.number(),
    heap_size: z.number(),
  }),
  detailed_results: z.array(ProcessedDebtor).describe("The first processed debtors: the run's highest priorities"),
  errors: z
    .array(z.object({ debtor_id: z.number().nullable(), stage: z.string(), message: z.string() }))
    .describe("The first errors of the run; summary.errors_count has the total"),
});
export type RunReport = z.infer<typeof RunReport>;

/** The top k debtors by priority as a dry run sees them (process-debtors --dry-run, GET /debtors/priority/). */
export const PriorityReport = z.object({
  heap_size: z.number().int().describe("Debtors in the priority heap"),
  errors_count: z.number().int(),
  top: z.array(
    z.object({
      debtor_id: z.number().int(),
      name: z.string(),
      priority: z.string().describe("Risk score × debt, decimal"),
      risk_score: z.number().describe("The stored score (it may be stale), or a fresh one for a debtor never scored"),
      risk_level: RiskLevel,
      debt_amount: z.string(),
      scored: z.boolean().describe("false when the debtor has no stored score yet"),
    }),
  ),
});
export type PriorityReport = z.infer<typeof PriorityReport>;

export interface RunTotals {
  processed: number;
  highPriority: number;
  batches: number;
  errors: number;
  queued: number;
}

export function buildRunReport(input: {
  runId: string;
  heapSize: number;
  totals: RunTotals;
  details: ProcessedDebtor[];
  errors: ProcessingErrorRow[];
  started: number;
}): RunReport {
  const seconds = (performance.now() - input.started) / 1000;
  return {
    run_id: input.runId,
    summary: {
      total_debtors_successfully_processed: input.totals.processed,
      high_priority_debtors_successfully_processed: input.totals.highPriority,
      processing_time_seconds: round(seconds, 3),
      batches_processed: input.totals.batches,
      errors_count: input.totals.errors,
      messages_queued: input.totals.queued,
      throughput_debtors_per_second: seconds > 0 ? round(input.totals.processed / seconds, 1) : 0,
      heap_size: input.heapSize,
    },
    detailed_results: input.details,
    errors: input.errors.map((e) => ({ debtor_id: e.debtorId, stage: e.stage, message: e.message })),
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
