import { randomUUID } from "node:crypto";
import { centsFromDb, formatCents, parseCents } from "@smartrecover/contracts";
import { ConflictError, type Logger, NotFoundError } from "@smartrecover/service-kit";
import type { RiskDatabase } from "../db/risk-database";
import { BulkProcessor, type DryRunReport } from "../processing/bulk-processor";
import { ProcessingRepository } from "../processing/processing.repository";
import type { RunReport } from "../processing/run-report";
import type { ProcessRunRequest, ProcessRunStatus } from "./process-run.schemas";
import type { ProcessingMetrics } from "./processing-metrics";

/**
 * Starts processing runs in the background, one at a time per API process, and reports on them
 * from the processing_runs table (the run writes its own progress there).
 */
export class ProcessRunService {
  private readonly repository: ProcessingRepository;
  private active: { runId: string; done: Promise<void> } | null = null;

  constructor(
    private readonly db: RiskDatabase,
    private readonly logger: Logger,
    private readonly metrics: ProcessingMetrics,
  ) {
    this.repository = new ProcessingRepository(db);
  }

  /** Resolves with the run id once the run's row exists, so a status request right after finds it. */
  async start(request: ProcessRunRequest): Promise<string> {
    if (this.active) throw new ConflictError(`processing run ${this.active.runId} is still running`);
    const runId = randomUUID();
    let markStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const run = new BulkProcessor(this.db).run({
      runId,
      batchSize: request.batch_size,
      thresholdCents: parseCents(request.threshold) as number,
      // The processor reports progress only after it has created the run's row.
      onProgress: () => markStarted(),
    });
    this.active = { runId, done: this.track(runId, run) };
    this.metrics.started();
    try {
      await Promise.race([started, run]);
    } catch (error) {
      // A run that failed after creating its row is reported through its status; otherwise it never started.
      if (!(await this.repository.findRun(runId))) throw error;
    }
    return runId;
  }

  async status(runId: string): Promise<ProcessRunStatus> {
    const row = await this.repository.findRun(runId);
    if (!row) throw new NotFoundError(`processing run ${runId} not found`);
    return {
      run_id: row.id,
      status: row.status,
      batch_size: row.batchSize,
      threshold: formatCents(centsFromDb(row.threshold)),
      heap_size: row.heapSize,
      debtors_processed: row.debtorsProcessed,
      high_priority_count: row.highPriorityCount,
      batches_processed: row.batchesProcessed,
      errors_count: row.errorsCount,
      messages_queued: row.messagesQueued,
      started_at: row.startedAt.toISOString(),
      finished_at: row.finishedAt?.toISOString() ?? null,
      failure_reason: row.failureReason,
      report: row.report === null ? null : (JSON.parse(row.report) as RunReport),
    };
  }

  /** The top k debtors by priority, as the dry run sees them; writes nothing. */
  priority(topK: number): Promise<DryRunReport> {
    return new BulkProcessor(this.db).dryRun(topK);
  }

  /** Lets a shutting-down server finish the current run before the database closes. */
  async idle(): Promise<void> {
    await this.active?.done;
  }

  private async track(runId: string, run: Promise<RunReport>): Promise<void> {
    try {
      const report = await run;
      this.metrics.completed(report);
      this.logger.info({ run_id: runId, summary: report.summary }, "processing run completed");
    } catch (error) {
      this.metrics.failed();
      this.logger.error({ run_id: runId, err: error }, "processing run failed");
    } finally {
      this.active = null;
    }
  }
}
