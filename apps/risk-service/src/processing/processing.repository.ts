import {
  chunk,
  type Dialect,
  forUpdate,
  inList,
  moneyText,
  placeholders,
  ROWS_PER_STATEMENT,
  readDate,
  type ServiceDatabase,
  type SqlExecutor,
  type StoredDate,
} from "@smartrecover/db-kit";
import { endedBy } from "./run-failure";

/** What the processor reads of a debtor: the scoring inputs, raw as stored, plus its stored score. */
export interface ScoringRow {
  id: number;
  total_debt_amount: string;
  monthly_income: string;
  late_payments_count: number;
  employment_status: string;
  contract_type: string;
  industry_sector: string;
  family_situation: string;
  payment_status: string;
  stored_score: number | null;
}

export interface ProcessingErrorRow {
  debtorId: number | null;
  stage: "priority_calculation" | "debtor_processing";
  message: string;
}

/**
 * RUNNING while its owner holds the lease; STOPPED when SIGTERM ended it at a batch boundary;
 * ABANDONED when its owner died and the lease expired (recorded by the next run to start).
 */
export type RunStatus = "RUNNING" | "COMPLETED" | "FAILED" | "STOPPED" | "ABANDONED";

/** The lease that makes processing runs exclusive across every process sharing the database. */
export const PROCESSING_LEASE = "process-debtors";

/** The run holding the lease, as a second run is told about it. */
export interface LiveRun {
  runId: string;
  owner: string;
  startedAt: Date;
  expiresAt: Date;
}

export type LeaseOutcome = { acquired: true; abandoned: string[] } | { acquired: false; live: LiveRun };

/** A row of `processing_runs`; the threshold as exact decimal text. */
export interface ProcessingRun {
  id: string;
  status: RunStatus;
  batchSize: number;
  threshold: string;
  heapSize: number;
  debtorsProcessed: number;
  highPriorityCount: number;
  batchesProcessed: number;
  errorsCount: number;
  messagesQueued: number;
  report: string | null;
  failureReason: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  owner: string | null;
  heartbeatAt: Date | null;
}

export interface RunProgress {
  processed: number;
  highPriority: number;
  errors: number;
  queued: number;
}

function scoringSelect(dialect: Dialect): string {
  return `SELECT d.id, ${moneyText(dialect, "d.total_debt_amount")} AS total_debt_amount,
    ${moneyText(dialect, "d.monthly_income")} AS monthly_income, d.late_payments_count, d.employment_status,
    d.contract_type, d.industry_sector, d.family_situation, d.payment_status, rs.total_score AS stored_score
    FROM debtors d LEFT JOIN risk_scores rs ON rs.debtor_id = d.id`;
}

function normalise(rows: ScoringRow[]): ScoringRow[] {
  // MySQL counts may arrive as bigint; everything else is already a plain value.
  for (const row of rows) {
    row.id = Number(row.id);
    row.late_payments_count = Number(row.late_payments_count);
    row.stored_score = row.stored_score === null ? null : Number(row.stored_score);
  }
  return rows;
}

type RunRow = Record<
  | "id"
  | "status"
  | "threshold"
  | "report"
  | "failure_reason"
  | "batch_size"
  | "heap_size"
  | "debtors_processed"
  | "high_priority_count"
  | "batches_processed"
  | "errors_count"
  | "messages_queued"
  | "owner",
  unknown
> & { started_at: StoredDate; finished_at: StoredDate | null; heartbeat_at: StoredDate | null };

type LeaseRow = Record<"run_id" | "owner", unknown> & {
  started_at: StoredDate | null;
  expires_at: StoredDate | null;
};

/** The SELECT list of a processing run, as toRun reads it (the dialect formats the threshold). */
function runSelect(dialect: SqlExecutor["dialect"]): string {
  return `SELECT id, status, batch_size, ${moneyText(dialect, "threshold")} AS threshold, heap_size,
    debtors_processed, high_priority_count, batches_processed, errors_count, messages_queued, report,
    failure_reason, started_at, finished_at, owner, heartbeat_at`;
}

function toRun(row: RunRow): ProcessingRun {
  return {
    id: String(row.id),
    status: row.status as RunStatus,
    batchSize: Number(row.batch_size),
    threshold: String(row.threshold),
    heapSize: Number(row.heap_size),
    debtorsProcessed: Number(row.debtors_processed),
    highPriorityCount: Number(row.high_priority_count),
    batchesProcessed: Number(row.batches_processed),
    errorsCount: Number(row.errors_count),
    messagesQueued: Number(row.messages_queued),
    report: row.report === null ? null : String(row.report),
    failureReason: row.failure_reason === null ? null : String(row.failure_reason),
    startedAt: readDate(row.started_at),
    finishedAt: readDate(row.finished_at),
    owner: row.owner === null ? null : String(row.owner),
    heartbeatAt: readDate(row.heartbeat_at),
  };
}

/** The only code that writes `processing_runs`, `processing_leases` and `processing_errors`; it also reads debtors for scoring. */
export class ProcessingRepository {
  constructor(private readonly db: ServiceDatabase) {}

  /** Every debtor in id order, a page at a time (keyset pagination), so memory stays flat. */
  async *scoringPages(pageSize: number): AsyncGenerator<ScoringRow[]> {
    let afterId = 0;
    const sql = `${scoringSelect(this.db.dialect)} WHERE d.id > ? ORDER BY d.id LIMIT ?`;
    for (;;) {
      const page = normalise(await this.db.query<ScoringRow>(sql, [afterId, pageSize]));
      if (page.length === 0) return;
      yield page;
      afterId = (page[page.length - 1] as ScoringRow).id;
      if (page.length < pageSize) return;
    }
  }

  /** The debtors' current rows, by id; read inside a batch's transaction so they are what it scores. */
  async scoringRowsByIds(ids: readonly number[], tx: SqlExecutor = this.db): Promise<Map<number, ScoringRow>> {
    const found = new Map<number, ScoringRow>();
    for (const part of chunk(ids, ROWS_PER_STATEMENT * 2)) {
      const sql = `${scoringSelect(tx.dialect)} WHERE d.id IN ${inList(part.length)}`;
      for (const row of normalise(await tx.query<ScoringRow>(sql, part))) found.set(row.id, row);
    }
    return found;
  }

  async insertErrors(tx: SqlExecutor, runId: string, errors: readonly ProcessingErrorRow[], at: Date): Promise<void> {
    for (const part of chunk(errors, ROWS_PER_STATEMENT)) {
      await tx.execute(
        `INSERT INTO processing_errors (run_id, debtor_id, stage, message, created_at) VALUES ${placeholders(5, part.length)}`,
        part.flatMap((e) => [runId, e.debtorId, e.stage, e.message.slice(0, 2000), at]),
      );
    }
  }

  /** Adds one committed batch to the run's counters, in the batch's transaction. */
  async addBatch(tx: SqlExecutor, runId: string, batch: RunProgress): Promise<void> {
    await tx.execute(
      `UPDATE processing_runs SET debtors_processed = debtors_processed + ?, high_priority_count = high_priority_count + ?,
        errors_count = errors_count + ?, messages_queued = messages_queued + ?, batches_processed = batches_processed + 1
        WHERE id = ?`,
      [batch.processed, batch.highPriority, batch.errors, batch.queued, runId],
    );
  }

  /**
   * Takes the processing lease for a new run and creates the run's row, in one transaction: the
   * lease row is locked (FOR UPDATE; SQLite's BEGIN IMMEDIATE), so of two runs starting at once
   * exactly one gets it. A lease past its expiry belonged to a dead owner: its run, and any other
   * run still RUNNING without the lease, is recorded ABANDONED. Their committed batches stay, and
   * so do their outbox rows, which the relay publishes like any others.
   */
  async acquireRun(run: {
    id: string;
    owner: string;
    batchSize: number;
    threshold: string;
    startedAt: Date;
    leaseMs: number;
  }): Promise<LeaseOutcome> {
    // A plain read first: while the lease is live the answer comes at once, without waiting for
    // the row lock the owner's current batch holds (renewing the lease) to be released.
    const live = await this.liveRun();
    if (live) return { acquired: false, live };
    const mysql = this.db.dialect === "mysql";
    await this.db.execute(`${mysql ? "INSERT IGNORE" : "INSERT OR IGNORE"} INTO processing_leases (name) VALUES (?)`, [
      PROCESSING_LEASE,
    ]);
    return this.db.transaction(async (tx) => {
      const [lease] = await tx.query<LeaseRow>(
        `SELECT run_id, owner, started_at, expires_at FROM processing_leases WHERE name = ?${forUpdate(tx.dialect)}`,
        [PROCESSING_LEASE],
      );
      const now = new Date();
      const expiresAt = readDate(lease?.expires_at ?? null);
      if (lease && lease.run_id !== null && expiresAt && expiresAt > now) {
        return {
          acquired: false,
          live: {
            runId: String(lease.run_id),
            owner: String(lease.owner),
            startedAt: readDate(lease.started_at) ?? now,
            expiresAt,
          },
        };
      }
      const stale = await tx.query<{ id: unknown }>("SELECT id FROM processing_runs WHERE status = 'RUNNING'");
      for (const row of stale) {
        await tx.execute(
          "UPDATE processing_runs SET status = 'ABANDONED', finished_at = ?, failure_reason = ? WHERE id = ? AND status = 'RUNNING'",
          [now, endedBy("ABANDONED"), String(row.id)],
        );
      }
      await tx.execute(
        "UPDATE processing_leases SET run_id = ?, owner = ?, started_at = ?, heartbeat_at = ?, expires_at = ? WHERE name = ?",
        [run.id, run.owner, run.startedAt, now, new Date(now.getTime() + run.leaseMs), PROCESSING_LEASE],
      );
      await tx.execute(
        `INSERT INTO processing_runs (id, status, dry_run, batch_size, threshold, heap_size, debtors_processed,
          high_priority_count, batches_processed, errors_count, messages_queued, started_at, owner, heartbeat_at)
          VALUES (?, 'RUNNING', ?, ?, ?, 0, 0, 0, 0, 0, 0, ?, ?, ?)`,
        [run.id, false, run.batchSize, run.threshold, run.startedAt, run.owner, now],
      );
      return { acquired: true, abandoned: stale.map((row) => String(row.id)) };
    });
  }

  /**
   * Extends the run's lease; false once another run has taken it (this run was recorded
   * ABANDONED), and then the run must stop. Called in every batch's transaction, so a run that
   * lost its lease commits nothing more, and on a timer between batches.
   */
  async renewLease(runId: string, leaseMs: number, tx: SqlExecutor = this.db): Promise<boolean> {
    const now = new Date();
    const held = await tx.execute(
      "UPDATE processing_leases SET heartbeat_at = ?, expires_at = ? WHERE name = ? AND run_id = ?",
      [now, new Date(now.getTime() + leaseMs), PROCESSING_LEASE, runId],
    );
    if (held === 0) return false;
    await tx.execute("UPDATE processing_runs SET heartbeat_at = ? WHERE id = ?", [now, runId]);
    return true;
  }

  async setHeapSize(runId: string, heapSize: number): Promise<void> {
    await this.db.execute("UPDATE processing_runs SET heap_size = ? WHERE id = ?", [heapSize, runId]);
  }

  /**
   * Records how the run ended and gives the lease back, in one transaction. A run already
   * recorded ABANDONED (it lost its lease) keeps that status.
   */
  async finishRun(
    runId: string,
    outcome: { status: Exclude<RunStatus, "RUNNING" | "ABANDONED">; report?: unknown; failureReason?: string },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute(
        "UPDATE processing_runs SET status = ?, finished_at = ?, report = ?, failure_reason = ? WHERE id = ? AND status = 'RUNNING'",
        [
          outcome.status,
          new Date(),
          outcome.report === undefined ? null : JSON.stringify(outcome.report),
          outcome.failureReason ?? null,
          runId,
        ],
      );
      await tx.execute(
        `UPDATE processing_leases SET run_id = NULL, owner = NULL, started_at = NULL, heartbeat_at = NULL,
          expires_at = NULL WHERE name = ? AND run_id = ?`,
        [PROCESSING_LEASE, runId],
      );
    });
  }

  /** The run holding an unexpired lease, if any. */
  async liveRun(now: Date = new Date()): Promise<LiveRun | null> {
    const [lease] = await this.db.query<LeaseRow>(
      "SELECT run_id, owner, started_at, expires_at FROM processing_leases WHERE name = ?",
      [PROCESSING_LEASE],
    );
    const expiresAt = readDate(lease?.expires_at ?? null);
    if (!lease || lease.run_id === null || !expiresAt || expiresAt <= now) return null;
    return {
      runId: String(lease.run_id),
      owner: String(lease.owner),
      startedAt: readDate(lease.started_at) ?? now,
      expiresAt,
    };
  }

  async findRun(runId: string): Promise<ProcessingRun | null> {
    const [row] = await this.db.query<RunRow>(`${runSelect(this.db.dialect)} FROM processing_runs WHERE id = ?`, [
      runId,
    ]);
    return row ? toRun(row) : null;
  }

  /**
   * Runs newest first (started_at, then id, both descending), at most `limit`, after the run `afterRunId`
   * when given. Answers null when that run does not exist, so a forged cursor is told apart from a last page.
   */
  async listRuns(limit: number, afterRunId?: string): Promise<ProcessingRun[] | null> {
    if (afterRunId === undefined) {
      const rows = await this.db.query<RunRow>(
        `${runSelect(this.db.dialect)} FROM processing_runs ORDER BY started_at DESC, id DESC LIMIT ?`,
        [limit],
      );
      return rows.map(toRun);
    }
    const [after] = await this.db.query<{ started_at: StoredDate }>(
      "SELECT started_at FROM processing_runs WHERE id = ?",
      [afterRunId],
    );
    if (!after) return null;
    const startedAt = readDate(after.started_at);
    const rows = await this.db.query<RunRow>(
      `${runSelect(this.db.dialect)} FROM processing_runs
        WHERE started_at < ? OR (started_at = ? AND id < ?)
        ORDER BY started_at DESC, id DESC LIMIT ?`,
      [startedAt, startedAt, afterRunId, limit],
    );
    return rows.map(toRun);
  }
}
