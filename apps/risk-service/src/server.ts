import { connectQueues, queueSettingsFromConfig } from "@smartrecover/queue";
import { ConfigError, createLogger, QUEUE_NOT_CONFIGURED, queueTargetConfigured } from "@smartrecover/service-kit";
import closeWithGrace from "close-with-grace";
import { buildApp } from "./app";
import { loadRiskServiceConfig } from "./config";
import { openRiskDatabase } from "./db/risk-database";
import { OutboxRelay } from "./outbox/outbox-relay";

// Listens on HOST:RISK_API_PORT and runs the background outbox relay. On SIGTERM/SIGINT it stops
// accepting, lets in-flight requests and any processing run finish, stops the relay after its
// current page, closes the database, then exits (forced after the grace delay).
const GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadRiskServiceConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: "risk-service" });
  const db = await openRiskDatabase(config.RISK_DATABASE_URL);
  const app = await buildApp(config, { logger, db });
  const queues = queueTargetConfigured(config) ? connectQueues(queueSettingsFromConfig(config)) : undefined;
  const relay = queues ? new OutboxRelay(db, queues, { logger }) : undefined;
  if (!relay) logger.warn(QUEUE_NOT_CONFIGURED);

  closeWithGrace({ delay: GRACE_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, "shutting down after an uncaught error");
    else logger.info({ signal }, "shutting down");
    await app.close();
    await relay?.stop();
    queues?.close();
    await db.close();
  });
  await app.listen({ host: config.HOST, port: config.RISK_API_PORT });
  relay?.start();
}

main().catch((error: unknown) => {
  // A bad variable or an unreachable database: one clear line, no stack trace for config mistakes.
  const message = error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`risk-service failed to start: ${message}\n`);
  process.exit(1);
});
