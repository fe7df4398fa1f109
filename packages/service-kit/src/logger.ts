import pino, { type Logger, type LoggerOptions } from "pino";

export interface LoggerSettings {
  level: string;
  name: string;
  /** Human-readable output; default: only when the destination is a terminal. */
  pretty?: boolean;
  /** Services log to stdout; CLI commands to stderr, so stdout carries only their result (e.g. --json). */
  destination?: "stdout" | "stderr";
}

/** JSON logs; human-readable only when writing to a terminal. Message bodies with personal data are never logged at info. */
export function createLogger(options: LoggerSettings): Logger {
  const base: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: {
      paths: ["req.headers.authorization", "password", "*.password", "secretAccessKey", "*.secretAccessKey"],
      censor: "[redacted]",
    },
  };
  const fd = options.destination === "stderr" ? 2 : 1;
  const pretty = options.pretty ?? Boolean((fd === 2 ? process.stderr : process.stdout).isTTY);
  if (!pretty) return pino(base, pino.destination(fd));
  return pino({
    ...base,
    transport: {
      target: "pino-pretty",
      options: { colorize: true, translateTime: "SYS:HH:MM:ss", destination: fd },
    },
  });
}

export type { Logger };
