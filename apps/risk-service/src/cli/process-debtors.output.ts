import type { OutboxFlushReport } from "../outbox/outbox-publisher";
import type { PriorityReport, RunReport } from "../processing/run-report";
import { textTable } from "./text-table";

const number = new Intl.NumberFormat("en-US");

export function printDryRun(report: PriorityReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`Dry run: ${number.format(report.heap_size)} debtors in the heap; nothing was written.`);
  if (report.errors_count > 0) console.log(`${number.format(report.errors_count)} debtors could not be prioritised.`);
  if (report.top.length === 0) return;
  console.log(`\nTop ${report.top.length} by priority (risk score × debt)`);
  console.log(
    textTable([
      ["#", "debtor", "priority", "score", "debt"],
      ...report.top.map((t, i) => [i + 1, t.debtor_id, t.priority, t.risk_score, t.debt_amount]),
    ]),
  );
}

export function printRunReport(
  report: RunReport & { delivery?: OutboxFlushReport },
  context: { json: boolean; threshold: string; batchSize: number },
): void {
  if (context.json) {
    console.log(JSON.stringify(report));
    return;
  }
  const s = report.summary;
  const ended = "status" in report && report.status === "STOPPED" ? "stopped at a batch boundary" : "completed";
  console.log(`Processing run ${report.run_id} ${ended}`);
  console.log(
    textTable([
      ["Debtors processed", number.format(s.total_debtors_successfully_processed)],
      [
        "High priority",
        `${number.format(s.high_priority_debtors_successfully_processed)} (priority > ${context.threshold})`,
      ],
      ["Batches", `${number.format(s.batches_processed)} of up to ${number.format(context.batchSize)}`],
      ["Errors", number.format(s.errors_count)],
      ["Messages queued", number.format(s.messages_queued)],
      ...(report.delivery
        ? [
            ["Messages published", number.format(report.delivery.published)],
            ["Still pending", number.format(report.delivery.pending)],
          ]
        : []),
      ["Elapsed", `${s.processing_time_seconds.toFixed(2)} s`],
      ["Throughput", `${number.format(Math.round(s.throughput_debtors_per_second))} debtors/s`],
    ]),
  );
  if (report.delivery?.error) {
    console.log(`\nNot all messages were published (${report.delivery.error}); they stay in the outbox for the relay.`);
  }
  if (report.errors.length > 0) {
    console.log(`\nFirst errors`);
    console.log(textTable(report.errors.map((e) => [e.debtor_id ?? "-", e.stage, e.message])));
  }
  if (report.detailed_results.length > 0) {
    console.log(`\nTop processed accounts`);
    console.log(
      textTable([
        ["#", "debtor", "priority", "score", "level", "debt", "queued"],
        ...report.detailed_results.map((d, i) => [
          i + 1,
          d.debtor_id,
          d.priority,
          d.risk_score,
          d.risk_level,
          d.debt_amount,
          d.high_priority ? "yes" : "no",
        ]),
      ]),
    );
  }
}
