import {
  chunk,
  type Dialect,
  inList,
  moneyText,
  placeholders,
  ROWS_PER_STATEMENT,
  readDate,
  type ServiceDatabase,
  type SqlExecutor,
  type StoredDate,
} from "@smartrecover/db-kit";

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

export type RunStatus = "RUNNING" | "COMPLETED" | "FAILED";

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
  | "messages_queued",
  unknown
> & { started_at: StoredDate; finished_at: StoredDate | null };

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
  };
}

/** The only code that writes `processing_runs` and `processing_errors`; it also reads debtors for scoring. */
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

  async createRun(run: { id: string; batchSize: number; threshold: string; startedAt: Date }): Promise<void> {
    await this.db.execute(
      `INSERT INTO processing_runs (id, status, dry_run, batch_size, threshold, heap_size, debtors_processed,
        high_priority_count, batches_processed, errors_count, messages_queued, started_at)
        VALUES (?, 'RUNNING', ?, ?, ?, 0, 0, 0, 0, 0, 0, ?)`,
      [run.id, false, run.batchSize, run.threshold, run.startedAt],
    );
  }

  async setHeapSize(runId: string, heapSize: number): Promise<void> {
    await this.db.execute("UPDATE processing_runs SET heap_size = ? WHERE id = ?", [heapSize, runId]);
  }

  async finishRun(
    runId: string,
    outcome: { status: Exclude<RunStatus, "RUNNING">; report?: unknown; failureReason?: string },
  ): Promise<void> {
    await this.db.execute(
      "UPDATE processing_runs SET status = ?, finished_at = ?, report = ?, failure_reason = ? WHERE id = ?",
      [
        outcome.status,
        new Date(),
        outcome.report === undefined ? null : JSON.stringify(outcome.report),
        outcome.failureReason ?? null,
        runId,
      ],
    );
  }

  async findRun(runId: string): Promise<ProcessingRun | null> {
    const [row] = await this.db.query<RunRow>(
      `SELECT id, status, batch_size, ${moneyText(this.db.dialect, "threshold")} AS threshold, heap_size,
        debtors_processed, high_priority_count, batches_processed, errors_count, messages_queued, report,
        failure_reason, started_at, finished_at FROM processing_runs WHERE id = ?`,
      [runId],
    );
    return row ? toRun(row) : null;
  }
}
