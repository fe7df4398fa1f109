import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteTimestamp } from "../src/sql-dates";
import { createSqliteRunner } from "../src/sql-runner";

const dir = mkdtempSync(join(tmpdir(), "smartrecover-runner-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("createSqliteRunner", () => {
  it("when a long series of statements runs, then timers still fire between them (the event loop is not starved)", async () => {
    const runner = createSqliteRunner(join(dir, "loop.db"));
    await runner.transaction([{ sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", params: [] }]);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 0);
    for (let i = 0; i < 50; i += 1) {
      await runner.transaction([{ sql: "INSERT INTO t (v) VALUES (?)", params: [`row ${i}`] }]);
      await runner.query("SELECT COUNT(*) AS n FROM t");
    }
    clearInterval(timer);
    await runner.close();
    expect(ticks).toBeGreaterThan(10);
  });

  it("when one statement of a transaction fails, then none of it is kept", async () => {
    const runner = createSqliteRunner(join(dir, "atomic.db"));
    await runner.transaction([{ sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", params: [] }]);
    await expect(
      runner.transaction([
        { sql: "INSERT INTO t (v) VALUES (?)", params: ["kept?"] },
        { sql: "INSERT INTO t (v) VALUES (?)", params: [null] },
      ]),
    ).rejects.toThrow(/NOT NULL/);
    expect(await runner.query("SELECT COUNT(*) AS n FROM t")).toEqual([{ n: 0 }]);
    await runner.close();
  });

  it("when a Date is a parameter, then it is stored the way Prisma's SQLite adapter stores DateTime", async () => {
    const runner = createSqliteRunner(join(dir, "dates.db"));
    const at = new Date("2026-11-27T10:11:12.345Z");
    await runner.transaction([{ sql: "CREATE TABLE t (at DATETIME)", params: [] }]);
    await runner.transaction([{ sql: "INSERT INTO t (at) VALUES (?)", params: [at] }]);
    expect(await runner.query("SELECT at FROM t")).toEqual([{ at: "2026-11-27T10:11:12.345+00:00" }]);
    expect(sqliteTimestamp(at)).toBe("2026-11-27T10:11:12.345+00:00");
    await runner.close();
  });
});
