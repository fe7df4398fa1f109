import { isAbsolute, resolve } from "node:path";

export type DatabaseTarget =
  | { dialect: "sqlite"; url: string; filePath: string }
  | { dialect: "mysql"; url: string; host: string; port: number; user: string; password: string; database: string };

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
    };
  }
  throw new Error(`unsupported database URL "${redactUrl(url)}": use file:<path> (SQLite) or mysql://… (MySQL)`);
}

/** Where and as whom to connect to a MySQL target; `withDatabase: false` for server-level work (create, drop). */
export function mysqlServerOptions(
  target: Extract<DatabaseTarget, { dialect: "mysql" }>,
  { withDatabase = true }: { withDatabase?: boolean } = {},
): { host: string; port: number; user: string; password: string; database?: string } {
  const server = { host: target.host, port: target.port, user: target.user, password: target.password };
  return withDatabase ? { ...server, database: target.database } : server;
}

/** The URL with any password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
