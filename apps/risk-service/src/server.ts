import { ConfigError, createLogger } from "@smartrecover/service-kit";
import closeWithGrace from "close-with-grace";
import { buildApp } from "./app";
import { loadRiskServiceConfig } from "./config";

// Listens on HOST:RISK_API_PORT; on SIGTERM/SIGINT stops accepting, lets in-flight requests and any
// processing run finish, closes the database, then exits (forced after the grace delay).
const GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadRiskServiceConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: "risk-service" });
  const app = await buildApp(config, { logger });
  closeWithGrace({ delay: GRACE_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, "shutting down after an uncaught error");
    else logger.info({ signal }, "shutting down");
    await app.close();
  });
  await app.listen({ host: config.HOST, port: config.RISK_API_PORT });
}

main().catch((error: unknown) => {
  // A bad variable or an unreachable database: one clear line, no stack trace for config mistakes.
  const message = error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`risk-service failed to start: ${message}\n`);
  process.exit(1);
});
