import type { SqlExecutor } from "@smartrecover/db-kit";
import { toDiscrepancy } from "../discrepancies/discrepancy.mapper";
import type { Discrepancy, DiscrepancyFilter } from "../discrepancies/discrepancy.schemas";
import { REVIEW_STATES } from "../discrepancies/discrepancy-lifecycle";
import { countByStateAndType, iterateDiscrepancies, unresolvedAgeing } from "../discrepancies/discrepancy-queries";
import { DISCREPANCY_TYPES } from "../reconciliation/reconciliation-rules";
import { countByReconciliationStatus } from "../reconciliation/sync-record.repository";
import type { ReconciliationSummary, ReportFormat } from "./report.schemas";

const zeroes = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

export async function buildSummary(db: SqlExecutor, now: Date): Promise<ReconciliationSummary> {
  const [counts, ageing, statuses] = await Promise.all([
    countByStateAndType(db),
    unresolvedAgeing(db, now),
    countByReconciliationStatus(db),
  ]);
  const byStatus = zeroes(REVIEW_STATES);
  const byType = zeroes(DISCREPANCY_TYPES);
  const unresolvedByType = zeroes(DISCREPANCY_TYPES);
  let total = 0;
  for (const { reviewState, type, count } of counts) {
    total += count;
    if (reviewState in byStatus) byStatus[reviewState as keyof typeof byStatus] += count;
    if (!(type in byType)) continue;
    byType[type as keyof typeof byType] += count;
    if (reviewState === "OPEN" || reviewState === "ACKNOWLEDGED") {
      unresolvedByType[type as keyof typeof unresolvedByType] += count;
    }
  }
  const matched = statuses.get("MATCHED") ?? 0;
  const discrepancy = statuses.get("DISCREPANCY") ?? 0;
  const pending = statuses.get("PENDING") ?? 0;
  return {
    generated_at: now.toISOString(),
    discrepancies: {
      total,
      by_status: byStatus,
      by_type: byType,
      unresolved_by_type: unresolvedByType,
      unresolved_ageing: {
        "0_1_days": ageing.days0to1,
        "2_7_days": ageing.days2to7,
        "8_30_days": ageing.days8to30,
        over_30_days: ageing.over30,
      },
    },
    reconciliation: { matched, discrepancy, pending, total: matched + discrepancy + pending },
  };
}

export const CSV_COLUMNS = [
  "id",
  "debtor_id",
  "partner_name",
  "type",
  "review_state",
  "internal_value",
  "external_value",
  "difference_amount",
  "difference_percent",
  "tolerance_percent",
  "occurrences",
  "first_seen_at",
  "last_seen_at",
  "resolved_at",
  "age_days",
  "source_message_id",
  "last_message_id",
] as const satisfies ReadonlyArray<keyof Discrepancy>;

/** RFC 4180 quoting; text a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+@\t\r]/.test(text)) text = `'${text}`;
  if (typeof value === "string" && /^-/.test(text) && !/^-\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The report as text chunks, streamed from the database a page at a time: CSV (one row per
 * discrepancy) or JSON (the summary, then the discrepancies).
 */
export async function* renderReport(
  db: SqlExecutor,
  format: ReportFormat,
  filter: DiscrepancyFilter,
  now: Date,
): AsyncGenerator<string> {
  const rows = iterateDiscrepancies(db, filter, now);
  if (format === "csv") {
    yield `${CSV_COLUMNS.join(",")}\r\n`;
    for await (const row of rows) {
      const item = toDiscrepancy(row, now);
      yield `${CSV_COLUMNS.map((column) => csvField(item[column])).join(",")}\r\n`;
    }
    return;
  }
  const { generated_at, ...summary } = await buildSummary(db, now);
  const head = JSON.stringify({ generated_at, filters: filter, summary });
  yield `${head.slice(0, -1)},"discrepancies":[`;
  let first = true;
  for await (const row of rows) {
    yield `${first ? "" : ","}${JSON.stringify(toDiscrepancy(row, now))}`;
    first = false;
  }
  yield "]}\n";
}
