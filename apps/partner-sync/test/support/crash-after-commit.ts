// Child process of consumer-crash.int.spec.ts: consumes like production, but kills itself with
// SIGKILL right after the applier's commit returns and before any delete reaches SQS.
// Usage: node --import tsx crash-after-commit.ts <database-url> <sqs-endpoint> <queue> <dlq>
import { BatchConsumer, connectQueues } from "@smartrecover/queue";
import { createDebtorMessageHandler } from "../../src/consumer/debtor-message-handler";
import { openPartnerSyncDatabase } from "../../src/db/partner-sync-database";
import { createMessageApplier } from "../../src/reconciliation/message-applier";

const [databaseUrl, endpoint, queueName, dlqName] = process.argv.slice(2) as [string, string, string, string];
const db = await openPartnerSyncDatabase(databaseUrl, { migrate: false });
const applier = createMessageApplier(db, {
  partnerName: "simulated-partner",
  tolerancePercent: 1,
  simulatorSeed: 42,
  missingProbability: 0,
});
const handler = createDebtorMessageHandler({
  applyBatch: async (messages) => {
    await applier.applyBatch(messages);
    process.kill(process.pid, "SIGKILL");
    return new Promise(() => {});
  },
  recordPoison: applier.recordPoison,
});
const queues = connectQueues({ region: "us-east-1", endpoint, queueName, dlqName });
await new BatchConsumer(queues, handler.handle, {
  concurrency: 1,
  batchSize: 10,
  visibilityTimeoutSeconds: 2,
  waitTimeSeconds: 1,
}).start();
