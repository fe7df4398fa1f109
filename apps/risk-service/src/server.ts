import { ConfigError, createLogger, loadDotEnv, QUEUE_NOT_CONFIGURED } from "@smartrecover/service-kit";
import closeWithGrace from "close-with-grace";
import { buildApp } from "./app";
import { loadRiskServiceConfig } from "./config";
import { openRiskService } from "./service";

// Listens on HOST:RISK_API_PORT and runs the background outbox relay. On SIGTERM/SIGINT it stops
// accepting, stops a processing run at its next batch boundary (recorded STOPPED), lets in-flight
// requests finish, stops the relay after its
// current page, closes SQS and the database, then exits (forced after the grace delay).
const GRACE_MS = 10_000;

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadRiskServiceConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: "risk-service" });
  const service = await openRiskService(config, { logger, queue: true });
  const app = await buildApp(config, service).catch(async (error: unknown) => {
    await service.close();
    throw error;
  });
  if (!service.queue) logger.warn(QUEUE_NOT_CONFIGURED);

  closeWithGrace({ delay: GRACE_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, "shutting down after an uncaught error");
    else logger.info({ signal }, "shutting down");
    service.processRuns.stop();
    await app.close();
    await service.close();
  });
  await app.listen({ host: config.HOST, port: config.RISK_API_PORT });
  service.queue?.publisher.start();
}

main().catch((error: unknown) => {
  // A bad variable or an unreachable database: one clear line, no stack trace for config mistakes.
  const message = error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`risk-service failed to start: ${message}\n`);
  process.exit(1);
});
