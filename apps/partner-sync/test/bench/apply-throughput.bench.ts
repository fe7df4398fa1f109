// Applier throughput, without SQS: how many messages/s one process reconciles into the database.
//   node --import tsx apps/partner-sync/test/bench/apply-throughput.bench.ts [database-url] [messages] [batch-size]
// Defaults: a fresh SQLite file in a temp folder, 20,000 messages, batches of 10. Three passes over
// the same debtors: first sightings (partner books created), repeats (seen again / auto-resolved)
// and redeliveries (all duplicates).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HighPriorityDebtorMessage, PAYMENT_STATUSES } from "@smartrecover/contracts";
import { dropMysqlDatabase, redactUrl } from "@smartrecover/db-kit";
import { createLogger } from "@smartrecover/service-kit";
import { loadPartnerSyncConfig } from "../../src/config";
import { openPartnerSync } from "../../src/service";

const tempDir = process.argv[2] ? undefined : mkdtempSync(join(tmpdir(), "partner-sync-bench-"));
const url = process.argv[2] || `file:${join(tempDir as string, "bench.db")}`;
const total = Number(process.argv[3] ?? 20_000);
const batchSize = Number(process.argv[4] ?? 10);

function message(run: number, debtorId: number): HighPriorityDebtorMessage {
  return {
    message_id: `bench-r${run}-d${debtorId}`,
    schema_version: 1,
    run_id: `bench-${run}`,
    debtor_id: debtorId,
    debt_amount: `${1000 + (debtorId % 5000)}.${String(debtorId % 100).padStart(2, "0")}`,
    risk_score: 300,
    risk_level: "HIGH",
    priority: "300000.00",
    payment_status: PAYMENT_STATUSES[(debtorId + run) % 3] ?? "UNPAID",
    processed_at: new Date(Date.UTC(2026, 0, 1) + run * 3_600_000).toISOString(),
  };
}

// partner-sync's defaults: partner "simulated-partner", tolerance 1 %, seed 42, 2 % missing at the partner.
const sync = await openPartnerSync(loadPartnerSyncConfig({ PARTNER_SYNC_DATABASE_URL: url }), {
  logger: createLogger({ level: "silent", name: "bench" }),
});
const { applier } = sync.services;
console.log(`${redactUrl(url)} (${sync.db.dialect}), ${total} messages per pass, batches of ${batchSize}`);
for (const [label, run] of [
  ["first sightings", 1],
  ["repeats", 2],
  ["redeliveries", 2],
] as const) {
  const counts: Record<string, number> = {};
  const started = performance.now();
  for (let first = 1; first <= total; first += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, total - first + 1) }, (_, i) => message(run, first + i));
    for (const outcome of await applier.applyBatch(batch)) {
      const key = outcome.outcome === "applied" ? outcome.reconciliationStatus : outcome.outcome;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  ${label.padEnd(16)} ${Math.round(total / seconds)
      .toLocaleString("en-US")
      .padStart(7)} msg/s  ${JSON.stringify(counts)}`,
  );
}
await sync.close();
if (tempDir) rmSync(tempDir, { recursive: true, force: true });
else if (process.argv[5] === "--drop") await dropMysqlDatabase(url);
