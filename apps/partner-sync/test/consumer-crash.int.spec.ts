import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { type LocalSqsServer, type QueueConnection, queueDepth, startLocalSqs } from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPartnerSyncConsumer } from "../src/consumer/partner-sync-consumer";
import type { PartnerSync } from "../src/service";
import {
  consumeUntilDrained,
  freshQueueSettings,
  openTestQueues,
  sendBodies,
  testConfig,
} from "./support/consumer-fixtures";
import { makeMessage, snapshotTables } from "./support/fixtures";
import { inboxRows } from "./support/tables";
import { openTestService } from "./support/test-service";

const CRASHING_CONSUMER = join(dirname(fileURLToPath(import.meta.url)), "support/crash-after-commit.ts");

/** Runs the crashing consumer to its death; resolves with the signal that ended it. */
function runCrashingConsumer(args: string[], timeoutMs = 30_000): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CRASHING_CONSUMER, ...args], { stdio: "inherit" });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the crashing consumer did not crash in time"));
    }, timeoutMs);
    child.on("exit", (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}

describe.each(TEST_DIALECTS)("consumer crash on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let server: LocalSqsServer;
  let queues: QueueConnection;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "consumer_crash");
    sync = await openTestService(testDb.url);
    db = sync.db;
    server = await startLocalSqs();
  });

  afterAll(async () => {
    queues?.close();
    await server?.stop();
    await sync?.close();
    await testDb?.drop();
  });

  it("when a consumer is killed after its commit and before the delete, then redelivery causes no second effect", async () => {
    const settings = freshQueueSettings(server, "crash");
    queues = openTestQueues(settings);
    const messages = Array.from({ length: 10 }, (_, i) => makeMessage({ debtor_id: 30_000 + i }));
    await sendBodies(
      queues,
      messages.map((m) => JSON.stringify(m)),
    );

    const signal = await runCrashingConsumer([testDb.url, server.endpoint, settings.queueName, settings.dlqName]);

    expect(signal).toBe("SIGKILL");
    // Committed, yet still on the queue: the crash window this test is about.
    expect((await inboxRows(db, { from: 30_000, to: 30_010 })).map((row) => row.messageId).sort()).toEqual(
      messages.map((m) => m.message_id).sort(),
    );
    expect((await queueDepth(queues.sqs, (await queues.urls()).queueUrl)).inFlight).toBe(10);
    const afterCrash = await snapshotTables(db);

    const config = testConfig(testDb.url, settings);
    const stats = await consumeUntilDrained(
      createPartnerSyncConsumer(config, { applier: sync.services.applier, queues, tuning: { waitTimeSeconds: 1 } }),
    );

    expect(stats).toMatchObject({
      messages_received_total: 10,
      messages_duplicate_total: 10,
      messages_applied_total: 0,
      messages_deleted_total: 10,
    });
    expect(await snapshotTables(db)).toEqual(afterCrash);
    expect(await queueDepth(queues.sqs, (await queues.urls()).queueUrl)).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });
});
