// partner-sync scaled out: 1, 2 and 3 `consume` processes on one MariaDB database and one queue.
// The queue is filled first; the consumers then start, and the rate is taken from the first
// applied message to the last (process start-up left out), by counting inbox rows. fauxqs runs in
// this bench process, which otherwise only polls the database.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase } from "@smartrecover/db-kit/testing";
import { loadPartnerSyncConfig } from "../apps/partner-sync/src/config";
import { openPartnerSync } from "../apps/partner-sync/src/service";
import { connectQueues, publishMessages, queueDepth, startLocalSqs } from "../packages/queue/src/index";
import { createLogger } from "../packages/service-kit/src/index";
import { type BenchSection, type BenchSettings, int, log, markdownTable, median, repoRoot, spread } from "./bench-kit";

const PROCESS_COUNTS = [1, 2, 3];

function message(runId: string, debtorId: number, at: number) {
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
    processed_at: new Date(at).toISOString(),
  };
}

interface Measured {
  perSecond: number;
  inbox: number;
  dlq: number;
}

async function oneRun(processes: number, count: number, endpoint: string): Promise<Measured> {
  const testDb = createTestDatabase("mysql", `bench_scale_${processes}`);
  const config = loadPartnerSyncConfig({ PARTNER_SYNC_DATABASE_URL: testDb.url, LOG_LEVEL: "silent" });
  const sync = await openPartnerSync(config, { logger: createLogger({ level: "silent", name: "bench" }) });
  const name = `scale-${randomUUID().slice(0, 8)}`;
  const queues = connectQueues(
    { region: "us-east-1", endpoint, queueName: name, dlqName: `${name}-dlq` },
    { mode: "ensure", maxReceiveCount: 5 },
  );
  const children: ChildProcess[] = [];
  try {
    const { queueUrl, dlqUrl } = await queues.urls();
    const runId = randomUUID();
    const base = Date.now();
    // Two runs' messages for the same debtors, as consecutive processing runs send them.
    const bodies = Array.from({ length: count }, (_, i) =>
      JSON.stringify(message(runId, (i % (count / 2)) + 1, base + i)),
    );
    const outcome = await publishMessages(
      queues.sqs,
      queueUrl,
      bodies.map((body, i) => ({ key: String(i), body })),
      { concurrency: 8 },
    );
    if (outcome.published.length !== count) throw new Error(`published ${outcome.published.length} of ${count}`);
    const inbox = async () => {
      const [row] = await sync.db.query<{ n: number | bigint }>("SELECT COUNT(*) AS n FROM inbox_messages");
      return Number(row?.n ?? 0);
    };
    for (let i = 0; i < processes; i += 1) {
      children.push(
        spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", "consume", "--json"], {
          cwd: repoRoot,
          env: {
            ...process.env,
            PARTNER_SYNC_DATABASE_URL: testDb.url,
            SQS_ENDPOINT: endpoint,
            SQS_QUEUE_NAME: name,
            SQS_DLQ_NAME: `${name}-dlq`,
            LOG_LEVEL: "warn",
          },
          stdio: ["ignore", "ignore", "inherit"],
        }),
      );
    }
    let first: { at: number; done: number } | undefined;
    let done = 0;
    const deadline = performance.now() + 300_000;
    while (done < count) {
      if (performance.now() > deadline) throw new Error(`only ${done} of ${count} applied in 5 minutes`);
      await sleep(25);
      done = await inbox();
      if (!first && done > 0) first = { at: performance.now(), done };
    }
    const seconds = (performance.now() - (first?.at ?? 0)) / 1000;
    const dlq = await queueDepth(queues.sqs, dlqUrl);
    return { perSecond: (count - (first?.done ?? 0)) / seconds, inbox: done, dlq: dlq.visible + dlq.inFlight };
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
    queues.close();
    await sync.close();
    await testDb.drop();
  }
}

export async function scaleOutBench(settings: BenchSettings): Promise<BenchSection> {
  const count = Number(process.env.BENCH_SCALE_COUNT ?? (settings.quick ? 3_000 : 6_000));
  const server = await startLocalSqs();
  const rows: Array<Array<string | number>> = [];
  try {
    for (const processes of PROCESS_COUNTS) {
      const runs: Measured[] = [];
      for (let run = 0; run < settings.runs; run += 1) {
        const measured = await oneRun(processes, count, server.endpoint);
        log(`scale-out ${processes} process(es): ${int(measured.perSecond)} msg/s`);
        runs.push(measured);
      }
      const rates = runs.map((r) => r.perSecond);
      const wrong = runs.filter((r) => r.inbox !== count || r.dlq !== 0).length;
      rows.push([processes, int(median(rates)), spread(rates, int), `${wrong} of ${runs.length}`]);
    }
  } finally {
    await server.stop();
  }
  const body = [
    `${int(count)} messages (two runs' messages for ${int(count / 2)} debtors, so half apply as stale) consumed by`,
    "`pnpm cli consume` processes with the default CONSUMER_CONCURRENCY (4), all on one MariaDB database",
    "and one fauxqs queue; rate from the first applied message to the last, process start-up left out;",
    `median of ${settings.runs}. "Wrong" counts runs whose inbox missed or doubled a message or whose DLQ was not empty.`,
    "",
    markdownTable(["consumer processes", "messages/s", "spread", "wrong"], rows),
    "",
    "All processes share this machine's cores with MariaDB and fauxqs: more processes add no CPU here,",
    "and each one's group commit merges fewer messages per transaction. The rate per process count",
    "is what this machine gives; docs/benchmarks.md reads it.",
  ].join("\n");
  return { title: "partner-sync scaled out (MariaDB)", body, goals: [] };
}
