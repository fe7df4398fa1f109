import { openServiceDatabase, type ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import {
  type DeadLetter,
  type LocalSqsServer,
  peekMessages,
  type QueueConnection,
  startLocalSqs,
} from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARTNER_SYNC_MIGRATIONS_ROOT } from "../src/service";
import { freshQueueSettings, openTestQueues, runCli } from "./support/consumer-fixtures";
import { inboxCount, inboxRows, syncRecords } from "./support/tables";

// The whole pipeline as a user runs it: separate CLI processes for generate, process-debtors
// and consume, two databases, one SQS server (fauxqs on loopback, in this test process).
describe.each(TEST_DIALECTS)("queue pipeline end to end on %s", (dialect) => {
  let riskDb: TestDatabase;
  let syncDb: TestDatabase;
  let server: LocalSqsServer;
  let queues: QueueConnection;
  let sync: ServiceDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    riskDb = createTestDatabase(dialect, "pipeline_risk");
    syncDb = createTestDatabase(dialect, "pipeline_sync");
    server = await startLocalSqs();
    const settings = freshQueueSettings(server, "pipeline");
    queues = openTestQueues(settings);
    env = {
      RISK_DATABASE_URL: riskDb.url,
      PARTNER_SYNC_DATABASE_URL: syncDb.url,
      SQS_ENDPOINT: server.endpoint,
      SQS_QUEUE_NAME: settings.queueName,
      SQS_DLQ_NAME: settings.dlqName,
      CONSUMER_CONCURRENCY: "4",
    };
    const generated = await runCli(["generate-test-debtors", "--count", "400", "--seed", "11", "--json"], env);
    expect(generated.code, generated.stderr).toBe(0);
    sync = await openServiceDatabase({ url: syncDb.url, migrationsRoot: PARTNER_SYNC_MIGRATIONS_ROOT });
  });

  afterAll(async () => {
    await sync?.close();
    queues?.close();
    await server?.stop();
    await riskDb?.drop();
    await syncDb?.drop();
  });

  const processDebtors = async (overrides: Record<string, string> = {}) => {
    const result = await runCli(["process-debtors", "--json"], { ...env, ...overrides });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as {
      run_id: string;
      summary: { high_priority_debtors_successfully_processed: number; messages_queued: number };
      delivery: { published: number; pending: number; error?: string };
    };
  };
  const consume = async () => {
    const result = await runCli(["consume", "--until-empty", "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}");
  };
  const peekQueue = async (limit: number): Promise<Array<DeadLetter & { parsed: Record<string, unknown> }>> => {
    const letters = await peekMessages(queues.sqs, (await queues.urls()).queueUrl, { limit });
    return letters.map((letter) => ({ ...letter, parsed: JSON.parse(letter.body) }));
  };
  const records = () => syncRecords(sync);

  it("when a run completes, then every high-priority debtor arrives and is reconciled exactly once", async () => {
    const report = await processDebtors();
    const queued = report.summary.messages_queued;
    expect(queued).toBeGreaterThan(50);
    expect(queued).toBe(report.summary.high_priority_debtors_successfully_processed);
    expect(report.delivery).toEqual({ published: queued, pending: 0 });

    const onQueue = await peekQueue(queued + 50);
    expect(onQueue).toHaveLength(queued);
    const byDebtor = new Map(onQueue.map((m) => [m.parsed.debtor_id as number, m.messageId]));
    expect(byDebtor.size).toBe(queued);

    expect(await consume()).toMatchObject({ received: queued, applied: queued, duplicate: 0, poison: 0 });

    const inbox = await inboxRows(sync);
    expect(inbox.map((row) => row.messageId).sort()).toEqual(onQueue.map((m) => m.messageId).sort());
    const stored = await records();
    expect(stored.map((r) => [r.debtorId, r.lastMessageId])).toEqual(
      [...byDebtor].sort(([a], [b]) => a - b).map(([debtorId, messageId]) => [debtorId, messageId]),
    );
    expect(await consume()).toMatchObject({ received: 0 });
  });

  it("when SQS is down during publish, then nothing is lost and the next run's flush drains the outbox", async () => {
    const outage = await startLocalSqs();
    await outage.stop();
    const inboxBefore = await inboxCount(sync);
    const recordsBefore = await records();

    const during = await processDebtors({ SQS_ENDPOINT: outage.endpoint });
    const queued = during.summary.messages_queued;
    expect(during.delivery).toMatchObject({ published: 0, pending: queued, error: expect.stringMatching(/SQS/) });

    const after = await processDebtors();
    expect(after.delivery).toEqual({ published: 2 * queued, pending: 0 });
    const onQueue = await peekQueue(3 * queued);
    expect(onQueue.filter((m) => m.parsed.run_id === during.run_id)).toHaveLength(queued);
    expect(onQueue.filter((m) => m.parsed.run_id === after.run_id)).toHaveLength(queued);

    const stats = await consume();
    expect(stats).toMatchObject({ received: 2 * queued, duplicate: 0, poison: 0 });
    expect(stats.applied + stats.stale).toBe(2 * queued);
    expect(await inboxCount(sync)).toBe(inboxBefore + 2 * queued);
    // Same debtors, each now reflecting the newest run's message.
    const newest = new Map(
      onQueue.filter((m) => m.parsed.run_id === after.run_id).map((m) => [m.parsed.debtor_id as number, m.messageId]),
    );
    const current = await records();
    expect(current.map((r) => r.debtorId)).toEqual(recordsBefore.map((r) => r.debtorId));
    for (const record of current) expect(record.lastMessageId).toBe(newest.get(record.debtorId));
  });
});
