import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import mariadb from "mariadb";
import { parseDatabaseUrl } from "./database-url";
import type { Dialect, SqlExecutor } from "./sql-executor";
import { TEST_MYSQL_SERVER } from "./testing-databases";

// Test support for fault injection: make a real test database unavailable, then bring it back.

/**
 * A dedicated MySQL account with every privilege on one test database, reached with a password.
 * `cut()` revokes the privileges and kills the account's open connections, so its pool cannot
 * reconnect ("access denied") until `restore()` grants them back. Nobody else is affected.
 */
export interface MysqlOutage {
  /** The test database's URL with this account and its password. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** Drops the account (restoring nothing else). */
  dispose(): Promise<void>;
}

const HOSTS = ["%", "localhost"] as const;

async function adminConnection() {
  const server = new URL(TEST_MYSQL_SERVER);
  return mariadb.createConnection({
    host: server.hostname || "127.0.0.1",
    port: server.port ? Number(server.port) : 3306,
    user: decodeURIComponent(server.username || "root"),
    password: decodeURIComponent(server.password),
  });
}

export async function createMysqlOutageUser(databaseUrl: string): Promise<MysqlOutage> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect !== "mysql") throw new Error("createMysqlOutageUser needs a MySQL URL");
  const user = `sr_fault_${randomBytes(4).toString("hex")}`;
  const password = `pw-${randomBytes(12).toString("hex")}`;
  // parseDatabaseUrl has already restricted the name to [A-Za-z0-9_$-], so quoting it is safe.
  const database = `\`${target.database}\``;
  const admin = await adminConnection();
  const onEveryHost = async (statement: (account: string) => string) => {
    for (const host of HOSTS) await admin.query(statement(`'${user}'@'${host}'`));
  };
  try {
    await onEveryHost((account) => `CREATE USER ${account} IDENTIFIED BY '${password}'`);
    await onEveryHost((account) => `GRANT ALL PRIVILEGES ON ${database}.* TO ${account}`);
  } finally {
    await admin.end();
  }
  const withAdmin = async (work: (connection: mariadb.Connection) => Promise<void>) => {
    const connection = await adminConnection();
    try {
      await work(connection);
    } finally {
      await connection.end();
    }
  };
  const url = `mysql://${user}:${password}@${target.host}:${target.port}/${target.database}`;
  return {
    url,
    user,
    password,
    cut: () =>
      withAdmin(async (connection) => {
        for (const host of HOSTS)
          await connection.query(`REVOKE ALL PRIVILEGES ON ${database}.* FROM '${user}'@'${host}'`);
        const sessions = (await connection.query("SELECT id FROM information_schema.PROCESSLIST WHERE user = ?", [
          user,
        ])) as Array<{ id: number | bigint }>;
        for (const { id } of sessions) await connection.query(`KILL CONNECTION ${Number(id)}`).catch(() => undefined);
      }),
    restore: () =>
      withAdmin(async (connection) => {
        for (const host of HOSTS)
          await connection.query(`GRANT ALL PRIVILEGES ON ${database}.* TO '${user}'@'${host}'`);
      }),
    dispose: () =>
      withAdmin(async (connection) => {
        for (const host of HOSTS) await connection.query(`DROP USER IF EXISTS '${user}'@'${host}'`);
      }),
  };
}

/** A least-privilege MySQL account, as production's services use: DML only, no DDL. */
export interface MysqlDmlUser {
  /** Each given database URL with this account and its password. */
  readonly urls: string[];
  dispose(): Promise<void>;
}

/** Creates an account with SELECT, INSERT, UPDATE and DELETE on the given databases and nothing else. */
export async function createMysqlDmlUser(databaseUrls: readonly string[]): Promise<MysqlDmlUser> {
  const targets = databaseUrls.map((url) => {
    const target = parseDatabaseUrl(url);
    if (target.dialect !== "mysql") throw new Error("createMysqlDmlUser needs MySQL URLs");
    return target;
  });
  const user = `sr_dml_${randomBytes(4).toString("hex")}`;
  const password = `pw-${randomBytes(12).toString("hex")}`;
  const admin = await adminConnection();
  try {
    for (const host of HOSTS) {
      await admin.query(`CREATE USER '${user}'@'${host}' IDENTIFIED BY '${password}'`);
      for (const target of targets) {
        await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${target.database}\`.* TO '${user}'@'${host}'`);
      }
    }
  } finally {
    await admin.end();
  }
  return {
    urls: targets.map((t) => `mysql://${user}:${password}@${t.host}:${t.port}/${t.database}`),
    async dispose() {
      const connection = await adminConnection();
      try {
        for (const host of HOSTS) await connection.query(`DROP USER IF EXISTS '${user}'@'${host}'`);
      } finally {
        await connection.end();
      }
    },
  };
}

/**
 * Holds SQLite's write lock from another connection (as a backup or a long write elsewhere would):
 * every writer waits for its busy timeout, then fails with SQLITE_BUSY, until `release()`.
 * Readers keep reading (WAL).
 */
export interface SqliteWriteLock {
  release(): void;
}

export function holdSqliteWriteLock(databaseUrl: string): SqliteWriteLock {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect !== "sqlite") throw new Error("holdSqliteWriteLock needs a file: URL");
  const db = new Database(target.filePath, { timeout: 10_000 });
  db.exec("BEGIN EXCLUSIVE");
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      db.exec("ROLLBACK");
      db.close();
    },
  };
}

/**
 * Text a hostile or careless client might send: SQL metacharacters, comments, stacked
 * statements, quotes of every kind, backslashes, placeholders, unicode. No NUL (SQS and many
 * drivers refuse it) and no lone surrogates (not storable as UTF-8). All ≤ 64 characters.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "'; DROP TABLE debtors; --",
  '" OR 1=1 --',
  "' OR '1'='1",
  "1; DELETE FROM inbox_messages",
  "Robert'); DROP TABLE outbox_messages;--",
  "\\'; SELECT SLEEP(5); --",
  "back\\slash \\\\ and \\' quote \\\"",
  "%' UNION SELECT name FROM sqlite_master --",
  "`backtick` $1 ?? ? :name @var",
  "/* comment */ -- # trailing",
  "Zoë Ångström – 名前 \u202e reversed",
  "emoji 😀 tab\tnewline\ncr\r",
  "0x27; CHAR(39)",
  "%_%",
];

type Query = (sql: string) => Promise<unknown[]>;

function catalogSql(dialect: Dialect): string {
  return dialect === "sqlite"
    ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name";
}

// Table names come from the catalog, never from a request.
const quoted = (dialect: Dialect, name: string) => (dialect === "mysql" ? `\`${name}\`` : `"${name}"`);

/**
 * Every table of the database with its row count, from the catalog.
 * @deprecated counts miss a changed value; prove "nothing changed" with `tableContents`. Kept until
 * partner-sync's injection suite moves over.
 */
export async function tableRowCounts(query: Query, dialect: Dialect): Promise<Record<string, number>> {
  const tables = (await query(catalogSql(dialect))) as Array<{ name: string }>;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = (await query(`SELECT COUNT(*) AS n FROM ${quoted(dialect, name)}`)) as Array<{ n: number | bigint }>;
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

/** One row as comparable text: bigint, Date and bytes spelled out, keys in column order. */
function rowText(row: Record<string, unknown>): string {
  return JSON.stringify(row, (_key, value: unknown) => {
    if (typeof value === "bigint") return `${value}n`;
    if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString("hex")}`;
    return value;
  });
}

/**
 * Every table's full content, each row as text, rows sorted: two snapshots are equal only when no
 * table was created, dropped or emptied and no row was added, removed or changed in any column.
 * Dates compare as stored (JSON turns a Date into its ISO text). For test-sized databases.
 */
export async function tableContents(db: SqlExecutor): Promise<Record<string, string[]>> {
  const tables = await db.query<{ name: string }>(catalogSql(db.dialect));
  const contents: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await db.query(`SELECT * FROM ${quoted(db.dialect, name)}`);
    contents[name] = rows.map(rowText).sort();
  }
  return contents;
}
