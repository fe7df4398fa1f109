// Queue pipeline benchmark: outbox publish (risk-service) and consume + reconcile (partner-sync).
// `node --import tsx bench/queue.ts` prints its section; bench/run.ts can add `queueBench` as a suite.
// SQS is fauxqs in a child process on loopback (this file re-run with --serve-sqs), so the
// measured process does not also carry the SQS server, as with a real SQS.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDialect } from "@smartrecover/db-kit";
import { loadPartnerSyncConfig } from "../apps/partner-sync/src/config";
import { createPartnerSyncConsumer } from "../apps/partner-sync/src/consumer/partner-sync-consumer";
import { openPartnerSyncDatabase } from "../apps/partner-sync/src/db/partner-sync-database";
import { openRiskDatabase } from "../apps/risk-service/src/db/risk-database";
import { chunk, placeholders } from "../apps/risk-service/src/db/sql-dialect";
import { flushOutbox } from "../apps/risk-service/src/outbox/outbox-flush";
import { connectQueues, publishMessages, type QueueSettings, startLocalSqs } from "../packages/queue/src/index";
import { type BenchSection, markdownTable, median } from "./bench-kit";

const COUNT = Number(process.env.BENCH_QUEUE_COUNT ?? 30_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DIALECTS: TestDialect[] = ["sqlite", "mysql"];
const LABEL: Record<TestDialect, string> = { sqlite: "SQLite", mysql: "MariaDB" };

function message(runId: string, debtorId: number) {
  return {
    message_id: randomUUID(),
    schema_version: 1,
    run_id: runId,
    debtor_id: debtorId,
    debt_amount: "30000.00",
    risk_score: 377,
    risk_level: "CRITICAL",
    priority: "11310000.00",
    payment_status: "UNPAID",
    processed_at: new Date().toISOString(),
  };
}

/** Starts fauxqs in a child process; resolves with its endpoint and a stop function. */
async function startSqsProcess(): Promise<{ endpoint: string; stop: () => void }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--serve-sqs"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`SQS process exited (${code})`)));
  });
  return { endpoint, stop: () => child.kill("SIGTERM") };
}

function settings(endpoint: string): QueueSettings {
  const name = `bench-${randomUUID().slice(0, 8)}`;
  return { region: "us-east-1", endpoint, queueName: name, dlqName: `${name}-dlq` };
}

/** Seconds to publish COUNT pending outbox rows (flushOutbox, as process-debtors and the relay run it). */
async function publishRun(dialect: TestDialect, endpoint: string): Promise<number> {
  const testDb = createTestDatabase(dialect, "bench_outbox");
  const db = await openRiskDatabase(testDb.url);
  const queues = connectQueues(settings(endpoint));
  try {
    const runId = randomUUID();
    const rows = Array.from({ length: COUNT }, (_, i) => message(runId, i + 1));
    const at = new Date();
    await db.transaction(
      chunk(rows, 500).map((part) => ({
        sql: `INSERT INTO outbox_messages (message_id, run_id, debtor_id, payload, created_at, attempts) VALUES ${placeholders(6, part.length)}`,
        params: part.flatMap((m) => [m.message_id, runId, m.debtor_id, JSON.stringify(m), at, 0]),
      })),
    );
    await queues.urls();
    const started = performance.now();
    const report = await flushOutbox(db, queues);
    const seconds = (performance.now() - started) / 1000;
    if (report.published !== COUNT || report.pending !== 0)
      throw new Error(`publish incomplete: ${JSON.stringify(report)}`);
    return seconds;
  } finally {
    queues.close();
    await db.close();
    await testDb.drop();
  }
}

/** Seconds until COUNT queued messages are reconciled and deleted by the partner-sync consumer. */
async function consumeRun(dialect: TestDialect, endpoint: string): Promise<number> {
  const testDb = createTestDatabase(dialect, "bench_consume");
  const db = await openPartnerSyncDatabase(testDb.url);
  const queueSettings = settings(endpoint);
  const config = loadPartnerSyncConfig({
    PARTNER_SYNC_DATABASE_URL: testDb.url,
    SQS_ENDPOINT: endpoint,
    SQS_QUEUE_NAME: queueSettings.queueName,
    SQS_DLQ_NAME: queueSettings.dlqName,
    CONSUMER_CONCURRENCY: process.env.BENCH_CONSUMER_CONCURRENCY ?? "4",
  });
  const pipeline = createPartnerSyncConsumer(db, config);
  try {
    const runId = randomUUID();
    const bodies = Array.from({ length: COUNT }, (_, i) => ({
      key: String(i),
      body: JSON.stringify(message(runId, i + 1)),
    }));
    await publishMessages(pipeline.queues.sqs, (await pipeline.queues.urls()).queueUrl, bodies, { concurrency: 8 });
    const started = performance.now();
    await pipeline.consumer.start();
    while (pipeline.stats().deleted < COUNT) await new Promise((resolve) => setTimeout(resolve, 10));
    const seconds = (performance.now() - started) / 1000;
    if (pipeline.stats().applied !== COUNT) throw new Error(`consume incomplete: ${JSON.stringify(pipeline.stats())}`);
    return seconds;
  } finally {
    await pipeline.stop();
    await db.close();
    await testDb.drop();
  }
}

export async function queueBench(): Promise<BenchSection> {
  const sqs = await startSqsProcess();
  const rows: Array<Array<string | number>> = [];
  try {
    for (const [stage, run] of [
      ["publish (outbox → SQS)", publishRun],
      ["consume + reconcile", consumeRun],
    ] as const) {
      for (const dialect of DIALECTS) {
        const rates: number[] = [];
        for (let i = 0; i < RUNS; i += 1) {
          const seconds = await run(dialect, sqs.endpoint);
          rates.push(COUNT / seconds);
          console.error(`  ${stage} ${LABEL[dialect]} run ${i + 1}: ${Math.round(COUNT / seconds)} msg/s`);
        }
        rows.push([
          stage,
          LABEL[dialect],
          COUNT.toLocaleString("en-US"),
          Math.round(median(rates)).toLocaleString("en-US"),
        ]);
      }
    }
  } finally {
    sqs.stop();
  }
  return {
    title: "queue pipeline",
    body: [
      `${COUNT.toLocaleString("en-US")} messages per run, median of ${RUNS} runs; SQS is fauxqs in a separate process on loopback.`,
      "Publish: `flushOutbox` over pending outbox rows (SendMessageBatch of 10, 8 calls in flight, rows marked after SQS accepted them).",
      `Consume: the partner-sync consumer (${process.env.BENCH_CONSUMER_CONCURRENCY ?? 4} receive loops, batches of 10, group commit) from first receive until every message is reconciled and deleted.`,
      "Targets: publish ≥ 5,000 msg/s; consume + reconcile ≥ 2,000 msg/s on SQLite.",
      "",
      markdownTable(["stage", "database", "messages", "msg/s"], rows),
    ].join("\n"),
  };
}

if (process.argv.includes("--serve-sqs")) {
  const server = await startLocalSqs();
  process.stdout.write(`${server.endpoint}\n`);
  process.on("SIGTERM", () => void server.stop().then(() => process.exit(0)));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const section = await queueBench();
  console.log(`## ${section.title}\n\n${section.body}`);
}
