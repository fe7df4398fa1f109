import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readDate } from "../src/sql-dates";
import { inList, lastInsertId, moneyText, upsertSql } from "../src/sql-dialect";
import type { ServiceDatabase } from "../src/sql-executor";
import { TEST_DIALECTS } from "../src/testing-databases";
import { type FixtureDatabase, openFixtureDatabase } from "./support/fixture-database";

describe.each(TEST_DIALECTS)("openServiceDatabase on %s", (dialect) => {
  let fixture: FixtureDatabase;
  let db: ServiceDatabase;

  beforeAll(async () => {
    fixture = await openFixtureDatabase(dialect, "service_db");
    db = fixture.db;
  });
  afterEach(async () => {
    await db.execute("DELETE FROM items");
    await db.execute("DELETE FROM accounts");
  });
  afterAll(() => fixture?.drop());

  const names = async () => (await db.query<{ name: string }>("SELECT name FROM items ORDER BY id")).map((r) => r.name);

  it("when opened with the default options, then the migrations have run and the executor reports its dialect", async () => {
    expect(db.dialect).toBe(dialect);
    expect(await db.query("SELECT COUNT(*) AS n FROM items")).toHaveLength(1);
  });

  it("when the work resolves, then its writes are committed, visible to later reads, and its value is returned", async () => {
    const id = await db.transaction(async (tx) => {
      await tx.execute("INSERT INTO items (name) VALUES (?)", ["committed"]);
      return lastInsertId(tx);
    });
    const [row] = await db.query<{ id: number | bigint }>("SELECT id FROM items WHERE name = ?", ["committed"]);
    expect(Number(row?.id)).toBe(id);
  });

  it("when the work throws, then the transaction rejects with that error and none of its writes is kept", async () => {
    const failure = new Error("the work failed");
    await expect(
      db.transaction(async (tx) => {
        await tx.execute("INSERT INTO items (name) VALUES (?)", ["rolled back"]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await names()).toEqual([]);
  });

  it("when a statement fails mid-transaction, then nothing is kept and later transactions still get a connection", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.execute("INSERT INTO items (name) VALUES (?)", ["kept?"]);
        await tx.execute("INSERT INTO items (name) VALUES (?)", [null]);
      }),
    ).rejects.toThrow(/NOT NULL|cannot be null/i);
    expect(await names()).toEqual([]);
    // More transactions than pooled connections: a failed one must have given its connection back.
    for (let i = 0; i < 8; i += 1) {
      await db.transaction((tx) => tx.execute("INSERT INTO items (name) VALUES (?)", [`ok ${i}`]));
    }
    expect(await names()).toEqual(Array.from({ length: 8 }, (_, i) => `ok ${i}`));
  });

  it("when rows change, then execute resolves with the number of rows matched, inside and outside a transaction", async () => {
    await db.transaction(async (tx) => {
      for (const name of ["a", "b", "c"])
        await tx.execute("INSERT INTO items (name, amount) VALUES (?, ?)", [name, "1.00"]);
    });
    expect(await db.execute(`UPDATE items SET amount = ? WHERE name IN ${inList(2)}`, ["2.00", "a", "b"])).toBe(2);
    expect(await db.transaction((tx) => tx.execute("UPDATE items SET amount = amount WHERE name = ?", ["c"]))).toBe(1);
    expect(await db.execute("DELETE FROM items WHERE name = ?", ["nobody"])).toBe(0);
  });

  it("when a transaction's handle is used after it ended, then it fails instead of writing outside the transaction", async () => {
    let escaped: Parameters<Parameters<ServiceDatabase["transaction"]>[0]>[0] | undefined;
    await db.transaction(async (tx) => {
      escaped = tx;
    });
    await expect(escaped?.execute("INSERT INTO items (name) VALUES (?)", ["late"])).rejects.toThrow(
      /used after its transaction ended/,
    );
    expect(await names()).toEqual([]);
  });

  it("when Node's time zone (and on MySQL the session's) is not UTC, then dates round-trip to the same instant, stored as UTC", async () => {
    const at = new Date("2026-11-27T23:59:58.123Z");
    const previous = process.env.TZ;
    process.env.TZ = "Asia/Kolkata";
    try {
      const read = await db.transaction(async (tx) => {
        if (dialect === "mysql") await tx.execute("SET time_zone = '+05:00'");
        await tx.execute("INSERT INTO items (name, at) VALUES (?, ?)", ["zone", at]);
        return tx.query<{ at: Date | string }>("SELECT at FROM items WHERE name = ?", ["zone"]);
      });
      expect(readDate(read[0]?.at ?? null)?.toISOString()).toBe(at.toISOString());
      const [outside] = await db.query<{ at: Date | string }>("SELECT at FROM items WHERE name = ?", ["zone"]);
      expect(readDate(outside?.at ?? null)?.toISOString()).toBe(at.toISOString());
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
    const stored = await db.query<{ text: string }>(
      dialect === "sqlite"
        ? "SELECT at AS text FROM items WHERE name = ?"
        : "SELECT DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS text FROM items WHERE name = ?",
      ["zone"],
    );
    expect(stored[0]?.text).toBe(dialect === "sqlite" ? "2026-11-27T23:59:58.123+00:00" : "2026-11-27 23:59:58.123000");
  });

  it("when money, big integers and NULL come back, then they keep their exact values", async () => {
    await db.execute("INSERT INTO items (name, amount, big, at) VALUES (?, ?, ?, ?)", [
      "Zoë 'x'",
      "1234567890.05",
      9_007_199_254_740_993n,
      null,
    ]);
    const [row] = await db.query<{ amount: string; big: bigint; at: null }>(
      `SELECT ${moneyText(dialect, "amount")} AS amount, big, at FROM items WHERE name = ?`,
      ["Zoë 'x'"],
    );
    expect(row?.amount).toBe("1234567890.05");
    expect(row?.at).toBeNull();
    if (dialect === "mysql") {
      expect(row?.big).toBe(9_007_199_254_740_993n);
      // MySQL hands DECIMAL over as exact text even without moneyText.
      const [raw] = await db.query<{ amount: string }>("SELECT amount FROM items WHERE name = ?", ["Zoë 'x'"]);
      expect(raw?.amount).toBe("1234567890.05");
    }
  });

  it("when upsertSql writes rows with a composite key, then existing rows take the listed columns and new rows are added", async () => {
    const columns = ["tenant", "code", "balance", "note"];
    await db.execute(
      upsertSql(dialect, "accounts", columns, ["tenant", "code"], 2),
      [
        ["t1", "a", "10.00", "first"],
        ["t1", "b", "20.00", "first"],
      ].flat(),
    );
    await db.execute(
      upsertSql(dialect, "accounts", columns, ["tenant", "code"], 2, ["balance"]),
      [
        ["t1", "b", "25.00", "second"],
        ["t2", "a", "30.00", "second"],
      ].flat(),
    );
    const rows = await db.query(
      `SELECT tenant, code, ${moneyText(dialect, "balance")} AS balance, note FROM accounts ORDER BY tenant, code`,
    );
    expect(rows).toEqual([
      { tenant: "t1", code: "a", balance: "10.00", note: "first" },
      { tenant: "t1", code: "b", balance: "25.00", note: "first" },
      { tenant: "t2", code: "a", balance: "30.00", note: "second" },
    ]);
  });
});
