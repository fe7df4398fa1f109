import type { RiskDatabase } from "../db/risk-database";
import { chunk, moneyText, placeholders, ROWS_PER_STATEMENT } from "../db/sql-dialect";

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

export interface OutboxRow {
  messageId: string;
  debtorId: number;
  payload: string;
}

type Statement = { sql: string; params: unknown[] };

function scoringSelect(dialect: RiskDatabase["dialect"]): string {
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

export class ProcessingRepository {
  constructor(private readonly db: RiskDatabase) {}

  get dialect(): RiskDatabase["dialect"] {
    return this.db.dialect;
  }

  /** Every debtor in id order, a page at a time (keyset pagination), so memory stays flat. */
  async *scoringPages(pageSize: number): AsyncGenerator<ScoringRow[]> {
    let afterId = 0;
    const sql = `${scoringSelect(this.db.dialect)} WHERE d.id > ? ORDER BY d.id LIMIT ?`;
    for (;;) {
      const page = normalise(await this.db.sql.query<ScoringRow>(sql, [afterId, pageSize]));
      if (page.length === 0) return;
      yield page;
      afterId = (page[page.length - 1] as ScoringRow).id;
      if (page.length < pageSize) return;
    }
  }

  async scoringRowsByIds(ids: readonly number[]): Promise<Map<number, ScoringRow>> {
    const found = new Map<number, ScoringRow>();
    for (const part of chunk(ids, ROWS_PER_STATEMENT * 2)) {
      const sql = `${scoringSelect(this.db.dialect)} WHERE d.id IN (${part.map(() => "?").join(", ")})`;
      for (const row of normalise(await this.db.sql.query<ScoringRow>(sql, part))) found.set(row.id, row);
    }
    return found;
  }

  errorStatements(runId: string, errors: readonly ProcessingErrorRow[], at: Date): Statement[] {
    return chunk(errors, ROWS_PER_STATEMENT).map((part) => ({
      sql: `INSERT INTO processing_errors (run_id, debtor_id, stage, message, created_at) VALUES ${placeholders(5, part.length)}`,
      params: part.flatMap((e) => [runId, e.debtorId, e.stage, e.message.slice(0, 2000), at]),
    }));
  }

  outboxStatements(runId: string, rows: readonly OutboxRow[], at: Date): Statement[] {
    return chunk(rows, ROWS_PER_STATEMENT).map((part) => ({
      sql: `INSERT INTO outbox_messages (message_id, run_id, debtor_id, payload, created_at, attempts) VALUES ${placeholders(6, part.length)}`,
      params: part.flatMap((row) => [row.messageId, runId, row.debtorId, row.payload, at, 0]),
    }));
  }

  progressStatement(
    runId: string,
    delta: { processed: number; highPriority: number; errors: number; queued: number },
  ): Statement {
    return {
      sql: `UPDATE processing_runs SET debtors_processed = debtors_processed + ?, high_priority_count = high_priority_count + ?,
        errors_count = errors_count + ?, messages_queued = messages_queued + ?, batches_processed = batches_processed + 1
        WHERE id = ?`,
      params: [delta.processed, delta.highPriority, delta.errors, delta.queued, runId],
    };
  }

  async commit(statements: Statement[]): Promise<void> {
    await this.db.transaction(statements);
  }

  async createRun(run: { id: string; batchSize: number; threshold: string; startedAt: Date }): Promise<void> {
    await this.db.prisma.processingRun.create({
      data: {
        id: run.id,
        status: "RUNNING",
        batchSize: run.batchSize,
        threshold: run.threshold,
        startedAt: run.startedAt,
      },
    });
  }

  async setHeapSize(runId: string, heapSize: number): Promise<void> {
    await this.db.prisma.processingRun.update({ where: { id: runId }, data: { heapSize } });
  }

  async finishRun(
    runId: string,
    outcome: { status: "COMPLETED" | "FAILED"; report?: unknown; failureReason?: string },
  ) {
    await this.db.prisma.processingRun.update({
      where: { id: runId },
      data: {
        status: outcome.status,
        finishedAt: new Date(),
        report: outcome.report === undefined ? null : JSON.stringify(outcome.report),
        failureReason: outcome.failureReason ?? null,
      },
    });
  }

  async findRun(runId: string) {
    return this.db.prisma.processingRun.findUnique({ where: { id: runId } });
  }

  async findRunningRun() {
    return this.db.prisma.processingRun.findFirst({ where: { status: "RUNNING" }, orderBy: { startedAt: "desc" } });
  }
}
