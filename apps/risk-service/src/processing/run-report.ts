import type { ProcessedDebtor } from "./batch-assessment";
import type { ProcessingErrorRow } from "./processing.repository";

export interface RunTotals {
  processed: number;
  highPriority: number;
  batches: number;
  errors: number;
  queued: number;
}

export interface RunReport {
  run_id: string;
  summary: {
    total_debtors_successfully_processed: number;
    high_priority_debtors_successfully_processed: number;
    processing_time_seconds: number;
    batches_processed: number;
    errors_count: number;
    messages_queued: number;
    throughput_debtors_per_second: number;
    heap_size: number;
  };
  /** The first processed debtors, i.e. the highest priorities of the run. */
  detailed_results: ProcessedDebtor[];
  /** The first errors of the run; `summary.errors_count` has the total. */
  errors: Array<{ debtor_id: number | null; stage: string; message: string }>;
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
