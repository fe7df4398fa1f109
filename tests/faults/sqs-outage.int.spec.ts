import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import type { QueueConnection } from "@smartrecover/queue";
import { type RestartableSqs, startRestartableSqs } from "@smartrecover/queue/testing";
import type { RiskService } from "@smartrecover/risk-service/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDelivery, reportScenario } from "./support/delivery-check";
import { faultRandom } from "./support/fault-plan";
import { apiHeaders, exitWithin, PARTNER_SYNC_SERVER, ProcessGroup, RISK_SERVER, waitUntil } from "./support/processes";
import { freshQueues, queueTotals } from "./support/queues";
import {
  debtorIds,
  expectedHighPriority,
  freePort,
  generateDebtors,
  openRisk,
  outboxCounts,
  outboxMessages,
  processingRuns,
} from "./support/risk-side";
import { inboxCount, openSyncDatabase } from "./support/sync-side";

const DEBTORS = 3000;

// Both services as processes (risk-service with its outbox relay, partner-sync with its consumer)
// and the SQS server between them, stopped while messages flow and started again on the same
// address with its queues and messages, as a real outage ends.
describe.concurrent.each(TEST_DIALECTS)("SQS stopped and restarted mid-stream on %s", (dialect) => {
  const processes = new ProcessGroup();
  let riskDb: TestDatabase;
  let syncDb: TestDatabase;
  let risk: RiskService;
  let sync: ServiceDatabase;
  let sqs: RestartableSqs;
  let queues: QueueConnection;
  let queueEnv: Record<string, string>;

  beforeAll(async () => {
    riskDb = createTestDatabase(dialect, "fault_sqs_risk");
    syncDb = createTestDatabase(dialect, "fault_sqs_sync");
    risk = await openRisk(riskDb.url);
    sync = await openSyncDatabase(syncDb.url);
    sqs = await startRestartableSqs();
    const target = freshQueues(sqs.endpoint, "sqs-outage");
    queues = target.queues;
    queueEnv = target.env;
    await queues.urls();
  });

  afterAll(async () => {
    await processes.stopAll();
    queues?.close();
    await sqs?.stop();
    await risk?.close();
    await sync?.close();
    await riskDb?.drop();
    await syncDb?.drop();
  });

  it("when SQS stops while the relay publishes and the consumer receives, then once it is back every message is delivered exactly once", async () => {
    const random = faultRandom(`sqs-outage-${dialect}`);
    await generateDebtors(risk, DEBTORS, random.seed % 100_000);
    const expected = await expectedHighPriority(risk.db);
    expect(expected.length).toBeGreaterThan(0);
    const riskPort = await freePort();
    const syncPort = await freePort();
    const riskService = processes.start("risk-service server", RISK_SERVER, [], {
      ...queueEnv,
      RISK_DATABASE_URL: riskDb.url,
      RISK_API_PORT: String(riskPort),
    });
    const partnerSync = processes.start("partner-sync server", PARTNER_SYNC_SERVER, [], {
      ...queueEnv,
      PARTNER_SYNC_DATABASE_URL: syncDb.url,
      PARTNER_SYNC_API_PORT: String(syncPort),
      SQS_VISIBILITY_TIMEOUT_SECONDS: "5",
    });
    for (const port of [riskPort, syncPort]) {
      await waitUntil(
        `the service on ${port} to be ready`,
        () => status(`http://127.0.0.1:${port}/readyz`),
        (s) => s === 200,
        {
          intervalMs: 100,
        },
      );
    }
    // A slow SQS, so the outage surely falls while the relay is still publishing.
    sqs.setLatency(15);
    const started = await fetch(`http://127.0.0.1:${riskPort}/api/risk_service/process-runs/`, {
      method: "POST",
      headers: await apiHeaders("operator"),
      body: JSON.stringify({ batch_size: 20 }),
    });
    expect(started.status).toBe(202);

    const publishedBefore = random.between(50, 600);
    await waitUntil(
      `${publishedBefore} messages published`,
      () => outboxCounts(risk.db),
      (c) => c.published >= publishedBefore,
      {
        intervalMs: 10,
      },
    );
    await sqs.down();
    const atOutage = await outboxCounts(risk.db);
    const appliedAtOutage = await inboxCount(sync);
    const outageMs = random.between(2500, 4000);
    const downSince = performance.now();
    // The relay logs each flush the outage cut short, once the rows SQS accepted before it are
    // marked. After the first such flush nothing may be marked until SQS is back: the next
    // flush (after the relay's back-off) must find the same count.
    const failedFlushes = async () => riskService.output().split("outbox flush stopped early").length - 1;
    await waitUntil("the relay to hit the outage", failedFlushes, (n) => n >= 1, { intervalMs: 20 });
    const settled = await outboxCounts(risk.db);
    await waitUntil("the relay to retry during the outage", failedFlushes, (n) => n >= 2, { intervalMs: 20 });
    const duringOutage = await outboxCounts(risk.db);
    await sleep(Math.max(0, outageMs - (performance.now() - downSince)));
    await sqs.up();
    sqs.setLatency(0);

    await waitUntil(
      "the run to complete and the outbox to drain",
      () => outboxCounts(risk.db),
      (c) => c.pending === 0,
      {
        timeoutMs: 90_000,
        intervalMs: 200,
      },
    );
    const runs = await processingRuns(risk.db);
    expect(runs.map((run) => run.status)).toEqual(["COMPLETED"]);
    const sent = await outboxMessages(risk.db);
    await waitUntil(
      "partner-sync to record every message",
      () => inboxCount(sync),
      (n) => n >= sent.length,
      {
        timeoutMs: 90_000,
        intervalMs: 200,
      },
    );
    await waitUntil(
      "the queue to be empty",
      () => queueTotals(queues),
      (t) => t.main === 0,
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    const consumerCounters = await metricValues(
      `http://127.0.0.1:${syncPort}/metrics`,
      "partner_sync_consumer_messages",
    );
    const [retried] = await risk.db.query<{ n: number | bigint }>(
      "SELECT COUNT(*) AS n FROM outbox_messages WHERE attempts > 1",
    );
    const retriedRows = Number(retried?.n ?? 0);

    riskService.kill("SIGTERM");
    partnerSync.kill("SIGTERM");
    expect(await exitWithin(riskService, 20_000)).toEqual({ code: 0, signal: null });
    expect(await exitWithin(partnerSync, 30_000)).toEqual({ code: 0, signal: null });

    const check = await checkDelivery(sync, sent);
    reportScenario("SQS stopped and restarted", dialect, check, {
      "outage ms": outageMs,
      "published at outage": atOutage.published,
      "applied at outage": appliedAtOutage,
      "outbox rows retried": retriedRows,
      "consumer receive errors": consumerCounters.receiveErrors ?? 0,
      "redeliveries absorbed": consumerCounters.duplicate ?? 0,
      seed: random.seed,
    });
    // The outage was real for both sides: nothing got published while SQS was down, and the
    // consumer's polls failed.
    expect(duringOutage.published).toBe(settled.published);
    expect(consumerCounters.receiveErrors).toBeGreaterThan(0);
    // The one run queued each high-priority debtor of the table exactly once.
    expect(debtorIds(sent)).toEqual(expected);
    expect(check.lost).toEqual([]);
    expect(check.duplicates).toEqual([]);
    expect(check.applied).toBe(sent.length);
    expect(await queueTotals(queues)).toEqual({ main: 0, dlq: 0 });
  }, 240_000);
});

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url)).status;
  } catch {
    return 0;
  }
}

/** `name{counter="x"} 12` lines of a Prometheus text page, as { x: 12 }. */
async function metricValues(url: string, name: string): Promise<Record<string, number>> {
  const text = await (await fetch(url)).text();
  const values: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^${name}\\{counter="(\\w+)"\\} (\\S+)$`, "gm"))) {
    values[match[1] as string] = Number(match[2]);
  }
  return values;
}
