// Child process of consumer-crash.int.spec.ts: consumes like production, but kills itself with
// SIGKILL right after the applier's commit returns and before any delete reaches SQS.
// Usage: node --import tsx crash-after-commit.ts <database-url> <sqs-endpoint> <queue> <dlq>
import { loadPartnerSyncConfig } from "../../src/config";
import { openPartnerSync } from "../../src/service";

const [databaseUrl, endpoint, queueName, dlqName] = process.argv.slice(2) as [string, string, string, string];
const config = loadPartnerSyncConfig({
  PARTNER_SYNC_DATABASE_URL: databaseUrl,
  SQS_ENDPOINT: endpoint,
  SQS_QUEUE_NAME: queueName,
  SQS_DLQ_NAME: dlqName,
  SQS_VISIBILITY_TIMEOUT_SECONDS: "2",
  CONSUMER_CONCURRENCY: "1",
  PARTNER_MISSING_PROBABILITY: "0",
  LOG_LEVEL: "silent",
});
const sync = await openPartnerSync(config, { migrate: false });
const { applier } = sync.services;
const crashing = {
  recordPoison: applier.recordPoison,
  applyBatch: async (messages: Parameters<typeof applier.applyBatch>[0]) => {
    await applier.applyBatch(messages);
    process.kill(process.pid, "SIGKILL");
    return new Promise<never>(() => {});
  },
};
const { createPartnerSyncConsumer } = await import("../../src/consumer/partner-sync-consumer");
await createPartnerSyncConsumer(config, { applier: crashing, tuning: { waitTimeSeconds: 1 } }).consumer.start();
