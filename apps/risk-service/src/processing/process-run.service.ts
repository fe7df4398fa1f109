import { randomUUID } from "node:crypto";
import { centsFromDb, formatCents, parseCents } from "@smartrecover/contracts";
import { BadRequestError, ConflictError, type Logger, NotFoundError } from "@smartrecover/service-kit";
import type { BulkProcessor, FinishedRun } from "./bulk-processor";
import type {
  ProcessRunListQuery,
  ProcessRunPage,
  ProcessRunRequest,
  ProcessRunStatus,
  ProcessRunSummary,
} from "./process-run.schemas";
import type { ProcessingRepository, ProcessingRun } from "./processing.repository";
import { parseStoredFailure, type RunFailure } from "./run-failure";
import { RunInProgressError } from "./run-lease";
import type { PriorityReport, RunReport } from "./run-report";

/** Told when a run started through this service begins and ends (the API's metrics listen). */
export interface ProcessRunObserver {
  started(): void;
  completed(report: RunReport): void;
  /** Stopped at a batch boundary by a shutdown. */
  stopped?(report: RunReport): void;
  failed(): void;
  /** Runs of dead owners this process recorded ABANDONED when it took the lease. */
  abandoned?(count: number): void;
}

/**
 * Starts processing runs in the background and reports on them from the processing_runs table
 * (the run writes its own progress there). One run at a time across every process sharing the
 * database: the processor's lease refuses a second one, and this process does not even try
 * while its own run is going.
 */
export class ProcessRunService {
  private active: { runId: string; done: Promise<void>; abort: AbortController } | null = null;
  private readonly observers = new Set<ProcessRunObserver>();

  constructor(
    private readonly processor: BulkProcessor,
    private readonly repository: ProcessingRepository,
    private readonly logger: Logger,
  ) {}

  /** Adds an observer; returns the function that removes it. */
  observe(observer: ProcessRunObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Resolves with the run id once the run's row exists, so a status request right after finds it. */
  async start(request: ProcessRunRequest): Promise<string> {
    if (this.active) {
      const live = await this.processor.liveRun();
      if (live) throw new RunInProgressError(live);
      // Recorded as finished, only still reporting to the observers: wait for that, then go on.
      const row = await this.repository.findRun(this.active.runId);
      if (!row || row.status === "RUNNING") {
        throw new ConflictError(`processing run ${this.active.runId} is still running`);
      }
      await this.active.done;
      if (this.active) throw new ConflictError(`processing run ${this.active.runId} is still running`);
    }
    const runId = randomUUID();
    const abort = new AbortController();
    let markStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const run = this.processor.run({
      runId,
      batchSize: request.batch_size,
      thresholdCents: parseCents(request.threshold) as number,
      // The processor reports progress only after it has created the run's row.
      onProgress: () => markStarted(),
      signal: abort.signal,
    });
    this.active = { runId, done: this.track(runId, run), abort };
    for (const observer of this.observers) observer.started();
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
    return { ...runSummary(row), report: row.report === null ? null : (JSON.parse(row.report) as RunReport) };
  }

  /** Runs newest first, without their reports; `cursor` is the last run id of the previous page. */
  async list(query: ProcessRunListQuery): Promise<ProcessRunPage> {
    // One more than asked tells whether another page follows.
    const rows = await this.repository.listRuns(query.limit + 1, query.cursor);
    if (rows === null) {
      throw new BadRequestError("invalid cursor", [
        { location: "querystring", field: "cursor", message: "is not a cursor returned by this endpoint" },
      ]);
    }
    const items = rows.slice(0, query.limit).map(runSummary);
    return { items, next_cursor: rows.length > query.limit ? (items.at(-1)?.run_id ?? null) : null };
  }

  /** The top k debtors by priority, as the dry run sees them; writes nothing. */
  priority(topK: number): Promise<PriorityReport> {
    return this.processor.dryRun(topK);
  }

  /** Resolves once no run is going. */
  async idle(): Promise<void> {
    await this.active?.done;
  }

  /** Asks the current run to stop at its next batch boundary (SIGTERM); idle() then resolves soon. */
  stop(): void {
    this.active?.abort.abort();
  }

  /** Passed to the processor: reports runs it recorded ABANDONED to the observers. */
  readonly events = {
    abandoned: (runIds: string[]) => {
      for (const observer of this.observers) observer.abandoned?.(runIds.length);
      this.logger.warn({ run_ids: runIds }, "recorded processing runs of dead owners as ABANDONED");
    },
  };

  private async track(runId: string, run: Promise<FinishedRun>): Promise<void> {
    try {
      const report = await run;
      for (const observer of this.observers) {
        if (report.status === "STOPPED") observer.stopped?.(report);
        else observer.completed(report);
      }
      this.logger.info({ run_id: runId, status: report.status, summary: report.summary }, "processing run ended");
    } catch (error) {
      for (const observer of this.observers) observer.failed();
      this.logger.error({ run_id: runId, err: error }, "processing run failed");
    } finally {
      this.active = null;
    }
  }
}

function runSummary(row: ProcessingRun): ProcessRunSummary {
  return {
    run_id: row.id,
    status: row.status,
    owner: row.owner,
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
    ...failureFields(parseStoredFailure(row.failureReason)),
  };
}

function failureFields(failure: RunFailure | null): Pick<ProcessRunStatus, "failure_code" | "failure_reason"> {
  return { failure_code: failure?.code ?? null, failure_reason: failure?.reason ?? null };
}
