import { moneyString } from "@smartrecover/contracts";
import { z } from "zod";
import { RUN_FAILURE_CODES } from "./run-failure";
import { RunReport } from "./run-report";

export const MAX_BATCH_SIZE = 100_000;
export const MAX_TOP_K = 10_000;

export const ProcessRunRequest = z
  .object({
    batch_size: z.number().int().min(1).max(MAX_BATCH_SIZE).default(100).describe("Debtors per batch (default 100)"),
    threshold: moneyString()
      .default("500000")
      .describe("High priority means risk score × debt strictly above this (default 500000)"),
  })
  .strict();
export type ProcessRunRequest = z.infer<typeof ProcessRunRequest>;

export const ProcessRunAccepted = z.object({
  run_id: z.string(),
  status: z.string(),
  status_url: z.string().describe("Poll this for the run's progress and report"),
});

export const RunIdParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{1,36}$/, "must be a run id (a UUID)"),
});

export const ProcessRunStatus = z
  .object({
    run_id: z.string(),
    status: z
      .string()
      .describe(
        "RUNNING, COMPLETED, FAILED, STOPPED (a shutdown stopped it at a batch boundary) or ABANDONED (its owner died)",
      ),
    owner: z.string().nullable().describe("The process that ran it (host:pid)"),
    batch_size: z.number().int(),
    threshold: z.string(),
    heap_size: z.number().int(),
    debtors_processed: z.number().int(),
    high_priority_count: z.number().int(),
    batches_processed: z.number().int(),
    errors_count: z.number().int(),
    messages_queued: z.number().int(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    failure_code: z
      .enum(RUN_FAILURE_CODES)
      .nullable()
      .describe(
        "Why a FAILED run stopped: DATABASE_ERROR or INTERNAL_ERROR (details only in the service log); ABANDONED or STOPPED for runs that ended so",
      ),
    failure_reason: z.string().nullable().describe("A generic sentence for the code; never a driver's message"),
    report: RunReport.nullable().describe("The full run report once the run has completed"),
  })
  .meta({ id: "ProcessRunStatus" });
export type ProcessRunStatus = z.infer<typeof ProcessRunStatus>;

export const MAX_RUNS_PAGE = 100;

export const ProcessRunListQuery = z
  .object({
    limit: z.coerce
      .number({ error: (issue) => (issue.code === "invalid_type" ? "must be a number" : undefined) })
      .int("must be a whole number")
      .min(1)
      .max(MAX_RUNS_PAGE)
      .default(20)
      .describe(`Runs per page, 1–${MAX_RUNS_PAGE} (default 20)`),
    cursor: RunIdParams.shape.id.optional().describe("The previous page's next_cursor"),
  })
  .strict();
export type ProcessRunListQuery = z.infer<typeof ProcessRunListQuery>;

export const ProcessRunSummary = ProcessRunStatus.omit({ report: true }).meta({ id: "ProcessRunSummary" });
export type ProcessRunSummary = z.infer<typeof ProcessRunSummary>;

export const ProcessRunPage = z
  .object({
    items: z.array(ProcessRunSummary).describe("Runs, newest first, without their reports"),
    next_cursor: z.string().nullable().describe("Pass as `cursor` to get the next page; null on the last page"),
  })
  .meta({ id: "ProcessRunPage" });
export type ProcessRunPage = z.infer<typeof ProcessRunPage>;

export const PriorityQuery = z
  .object({
    top: z.coerce
      .number({ error: (issue) => (issue.code === "invalid_type" ? "must be a number" : undefined) })
      .int("must be a whole number")
      .min(1)
      .max(MAX_TOP_K)
      .default(10),
  })
  .strict();
