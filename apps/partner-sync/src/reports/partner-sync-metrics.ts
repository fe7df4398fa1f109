import type { ConsumerCounters } from "@smartrecover/queue";
import { Gauge, type Registry } from "prom-client";
import { consumerSummary } from "../consumer/consumer-summary";
import type { ReportService } from "./report.service";

/**
 * Gauges read at scrape time: the database's reconciliation totals (true across restarts and
 * across several consumer processes) and, when a consumer runs in this process, its counters.
 */
export function registerPartnerSyncMetrics(
  registry: Registry,
  reports: Pick<ReportService, "reconciliationCounts" | "discrepancyCounts">,
  consumerCounters?: () => ConsumerCounters,
): void {
  new Gauge({
    name: "partner_sync_reconciliation_records",
    help: "Debtor sync records by reconciliation status of their last applied message",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [status, count] of await reports.reconciliationCounts()) this.set({ status }, count);
    },
  });
  new Gauge({
    name: "partner_sync_discrepancies",
    help: "Discrepancies by review state and type",
    labelNames: ["review_state", "type"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await reports.discrepancyCounts())
        this.set({ review_state: row.reviewState, type: row.type }, row.count);
    },
  });
  new Gauge({
    name: "partner_sync_open_discrepancies",
    help: "Discrepancies not yet resolved (OPEN or ACKNOWLEDGED), by type",
    labelNames: ["type"],
    registers: [registry],
    async collect() {
      this.reset();
      const open = new Map<string, number>();
      for (const row of await reports.discrepancyCounts()) {
        if (row.reviewState !== "RESOLVED") open.set(row.type, (open.get(row.type) ?? 0) + row.count);
      }
      for (const [type, count] of open) this.set({ type }, count);
    },
  });
  if (!consumerCounters) return;
  new Gauge({
    name: "partner_sync_consumer_messages",
    help: "Messages handled by this process's consumer since it started, by counter",
    labelNames: ["counter"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [counter, value] of Object.entries(consumerSummary(consumerCounters()))) this.set({ counter }, value);
    },
  });
}
