// Queue pipeline: outbox publish (risk-service) and consume + reconcile (partner-sync), on SQLite
// and MariaDB, against fauxqs in its own process on loopback (as a real SQS is another machine).
// The baselines are SQS alone, in the same session: the same messages sent from memory, and
// received and deleted by the same consumer with a handler that does nothing.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { chunk, placeholders } from "@smartrecover/db-kit";
import { createTestDatabase, type TestDialect } from "@smartrecover/db-kit/testing";
import { loadPartnerSyncConfig } from "../apps/partner-sync/src/config";
import type { PartnerSyncConsumer } from "../apps/partner-sync/src/consumer/partner-sync-consumer";
import { openPartnerSync } from "../apps/partner-sync/src/service";
import { loadRiskServiceConfig } from "../apps/risk-service/src/config";
import { OutboxPublisher } from "../apps/risk-service/src/outbox/outbox-publisher";
import { openRiskService } from "../apps/risk-service/src/service";
import { HighPriorityDebtorMessage } from "../packages/contracts/src/index";
import {
  connectQueues,
  MessageConsumer,
  type MessageOutcome,
  publishMessages,
  type QueueSettings,
  startLocalSqs,
} from "../packages/queue/src/index";
import { createLogger } from "../packages/service-kit/src/index";
import {
  type BenchSection,
  type BenchSettings,
  type GoalCheck,
  int,
  log,
  markdownTable,
  median,
  spread,
} from "./bench-kit";

const CONSUMER_CONCURRENCY = process.env.BENCH_CONSUMER_CONCURRENCY;
const GOAL_PUBLISH = 5_000;
const GOAL_CONSUME = 2_000;

function message(runId: string, debtorId: number) {
  return {
    message_id: randomUUID(),
    schema_version: 1,
    run_id: runId,
    debtor_id: debtorId,
    debt_amount: `${20_000 + (debtorId % 9_000)}.00`,
    risk_score: 377,
    risk_level: "CRITICAL",
    priority: "11310000.00",
    payment_status: "UNPAID",
    processed_at: new Date().toISOString(),
  };
}

const bodies = (count: number) => {
  const runId = randomUUID();
  return Array.from({ length: count }, (_, i) => ({ key: String(i), body: JSON.stringify(message(runId, i + 1)) }));
};

/** fauxqs in a child process; resolves with its endpoint and a stop function that waits for its exit. */
async function startSqsProcess(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--serve-sqs"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  // Should this process die first, the SQS server must not outlive it.
  const orphanGuard = () => child.kill("SIGTERM");
  process.once("exit", orphanGuard);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      process.removeListener("exit", orphanGuard);
      resolve();
    }),
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (data: Buffer) => resolve(data.toString().trim()));
    void exited.then(() => reject(new Error(`SQS process exited (${child.exitCode})`)));
  });
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

function freshQueues(endpoint: string): QueueSettings {
  const name = `bench-${randomUUID().slice(0, 8)}`;
  return { region: "us-east-1", endpoint, queueName: name, dlqName: `${name}-dlq` };
}

/** Seconds to send `count` messages straight from memory (no database): SQS's own cost. */
async function publishBaseline(endpoint: string, count: number): Promise<number> {
  const queues = connectQueues(freshQueues(endpoint));
  try {
    const { queueUrl } = await queues.urls();
    const messages = bodies(count);
    const started = performance.now();
    const outcome = await publishMessages(queues.sqs, queueUrl, messages, { concurrency: 8 });
    if (outcome.published.length !== count) throw new Error(`baseline published ${outcome.published.length}`);
    return (performance.now() - started) / 1000;
  } finally {
    queues.close();
  }
}

/** Seconds to publish `count` pending outbox rows (the outbox publisher, as process-debtors and the relay run it). */
async function publishRun(dialect: TestDialect, endpoint: string, count: number): Promise<number> {
  const testDb = createTestDatabase(dialect, "bench_outbox");
  const service = await openRiskService(loadRiskServiceConfig({ RISK_DATABASE_URL: testDb.url }));
  const db = service.db;
  const queues = connectQueues(freshQueues(endpoint));
  try {
    const runId = randomUUID();
    const rows = Array.from({ length: count }, (_, i) => message(runId, i + 1));
    const at = new Date();
    await db.transaction(async (tx) => {
      for (const part of chunk(rows, 500)) {
        await tx.execute(
          `INSERT INTO outbox_messages (message_id, run_id, debtor_id, payload, created_at, attempts) VALUES ${placeholders(6, part.length)}`,
          part.flatMap((m) => [m.message_id, runId, m.debtor_id, JSON.stringify(m), at, 0]),
        );
      }
    });
    await queues.urls();
    const started = performance.now();
    const report = await new OutboxPublisher(service.repositories.outbox, queues).flush();
    const seconds = (performance.now() - started) / 1000;
    if (report.published !== count || report.pending !== 0) {
      throw new Error(`publish incomplete: ${JSON.stringify(report)}`);
    }
    return seconds;
  } finally {
    queues.close();
    await service.close();
    await testDb.drop();
  }
}

const consumerTuning = () => ({
  concurrency: Number(CONSUMER_CONCURRENCY ?? loadPartnerSyncConfig({}).CONSUMER_CONCURRENCY),
});

/** Seconds until `count` queued messages are received and deleted by a consumer that does nothing else. */
async function consumeBaseline(endpoint: string, count: number): Promise<number> {
  const queues = connectQueues(freshQueues(endpoint), { mode: "ensure" });
  const nothing = {
    schema: HighPriorityDebtorMessage,
    handle: async (messages: readonly unknown[]) => messages.map((): MessageOutcome => ({ outcome: "applied" })),
    recordPoison: async () => {},
  };
  const consumer = new MessageConsumer(queues, nothing, {
    ...consumerTuning(),
    batchSize: 10,
    visibilityTimeoutSeconds: 30,
  });
  try {
    await publishMessages(queues.sqs, (await queues.urls()).queueUrl, bodies(count), { concurrency: 8 });
    const started = performance.now();
    await consumer.start();
    while (consumer.counters().messages_deleted_total < count) await new Promise((resolve) => setTimeout(resolve, 5));
    return (performance.now() - started) / 1000;
  } finally {
    await consumer.stop();
    queues.close();
  }
}

/** Seconds until `count` queued messages are reconciled and deleted by the partner-sync consumer. */
async function consumeRun(dialect: TestDialect, endpoint: string, count: number): Promise<number> {
  const testDb = createTestDatabase(dialect, "bench_consume");
  const queueSettings = freshQueues(endpoint);
  const config = loadPartnerSyncConfig({
    PARTNER_SYNC_DATABASE_URL: testDb.url,
    SQS_ENDPOINT: endpoint,
    SQS_QUEUE_NAME: queueSettings.queueName,
    SQS_DLQ_NAME: queueSettings.dlqName,
    ...(CONSUMER_CONCURRENCY ? { CONSUMER_CONCURRENCY } : {}),
  });
  const logger = createLogger({ level: "silent", name: "bench" });
  const sync = await openPartnerSync(config, { logger, consumer: true });
  const pipeline = sync.consumer as PartnerSyncConsumer;
  try {
    await publishMessages(pipeline.queues.sqs, (await pipeline.queues.urls()).queueUrl, bodies(count), {
      concurrency: 8,
    });
    const started = performance.now();
    await pipeline.consumer.start();
    while (pipeline.counters().messages_deleted_total < count) await new Promise((resolve) => setTimeout(resolve, 5));
    const seconds = (performance.now() - started) / 1000;
    const counters = pipeline.counters();
    if (counters.messages_applied_total !== count) throw new Error(`consume incomplete: ${JSON.stringify(counters)}`);
    return seconds;
  } finally {
    await sync.close();
    await testDb.drop();
  }
}

export async function queueBench(settings: BenchSettings): Promise<BenchSection> {
  const { count, runs } = settings;
  const sqs = await startSqsProcess();
  const rates = new Map<string, number[]>();
  const cases: Array<[stage: string, target: string, run: () => Promise<number>]> = [
    ["publish", "SQS only (baseline)", () => publishBaseline(sqs.endpoint, count)],
    ["publish", "SQLite", () => publishRun("sqlite", sqs.endpoint, count)],
    ["publish", "MariaDB", () => publishRun("mysql", sqs.endpoint, count)],
    ["consume", "SQS only (baseline)", () => consumeBaseline(sqs.endpoint, count)],
    ["consume", "SQLite", () => consumeRun("sqlite", sqs.endpoint, count)],
    ["consume", "MariaDB", () => consumeRun("mysql", sqs.endpoint, count)],
  ];
  try {
    // Runs interleave the cases, so a busy moment on the machine does not land on one case only.
    for (let i = 0; i < runs; i += 1) {
      for (const [stage, target, run] of cases) {
        const rate = count / (await run());
        rates.set(`${stage} ${target}`, [...(rates.get(`${stage} ${target}`) ?? []), rate]);
        log(`${stage} ${target} run ${i + 1}: ${int(rate)} msg/s`);
      }
    }
  } finally {
    await sqs.stop();
  }
  const medianOf = (key: string) => median(rates.get(key) ?? [0]);
  const rows = cases.map(([stage, target]) => {
    const key = `${stage} ${target}`;
    const baseline = medianOf(`${stage} SQS only (baseline)`);
    return [
      stage === "publish" ? "publish (outbox → SQS)" : "consume + reconcile",
      target,
      int(medianOf(key)),
      spread(rates.get(key) ?? [], int),
      target.startsWith("SQS") ? "1.00" : (medianOf(key) / baseline).toFixed(2),
    ];
  });
  const loops = consumerTuning().concurrency;
  const goals: GoalCheck[] = [
    ...(["SQLite", "MariaDB"] as const).map((target) => ({
      goal: `publish (outbox → SQS) on ${target} ≥ ${int(GOAL_PUBLISH)} msg/s`,
      measured: `${int(medianOf(`publish ${target}`))} msg/s`,
      met: medianOf(`publish ${target}`) >= GOAL_PUBLISH,
    })),
    {
      goal: `consume + reconcile on SQLite ≥ ${int(GOAL_CONSUME)} msg/s`,
      measured: `${int(medianOf("consume SQLite"))} msg/s`,
      met: medianOf("consume SQLite") >= GOAL_CONSUME,
    },
  ];
  return {
    title: "Queue pipeline",
    body: [
      `${int(count)} messages per run, median of ${runs} runs; SQS is fauxqs in a separate process on 127.0.0.1.`,
      "Publish: the outbox publisher's flush over pending outbox rows (SendMessageBatch of 10, 8 calls in flight, rows marked after SQS accepted them).",
      `Consume: the partner-sync consumer (${loops} receive loops, batches of 10, group commit) from its start until every`,
      "message is reconciled and deleted. Each run uses new queues and a new database; the runs of the cases are interleaved.",
      "The baselines move the same messages through SQS with no database: sent from memory, and received and deleted by the",
      "same consumer with a handler that does nothing; the last column is each row's rate over its baseline.",
      "",
      markdownTable(["stage", "database", "msg/s", "range", "vs SQS only"], rows),
    ].join("\n"),
    goals,
  };
}

if (process.argv.includes("--serve-sqs")) {
  const server = await startLocalSqs();
  process.stdout.write(`${server.endpoint}\n`);
  process.on("SIGTERM", () => void server.stop().then(() => process.exit(0)));
}
