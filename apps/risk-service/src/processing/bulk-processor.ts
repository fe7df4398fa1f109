import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { formatCents } from "@smartrecover/contracts";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import type { OutboxRepository } from "../outbox/outbox.repository";
import type { RiskScoreRepository } from "../scoring/risk-score.repository";
import { scoreDebtor } from "../scoring/risk-scorer";
import { assessBatch, type BatchAssessment, heapPriority, toScoringInput } from "./batch-assessment";
import { PriorityHeap } from "./priority-heap";
import type { LiveRun, ProcessingErrorRow, ProcessingRepository } from "./processing.repository";
import { DEFAULT_BATCH_SIZE, DEFAULT_THRESHOLD, DEFAULT_TOP_K } from "./processing-defaults";
import { runFailureOf, storedFailure } from "./run-failure";
import { LeaseLostError, RunInProgressError } from "./run-lease";
import {
  buildRunReport,
  type PriorityReport,
  type ProcessedDebtor,
  type RunReport,
  type RunTotals,
} from "./run-report";

export { DEFAULT_BATCH_SIZE, DEFAULT_THRESHOLD, DEFAULT_TOP_K };
export const DEFAULT_LEASE_SECONDS = 60;

const READ_PAGE_SIZE = 5000;
const REPORTED_DETAILS = 10;

export interface ProcessingProgress {
  phase: "building_heap" | "processing";
  done: number;
  total: number;
}

export interface RunOptions {
  batchSize: number;
  /** Priority threshold in cents of priority (score × debt in cents); see scoring/priority.ts. */
  thresholdCents: number;
  runId?: string;
  onProgress?: (progress: ProcessingProgress) => void;
  /** Aborting stops the run at the next batch boundary; it is recorded STOPPED. */
  signal?: AbortSignal;
}

export interface LeaseSettings {
  /** How long a run's lease lasts without renewal (PROCESSING_LEASE_SECONDS). */
  leaseMs: number;
  /** Names this process in the lease and the run's row; host:pid by default. */
  owner?: string;
}

/** What a run tells whoever watches it beyond its report: runs it found abandoned. */
export interface RunEvents {
  abandoned?: (runIds: string[]) => void;
}

/** The outcome of a run that started; `status` is COMPLETED or STOPPED. */
export type FinishedRun = RunReport & { status: "COMPLETED" | "STOPPED" };

interface BuiltHeap {
  heap: PriorityHeap;
  errors: ProcessingErrorRow[];
}

/**
 * Works debtors highest `risk score × debt` first (domain.md §4): a streamed read builds a
 * typed-array max-heap of (priority, id); batches leave the heap, are re-scored from current
 * data, and each batch's scores, errors and outbox rows commit in one transaction.
 */
export class BulkProcessor {
  private readonly leaseMs: number;
  readonly owner: string;

  constructor(
    private readonly db: ServiceDatabase,
    private readonly repository: ProcessingRepository,
    private readonly scores: RiskScoreRepository,
    private readonly outbox: OutboxRepository,
    lease: LeaseSettings = { leaseMs: DEFAULT_LEASE_SECONDS * 1000 },
    private readonly events: RunEvents = {},
  ) {
    this.leaseMs = lease.leaseMs;
    this.owner = lease.owner ?? `${hostname()}:${process.pid}`;
  }

  /** Reads everything, writes nothing. */
  async dryRun(topK: number = DEFAULT_TOP_K): Promise<PriorityReport> {
    const { heap, errors } = await this.buildHeap();
    const heapSize = heap.size;
    const slot = { priority: 0 };
    const picked: Array<{ id: number; priority: number }> = [];
    while (picked.length < topK && heap.size > 0) {
      const id = heap.pop(slot) as number;
      picked.push({ id, priority: slot.priority });
    }
    const rows = await this.repository.scoringRowsByIds(picked.map((p) => p.id));
    const top = picked.flatMap(({ id, priority }) => {
      const row = rows.get(id);
      if (!row) return [];
      const input = toScoringInput(row);
      return [
        {
          debtor_id: id,
          priority: formatCents(priority),
          risk_score: row.stored_score ?? scoreDebtor(input).totalScore,
          debt_amount: formatCents(input.totalDebtCents),
        },
      ];
    });
    return { heap_size: heapSize, errors_count: errors.length, top };
  }

  /**
   * Takes the processing lease (RunInProgressError while another run holds it), then works the
   * heap batch by batch. The lease is renewed in every batch's transaction and on a timer; a run
   * that lost it (its owner stalled past the expiry and another run took over) stops with
   * LeaseLostError before committing another batch.
   */
  async run(options: RunOptions): Promise<FinishedRun> {
    const runId = options.runId ?? randomUUID();
    const startedAt = new Date();
    const started = performance.now();
    const lease = await this.repository.acquireRun({
      id: runId,
      owner: this.owner,
      batchSize: options.batchSize,
      threshold: formatCents(options.thresholdCents),
      startedAt,
      leaseMs: this.leaseMs,
    });
    if (!lease.acquired) throw new RunInProgressError(lease.live);
    if (lease.abandoned.length > 0) this.events.abandoned?.(lease.abandoned);
    const heartbeat = this.startHeartbeat(runId);
    try {
      const { report, stopped } = await this.process(runId, options, started, heartbeat);
      const status = stopped ? "STOPPED" : "COMPLETED";
      await this.repository.finishRun(runId, {
        status,
        report,
        ...(stopped ? { failureReason: "stopped at a batch boundary by a shutdown signal" } : {}),
      });
      return { ...report, status };
    } catch (error) {
      await this.repository
        .finishRun(runId, { status: "FAILED", failureReason: storedFailure(runFailureOf(error)) })
        .catch(() => undefined);
      throw error;
    } finally {
      heartbeat.stop();
    }
  }

  /** The run holding the lease, if any and unexpired. */
  liveRun(): Promise<LiveRun | null> {
    return this.repository.liveRun();
  }

  private startHeartbeat(runId: string): { lost: () => boolean; stop: () => void } {
    let lost = false;
    let renewing: Promise<void> = Promise.resolve();
    // A third of the lease: two renewals may fail (a slow database) before the lease runs out.
    const timer = setInterval(
      () => {
        renewing = renewing
          .then(() => this.repository.renewLease(runId, this.leaseMs))
          .then((held) => {
            if (!held) lost = true;
          })
          .catch(() => undefined);
      },
      Math.max(100, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    return { lost: () => lost, stop: () => clearInterval(timer) };
  }

  private async process(
    runId: string,
    options: RunOptions,
    started: number,
    heartbeat: { lost: () => boolean },
  ): Promise<{ report: RunReport; stopped: boolean }> {
    const { heap, errors: heapErrors } = await this.buildHeap(options.onProgress);
    const total = heap.size;
    await this.repository.setHeapSize(runId, total);
    const totals: RunTotals = { processed: 0, highPriority: 0, batches: 0, errors: 0, queued: 0 };
    const details: ProcessedDebtor[] = [];
    const firstErrors: ProcessingErrorRow[] = heapErrors.slice(0, REPORTED_DETAILS);
    if (heapErrors.length > 0) {
      await this.db.transaction((tx) => this.repository.insertErrors(tx, runId, heapErrors, new Date()));
      totals.errors += heapErrors.length;
    }
    const ids: number[] = [];
    let stopped = false;
    while (heap.size > 0) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      if (heartbeat.lost()) throw new LeaseLostError(runId);
      ids.length = 0;
      while (ids.length < options.batchSize && heap.size > 0) ids.push(heap.pop() as number);
      const batch = await this.commitBatch(runId, ids, options.thresholdCents);
      totals.processed += batch.processed.length;
      totals.highPriority += batch.highPriority;
      totals.errors += batch.errors.length;
      totals.queued += batch.outbox.length;
      totals.batches += 1;
      for (const debtor of batch.processed) if (details.length < REPORTED_DETAILS) details.push(debtor);
      for (const error of batch.errors) if (firstErrors.length < REPORTED_DETAILS) firstErrors.push(error);
      options.onProgress?.({ phase: "processing", done: total - heap.size, total });
    }
    const report = buildRunReport({ runId, heapSize: total, totals, details, errors: firstErrors, started });
    return { report, stopped };
  }

  /**
   * Reads the batch's debtors as they are now, re-scores them and saves scores, errors, outbox rows
   * and the run's counters, all in one transaction: a crash leaves either the whole batch or none.
   */
  private commitBatch(runId: string, ids: readonly number[], thresholdCents: number): Promise<BatchAssessment> {
    return this.db.transaction(async (tx) => {
      // First, so a run that lost its lease writes nothing: the new owner may be scoring these debtors.
      if (!(await this.repository.renewLease(runId, this.leaseMs, tx))) throw new LeaseLostError(runId);
      const processedAt = new Date();
      const rows = await this.repository.scoringRowsByIds(ids, tx);
      const batch = assessBatch(ids, rows, { runId, thresholdCents, processedAt });
      await this.scores.saveBatch(tx, batch.scores);
      await this.repository.insertErrors(tx, runId, batch.errors, processedAt);
      await this.outbox.insert(tx, runId, batch.outbox, processedAt);
      await this.repository.addBatch(tx, runId, {
        processed: batch.processed.length,
        highPriority: batch.highPriority,
        errors: batch.errors.length,
        queued: batch.outbox.length,
      });
      return batch;
    });
  }

  private async buildHeap(onProgress?: RunOptions["onProgress"]): Promise<BuiltHeap> {
    const heap = new PriorityHeap(READ_PAGE_SIZE);
    const errors: ProcessingErrorRow[] = [];
    for await (const page of this.repository.scoringPages(READ_PAGE_SIZE)) {
      for (const row of page) {
        try {
          heap.add(heapPriority(row), row.id);
        } catch (error) {
          errors.push({ debtorId: row.id, stage: "priority_calculation", message: (error as Error).message });
        }
      }
      onProgress?.({ phase: "building_heap", done: heap.size + errors.length, total: 0 });
    }
    heap.heapify();
    return { heap, errors };
  }
}
