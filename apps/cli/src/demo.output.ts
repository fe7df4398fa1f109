import type { ConsumeStageResult } from "./demo-partner-sync-stages";
import type { RiskStagesResult } from "./demo-risk-stages";

const n = (value: number) => value.toLocaleString("en-US");
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const rate = (count: number, seconds: number) => (seconds > 0 ? Math.round(count / seconds) : 0);

export function buildDemoSummary(input: {
  options: { count: number; seed: number; distribution: string; threshold: string; tolerance: string };
  dataDir: string;
  risk: RiskStagesResult;
  sync: ConsumeStageResult;
  totalSeconds: number;
}) {
  const { risk, sync } = input;
  const generated = risk.generation.debtors_created;
  const processed = risk.processing.summary.total_debtors_successfully_processed;
  const high = risk.processing.summary.high_priority_debtors_successfully_processed;
  return {
    data_dir: input.dataDir,
    parameters: input.options,
    stages: {
      generate: {
        count: generated,
        seconds: round(risk.generation.elapsed_seconds),
        per_second: rate(generated, risk.generation.elapsed_seconds),
      },
      process: {
        count: processed,
        seconds: round(risk.processing.summary.processing_time_seconds),
        per_second: rate(processed, risk.processing.summary.processing_time_seconds),
        errors: risk.processing.summary.errors_count,
      },
      publish: {
        count: risk.delivery.published,
        seconds: round(risk.delivery.seconds),
        per_second: rate(risk.delivery.published, risk.delivery.seconds),
        pending: risk.delivery.pending,
        // Published by the relay while batches commit: its seconds run from the start of processing.
        overlaps: ["process"],
      },
      reconcile: {
        count: sync.stats.applied,
        seconds: round(sync.seconds),
        per_second: rate(sync.stats.applied, sync.seconds),
        duplicates: sync.stats.duplicate,
        stale: sync.stats.stale,
        dead_lettered: sync.stats.poison,
        // The consumer runs beside both: its seconds also run from the start of processing.
        overlaps: ["process", "publish"],
      },
      total_seconds: round(input.totalSeconds),
    },
    high_priority: { count: high, of: processed, share_percent: processed ? round((high / processed) * 100, 1) : 0 },
    reconciliation: sync.summary.reconciliation,
    discrepancies_by_type: sync.summary.discrepancies.by_type,
    top_accounts: risk.processing.detailed_results.slice(0, 5),
  };
}

export type DemoSummary = ReturnType<typeof buildDemoSummary>;

export function printDemoSummary(summary: DemoSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(summary));
    return;
  }
  const s = summary.stages;
  const p = summary.parameters;
  const lines = [
    "",
    `SmartRecover demo: ${n(p.count)} debtors, seed ${p.seed} (${p.distribution}), threshold ${p.threshold}, tolerance ${p.tolerance} %`,
    "",
    "  stage       count       seconds   throughput",
    `  generate    ${n(s.generate.count).padEnd(10)}  ${String(s.generate.seconds).padEnd(8)}  ${n(s.generate.per_second)} debtors/s`,
    `  process     ${n(s.process.count).padEnd(10)}  ${String(s.process.seconds).padEnd(8)}  ${n(s.process.per_second)} debtors/s`,
    `  publish     ${n(s.publish.count).padEnd(10)}  ${String(s.publish.seconds).padEnd(8)}  ${n(s.publish.per_second)} messages/s  (alongside process)`,
    `  reconcile   ${n(s.reconcile.count).padEnd(10)}  ${String(s.reconcile.seconds).padEnd(8)}  ${n(s.reconcile.per_second)} messages/s  (alongside process and publish)`,
    `  total                   ${String(s.total_seconds).padEnd(8)}  generate → last reconciliation`,
    "",
    `High priority: ${n(summary.high_priority.count)} of ${n(summary.high_priority.of)} debtors (${summary.high_priority.share_percent} %)`,
    `Reconciled: ${n(summary.reconciliation.matched)} matched, ${n(summary.reconciliation.discrepancy)} with discrepancies` +
      ` (${Object.entries(summary.discrepancies_by_type)
        .map(([type, count]) => `${type} ${n(count)}`)
        .join(", ")})`,
    `Plumbing: ${s.process.errors} processing errors, ${s.publish.pending} unpublished, ${s.reconcile.duplicates} duplicates, ${s.reconcile.dead_lettered} dead-lettered`,
    "",
    "Top accounts (highest priority first)",
    ...summary.top_accounts.map(
      (a, i) =>
        `  ${i + 1}. debtor ${a.debtor_id}  priority ${a.priority}  score ${a.risk_score} ${a.risk_level}  debt ${a.debt_amount}`,
    ),
    "",
    "Explore the results (the demo's databases are kept in the folder above; ./run is the repository's launcher):",
    `  DATA_DIR=${summary.data_dir} ./run start:risk-service   → http://127.0.0.1:3000/docs`,
    `  DATA_DIR=${summary.data_dir} ./run start:partner-sync   → http://127.0.0.1:3001/docs`,
    "  Every /api/ call needs a token (in /docs: Authorize); one for you, valid 8 h:",
    `  export TOKEN=$(DATA_DIR=${summary.data_dir} ./run --silent cli auth issue-token --subject "\${USER:-demo}" --role operator)`,
    `  curl -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:3000/api/risk_service/debtors/high-risk/?limit=5'`,
    `  DATA_DIR=${summary.data_dir} ./run cli reconciliation-report --format csv`,
    `  DATA_DIR=${summary.data_dir} ./run cli process-debtors --dry-run`,
  ];
  console.log(lines.join("\n"));
}
