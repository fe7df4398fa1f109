import { ConfigError, createLogger, loadDotEnv, queueTargetConfigured } from "@smartrecover/service-kit";
import closeWithGrace from "close-with-grace";
import { buildApp } from "./app";
import { loadPartnerSyncConfig } from "./config";
import { openPartnerSync } from "./service";

// Serves the review API on HOST:PARTNER_SYNC_API_PORT and consumes the queue in the same process.
// On SIGTERM/SIGINT: stop polling and let in-flight batches commit (and be deleted), then stop
// the HTTP server, then close the database; forced exit after the grace delay.
const GRACE_MS = 20_000;

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadPartnerSyncConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: "partner-sync" });
  // Without a queue (no SQS_ENDPOINT, no AWS credentials) the review API still serves what is stored.
  const consuming = queueTargetConfigured(config);
  const sync = await openPartnerSync(config, { logger, consumer: consuming });
  if (!consuming) {
    logger.warn("no queue configured: set SQS_ENDPOINT or AWS credentials to consume; serving the review API only");
  }
  const app = await buildApp(config, sync.services, {
    logger,
    consumerCounters: sync.consumer?.counters,
    consumer: sync.consumer,
  });
  closeWithGrace({ delay: GRACE_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, "shutting down after an uncaught error");
    else logger.info({ signal }, "shutting down");
    await sync.consumer?.stop();
    await app.close();
    await sync.close();
  });
  await app.listen({ host: config.HOST, port: config.PARTNER_SYNC_API_PORT });
  if (sync.consumer) {
    await sync.consumer.consumer.start();
    logger.info({ queue: config.SQS_QUEUE_NAME }, "consuming");
  }
}

main().catch((error: unknown) => {
  // A bad variable, an unreachable database or queue: one clear line, no stack trace for config mistakes.
  const message = error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`partner-sync failed to start: ${message}\n`);
  process.exit(1);
});
