import mariadb from "mariadb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseTarget, mysqlServerOptions, parseDatabaseUrl } from "../src/database-url";
import { createMariadbRunner, type SqlRunner } from "../src/sql-runner";
import { createTestDatabase } from "../src/testing";

const database = createTestDatabase("mysql", "mariadb_runner");
const parsed = parseDatabaseUrl(database.url);
if (parsed.dialect !== "mysql") throw new Error("expected a MySQL test URL");
const target: Extract<DatabaseTarget, { dialect: "mysql" }> = parsed;
let runner: SqlRunner;

/** A plain connection, outside the runner, to see what the runner really stored. */
async function withConnection<T>(work: (connection: mariadb.Connection) => Promise<T>): Promise<T> {
  const connection = await mariadb.createConnection(mysqlServerOptions(target));
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

beforeAll(async () => {
  const admin = await mariadb.createConnection(mysqlServerOptions(target, { withDatabase: false }));
  await admin.query(`CREATE DATABASE \`${target.database}\``);
  await admin.end();
  runner = createMariadbRunner(target, 2);
  await runner.transaction([
    {
      sql: "CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, amount DECIMAL(12,2), at DATETIME(3))",
      params: [],
    },
  ]);
});

afterAll(async () => {
  await runner?.close();
  await database.drop();
});

describe("createMariadbRunner", () => {
  it("when a Date is written and read back, then it is stored as UTC text with milliseconds and returned as the same instant", async () => {
    const at = new Date("2026-11-27T23:59:58.123Z");
    await runner.transaction([{ sql: "INSERT INTO t (id, name, at) VALUES (?, ?, ?)", params: [1, "dates", at] }]);
    const stored = await withConnection((c) =>
      c.query<{ text: string }[]>("SELECT DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS text FROM t WHERE id = 1"),
    );
    expect(stored[0]?.text).toBe("2026-11-27 23:59:58.123000");
    const [row] = await runner.query<{ at: Date }>("SELECT at FROM t WHERE id = ?", [1]);
    expect(row?.at).toBeInstanceOf(Date);
    expect(row?.at.toISOString()).toBe(at.toISOString());
  });

  it("when Node's or the session's time zone is not UTC, then DATETIME values are not shifted", async () => {
    const at = new Date("2026-03-29T01:30:00.000Z");
    const previous = process.env.TZ;
    process.env.TZ = "Asia/Kolkata";
    try {
      await runner.transaction([
        { sql: "SET time_zone = '+05:00'", params: [] },
        { sql: "INSERT INTO t (id, name, at) VALUES (?, ?, ?)", params: [2, "zone", at] },
      ]);
      const rows = await runner.query<{ at: Date }>("SELECT at FROM t WHERE id = ?", [2]);
      expect(rows[0]?.at.toISOString()).toBe(at.toISOString());
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
    const stored = await withConnection((c) =>
      c.query<{ text: string }[]>("SELECT DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s') AS text FROM t WHERE id = 2"),
    );
    expect(stored[0]?.text).toBe("2026-03-29 01:30:00");
  });

  it("when BIGINT, DECIMAL, NULL and text come back, then they keep their exact values", async () => {
    await runner.transaction([
      {
        sql: "INSERT INTO t (id, name, amount, at) VALUES (?, ?, ?, ?)",
        params: [9_007_199_254_740_993n, "Zoë 'x'", "1234567890.05", null],
      },
    ]);
    const [row] = await runner.query<{ id: bigint; name: string; amount: string; at: Date | null }>(
      "SELECT id, name, amount, at FROM t WHERE name = ?",
      ["Zoë 'x'"],
    );
    expect(row).toEqual({ id: 9_007_199_254_740_993n, name: "Zoë 'x'", amount: "1234567890.05", at: null });
  });

  it("when one statement of a transaction fails, then none of it is kept and the pool still works", async () => {
    await expect(
      runner.transaction([
        { sql: "INSERT INTO t (id, name) VALUES (?, ?)", params: [100, "kept?"] },
        { sql: "INSERT INTO t (id, name) VALUES (?, ?)", params: [101, null] },
      ]),
    ).rejects.toThrow(/cannot be null/i);
    const rows = await withConnection((c) =>
      c.query<{ n: bigint }[]>("SELECT COUNT(*) AS n FROM t WHERE id IN (100, 101)"),
    );
    expect(Number(rows[0]?.n)).toBe(0);
    // More transactions than pool connections: a failed one must have released its connection.
    for (let i = 0; i < 5; i += 1) {
      await runner.transaction([{ sql: "INSERT INTO t (id, name) VALUES (?, ?)", params: [200 + i, `ok ${i}`] }]);
    }
    const after = await runner.query<{ n: bigint }>("SELECT COUNT(*) AS n FROM t WHERE id BETWEEN 200 AND 204");
    expect(Number(after[0]?.n)).toBe(5);
  });
});
