import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

/** Connection options a MySQL URL's query string may carry; every connection honours them. */
export interface MysqlUrlOptions {
  /** TLS: `ssl=true`, `sslcert=<CA file>`, `sslaccept=strict|accept_invalid_certs`. */
  tls?: { ca?: string; caPath?: string; rejectUnauthorized: boolean };
  /** `connection_limit`: the pool size of each process (1–100). */
  connectionLimit?: number;
  /** `connect_timeout` in seconds: giving up on a new connection. */
  connectTimeoutMs?: number;
  /** `socket_timeout` in seconds: a statement whose answer takes longer fails (and its connection is dropped). */
  socketTimeoutMs?: number;
}

export type DatabaseTarget =
  | { dialect: "sqlite"; url: string; filePath: string }
  | {
      dialect: "mysql";
      url: string;
      host: string;
      port: number;
      user: string;
      password: string;
      database: string;
      options: MysqlUrlOptions;
    };

/** The query parameters a MySQL URL may use (the names Prisma's MySQL URLs use, where it has one). */
export const MYSQL_URL_PARAMETERS = [
  "ssl",
  "sslcert",
  "sslaccept",
  "connection_limit",
  "connect_timeout",
  "socket_timeout",
] as const;

const MAX_CONNECTION_LIMIT = 100;

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new Error(`MySQL URL parameter ${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function flag(name: string, text: string): boolean {
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  throw new Error(`MySQL URL parameter ${name} must be true or false, got "${text}"`);
}

/** Reads and checks the query string; an unknown parameter is an error, so a typo never silently turns TLS off. */
export function parseMysqlUrlOptions(search: URLSearchParams): MysqlUrlOptions {
  const options: MysqlUrlOptions = {};
  for (const name of new Set(search.keys())) {
    if (!(MYSQL_URL_PARAMETERS as readonly string[]).includes(name)) {
      throw new Error(`unknown MySQL URL parameter "${name}"; supported: ${MYSQL_URL_PARAMETERS.join(", ")}`);
    }
  }
  const get = (name: (typeof MYSQL_URL_PARAMETERS)[number]) => search.get(name) ?? undefined;
  const ssl = get("ssl");
  const caPath = get("sslcert");
  const accept = get("sslaccept");
  if (accept !== undefined && accept !== "strict" && accept !== "accept_invalid_certs") {
    throw new Error(`MySQL URL parameter sslaccept must be strict or accept_invalid_certs, got "${accept}"`);
  }
  const tlsOn = ssl === undefined ? caPath !== undefined || accept !== undefined : flag("ssl", ssl);
  if (!tlsOn && (caPath !== undefined || accept !== undefined)) {
    throw new Error("MySQL URL has ssl=false together with sslcert or sslaccept: remove one");
  }
  if (tlsOn) {
    let ca: string | undefined;
    if (caPath !== undefined) {
      const file = resolve(caPath);
      try {
        ca = readFileSync(file, "utf8");
      } catch (error) {
        throw new Error(`MySQL URL parameter sslcert: cannot read the CA file ${file}: ${(error as Error).message}`);
      }
    }
    // Verification is on unless asked off by name: TLS without it only hides traffic from passive listeners.
    options.tls = {
      rejectUnauthorized: accept !== "accept_invalid_certs",
      ...(ca !== undefined ? { ca, caPath: resolve(caPath as string) } : {}),
    };
  }
  const limit = get("connection_limit");
  if (limit !== undefined) options.connectionLimit = wholeNumber("connection_limit", limit, 1, MAX_CONNECTION_LIMIT);
  const connect = get("connect_timeout");
  if (connect !== undefined) options.connectTimeoutMs = wholeNumber("connect_timeout", connect, 1, 3600) * 1000;
  const socket = get("socket_timeout");
  if (socket !== undefined) options.socketTimeoutMs = wholeNumber("socket_timeout", socket, 1, 86_400) * 1000;
  return options;
}

/**
 * `file:<path>` selects SQLite (relative paths resolve against the working directory);
 * `mysql://user:pass@host:port/db` selects MySQL/MariaDB. Anything else is a configuration error.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith("file:")) {
    const raw = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (raw === "") throw new Error("SQLite URL needs a path, e.g. file:.data/app.db");
    const filePath = raw === ":memory:" ? raw : isAbsolute(raw) ? raw : resolve(raw);
    return { dialect: "sqlite", url, filePath };
  }
  if (url.startsWith("mysql://") || url.startsWith("mariadb://")) {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
    if (database === "") throw new Error(`MySQL URL needs a database name: ${redactUrl(url)}`);
    if (!/^[A-Za-z0-9_$-]+$/.test(database)) throw new Error(`unsupported MySQL database name "${database}"`);
    return {
      dialect: "mysql",
      url,
      host: parsed.hostname || "127.0.0.1",
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username || "root"),
      password: decodeURIComponent(parsed.password),
      database,
      options: parseMysqlUrlOptions(parsed.searchParams),
    };
  }
  throw new Error(`unsupported database URL "${redactUrl(url)}": use file:<path> (SQLite) or mysql://… (MySQL)`);
}

/** What every MySQL connection of a target is opened with: server, account, TLS and timeouts. */
export interface MysqlConnectionOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
  ssl?: { ca?: string; rejectUnauthorized: boolean };
  connectTimeout?: number;
  socketTimeout?: number;
}

/**
 * Where, as whom and how to connect to a MySQL target, URL options included; `withDatabase:
 * false` for server-level work (create, drop). The pool, the Prisma adapter and the migrator
 * all start from this, so TLS and timeouts hold for every connection.
 */
export function mysqlServerOptions(
  target: Extract<DatabaseTarget, { dialect: "mysql" }>,
  { withDatabase = true }: { withDatabase?: boolean } = {},
): MysqlConnectionOptions {
  const { tls, connectTimeoutMs, socketTimeoutMs } = target.options;
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    ...(withDatabase ? { database: target.database } : {}),
    ...(tls ? { ssl: { rejectUnauthorized: tls.rejectUnauthorized, ...(tls.ca ? { ca: tls.ca } : {}) } } : {}),
    ...(connectTimeoutMs ? { connectTimeout: connectTimeoutMs } : {}),
    ...(socketTimeoutMs ? { socketTimeout: socketTimeoutMs } : {}),
  };
}

/** The URL with any password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
