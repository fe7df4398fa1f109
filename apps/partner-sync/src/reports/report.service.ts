import type { SqlExecutor } from "@smartrecover/db-kit";
import type { DiscrepancyFilter } from "../discrepancies/discrepancy.schemas";
import { countByStateAndType } from "../discrepancies/discrepancy-queries";
import { countByReconciliationStatus } from "../reconciliation/sync-record.repository";
import { buildSummary, renderReport } from "./reconciliation-report";
import type { ReconciliationSummary, ReportFormat } from "./report.schemas";

/** The reporting use cases: the summary, the streamed export, and the totals /metrics reads. */
export class ReportService {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  now(): Date {
    return this.clock();
  }

  summary(now: Date = this.clock()): Promise<ReconciliationSummary> {
    return buildSummary(this.db, now);
  }

  /** The report as text chunks, read a page at a time (bounded memory for any size). */
  render(format: ReportFormat, filter: DiscrepancyFilter, now: Date = this.clock()): AsyncGenerator<string> {
    return renderReport(this.db, format, filter, now);
  }

  reconciliationCounts(): Promise<Map<string, number>> {
    return countByReconciliationStatus(this.db);
  }

  discrepancyCounts() {
    return countByStateAndType(this.db);
  }
}
