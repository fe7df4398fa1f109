import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

export interface LoggerSettings {
  level: string;
  name: string;
  /** Human-readable output; default: only when the destination is a terminal. */
  pretty?: boolean;
  /**
   * Services log to stdout; CLI commands to stderr, so stdout carries only their result (e.g.
   * --json). Tests may pass a stream to read the lines back.
   */
  destination?: "stdout" | "stderr" | DestinationStream;
}

/** Never logged: credentials in request headers, passwords, tokens and keys, wherever they sit in a log object. */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "*.headers.authorization",
  "authorization",
  "*.authorization",
  "password",
  "*.password",
  "secretAccessKey",
  "*.secretAccessKey",
  "token",
  "*.token",
  "AUTH_SIGNING_KEY",
  "*.AUTH_SIGNING_KEY",
  "MESSAGE_SIGNING_KEY",
  "*.MESSAGE_SIGNING_KEY",
];

const CREDENTIAL_PARAM = /([?&](?:access_token|id_token|token|api_key|key|signature|password|secret)=)[^&#]*/gi;
const JWT_SHAPE = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;

/** A URL fit for a log line: credential-like query values and anything shaped like a JWT replaced. */
export function redactUrlForLog(url: string): string {
  return url.replace(JWT_SHAPE, "[redacted]").replace(CREDENTIAL_PARAM, "$1[redacted]");
}

interface RequestLike {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer, except that a token pasted into a URL never reaches the log. */
function serializeRequest(request: RequestLike) {
  return {
    method: request.method,
    url: redactUrlForLog(request.url ?? ""),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** JSON logs; human-readable only when writing to a terminal. Message bodies with personal data are never logged at info. */
export function createLogger(options: LoggerSettings): Logger {
  const base: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { req: serializeRequest },
  };
  if (typeof options.destination === "object") return pino(base, options.destination);
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
