import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDatabase } from "../src/sql-executor";
import { TEST_DIALECTS } from "../src/testing-databases";
import { tableContents } from "../src/testing-faults";
import { type FixtureDatabase, openFixtureDatabase } from "./support/fixture-database";

describe.each(TEST_DIALECTS)("tableContents on %s", (dialect) => {
  let fixture: FixtureDatabase;
  let db: ServiceDatabase;

  beforeAll(async () => {
    fixture = await openFixtureDatabase(dialect, "table_contents");
    db = fixture.db;
    await db.execute("INSERT INTO items (name, amount, at) VALUES (?, ?, ?), (?, ?, ?)", [
      "a",
      "1.00",
      new Date("2026-01-01T00:00:00.000Z"),
      "b",
      "2.00",
      null,
    ]);
  });
  afterAll(() => fixture?.drop());

  it("when nothing is written, then two snapshots are equal and hold every table, migrations included", async () => {
    const before = await tableContents(db);
    expect(Object.keys(before).sort()).toEqual(["_prisma_migrations", "accounts", "items"]);
    expect(before.items).toHaveLength(2);
    expect(await tableContents(db)).toEqual(before);
  });

  it("when one value changes and every row count stays the same, then the snapshots differ", async () => {
    const before = await tableContents(db);
    await db.execute("UPDATE items SET name = ? WHERE name = ?", ["a'; --", "a"]);
    const after = await tableContents(db);
    expect(Object.fromEntries(Object.entries(after).map(([t, rows]) => [t, rows.length]))).toEqual(
      Object.fromEntries(Object.entries(before).map(([t, rows]) => [t, rows.length])),
    );
    expect(after).not.toEqual(before);
    expect(after.items?.some((row) => row.includes("a'; --"))).toBe(true);
  });

  it("when a row is swapped for another with the same count, or a table is added, then the snapshots differ", async () => {
    const before = await tableContents(db);
    await db.transaction(async (tx) => {
      await tx.execute("DELETE FROM items WHERE name = ?", ["b"]);
      await tx.execute("INSERT INTO items (name) VALUES (?)", ["c"]);
    });
    expect(await tableContents(db)).not.toEqual(before);
    const swapped = await tableContents(db);
    await db.execute("CREATE TABLE extra (id INTEGER PRIMARY KEY)");
    expect(Object.keys(await tableContents(db))).toContain("extra");
    expect(await tableContents(db)).not.toEqual(swapped);
  });
});
