import { ConfigError, createLogger } from "@smartrecover/service-kit";
import closeWithGrace from "close-with-grace";
import { buildConsoleApp } from "./app";
import { loadConsoleConfig } from "./config";

// Serves the console on HOST:CONSOLE_PORT; on SIGTERM/SIGINT stops taking requests and closes the database.
const GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConsoleConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: "console" });
  const app = await buildConsoleApp(config, { logger });
  closeWithGrace({ delay: GRACE_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, "shutting down after an uncaught error");
    else logger.info({ signal }, "shutting down");
    await app.close();
  });
  const url = await app.listen({ host: config.HOST, port: config.CONSOLE_PORT });
  logger.info(
    {
      url,
      risk_service: config.RISK_SERVICE_URL,
      partner_sync: config.PARTNER_SYNC_URL,
    },
    "recovery console ready",
  );
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`console failed to start: ${message}\n`);
  process.exit(1);
});
