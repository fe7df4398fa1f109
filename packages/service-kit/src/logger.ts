import pino, { type Logger, type LoggerOptions } from "pino";

/** JSON logs; human-readable only when writing to a terminal. Message bodies with personal data are never logged at info. */
export function createLogger(options: { level: string; name: string; pretty?: boolean }): Logger {
  const base: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: ["req.headers.authorization", "*.password", "*.secretAccessKey"], censor: "[redacted]" },
  };
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  if (!pretty) return pino(base);
  return pino({
    ...base,
    transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss" } },
  });
}

export type { Logger };
