import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import { type LocalSqsServer, type QueueConnection, startLocalSqs } from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { createPartnerSyncConsumer } from "../src/consumer/partner-sync-consumer";
import type { PartnerSync } from "../src/service";
import {
  consumeUntilDrained,
  freshQueueSettings,
  openTestQueues,
  sendBodies,
  testConfig,
} from "./support/consumer-fixtures";
import { makeMessage } from "./support/fixtures";
import { openTestService } from "./support/test-service";

const FAST = { waitTimeSeconds: 1, retryDelaySeconds: () => 0 };

/** One sample's value from a Prometheus text exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("partner-sync queue metrics on /metrics", () => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let server: LocalSqsServer;
  let queues: QueueConnection;

  beforeAll(async () => {
    testDb = createTestDatabase("sqlite", "queue_metrics");
    sync = await openTestService(testDb.url);
    server = await startLocalSqs();
  });

  afterAll(async () => {
    queues?.close();
    await server?.stop();
    await sync?.close();
    await testDb?.drop();
  });

  it("when messages are consumed, then outcomes are _total counters, the DLQ depth shows the poison and the lag counts applied ones", async () => {
    const settings = freshQueueSettings(server, "metrics");
    const config = testConfig(testDb.url, settings);
    queues = openTestQueues(settings);
    const fresh = Array.from({ length: 12 }, (_, i) => makeMessage({ debtor_id: 500 + i }));
    const bodies = [
      ...fresh.map((m) => JSON.stringify(m)),
      // two duplicates and three poison messages
      JSON.stringify(fresh[0]),
      JSON.stringify(fresh[1]),
      "not json",
      "[]",
      JSON.stringify({ ...fresh[2], schema_version: 99 }),
    ];
    await sendBodies(queues, bodies);
    const pipeline = createPartnerSyncConsumer(config, { applier: sync.services.applier, queues, tuning: FAST });
    const app = await buildApp(config, sync.services, {
      consumerCounters: pipeline.counters,
      consumer: pipeline,
      defaultMetrics: false,
    });
    try {
      const counters = await consumeUntilDrained(pipeline);
      const text = (await app.inject({ url: "/metrics" })).body;
      expect(text).toContain("# TYPE partner_sync_messages_total counter");
      expect(sample(text, 'partner_sync_messages_total{outcome="applied"}')).toBe(12);
      expect(sample(text, 'partner_sync_messages_total{outcome="duplicate"}')).toBe(2);
      expect(sample(text, 'partner_sync_messages_total{outcome="poison"}')).toBe(3);
      expect(sample(text, 'partner_sync_messages_total{outcome="stale"}')).toBe(0);
      expect(counters.messages_applied_total).toBe(12);
      expect(sample(text, 'partner_sync_queue_messages{queue="dlq",state="visible"}')).toBe(3);
      expect(sample(text, 'partner_sync_queue_messages{queue="main",state="visible"}')).toBe(0);
      expect(sample(text, "partner_sync_queue_oldest_message_age_seconds")).toBe(0);
      expect(sample(text, "partner_sync_message_lag_seconds_count")).toBe(12);
      expect(sample(text, "partner_sync_message_lag_seconds_sum")).toBeGreaterThan(0);

      // A message waiting in the queue shows up in the depth before any consumer has it.
      await sendBodies(queues, [JSON.stringify(makeMessage({ debtor_id: 999 }))]);
      const waiting = (await app.inject({ url: "/metrics" })).body;
      expect(sample(waiting, 'partner_sync_queue_messages{queue="main",state="visible"}')).toBe(1);
    } finally {
      await app.close();
    }
  });
});
