import { setImmediate as nextTurn } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDatabase } from "../src/sql-executor";
import { type FixtureDatabase, gate, openFixtureDatabase } from "./support/fixture-database";

describe("openServiceDatabase on SQLite: one writer, one reader", () => {
  let fixture: FixtureDatabase;
  let db: ServiceDatabase;

  beforeAll(async () => {
    fixture = await openFixtureDatabase("sqlite", "sqlite_writer");
    db = fixture.db;
  });
  afterAll(() => fixture?.drop());

  it("when two transactions start at once, then the second begins only after the first has committed", async () => {
    const events: string[] = [];
    const hold = gate();
    const first = db.transaction(async (tx) => {
      events.push("first begins");
      await tx.execute("INSERT INTO items (name) VALUES (?)", ["first"]);
      await hold.opened;
      events.push("first ends");
    });
    const second = db.transaction(async (tx) => {
      events.push("second begins");
      const seen = await tx.query<{ name: string }>("SELECT name FROM items WHERE name = ?", ["first"]);
      events.push(`second sees ${seen.length} committed row(s) of the first`);
    });
    // Many turns of the event loop while the first is held open: the second must still wait.
    for (let i = 0; i < 20; i += 1) await nextTurn();
    expect(events).toEqual(["first begins"]);
    hold.open();
    await Promise.all([first, second]);
    expect(events).toEqual([
      "first begins",
      "first ends",
      "second begins",
      "second sees 1 committed row(s) of the first",
    ]);
  });

  it("when a read runs while a write transaction is open, then it answers at once from committed data", async () => {
    await db.execute("INSERT INTO items (name) VALUES (?)", ["before"]);
    const hold = gate();
    const writing = db.transaction(async (tx) => {
      await tx.execute("INSERT INTO items (name) VALUES (?)", ["uncommitted"]);
      await hold.opened;
    });
    await nextTurn();
    await nextTurn();
    const seen = await db.query<{ name: string }>("SELECT name FROM items WHERE name IN (?, ?)", [
      "before",
      "uncommitted",
    ]);
    expect(seen.map((row) => row.name)).toEqual(["before"]);
    hold.open();
    await writing;
    expect(await db.query("SELECT name FROM items WHERE name = ?", ["uncommitted"])).toEqual([{ name: "uncommitted" }]);
  });

  it("when a queued transaction fails, then the ones queued behind it still run", async () => {
    const failing = db.transaction(async () => {
      throw new Error("first fails");
    });
    const next = db.transaction((tx) => tx.execute("INSERT INTO items (name) VALUES (?)", ["after failure"]));
    await expect(failing).rejects.toThrow("first fails");
    expect(await next).toBe(1);
  });

  it("when a writing statement goes through query outside a transaction, then the writer runs it", async () => {
    const rows = await db.query<{ id: number }>("INSERT INTO items (name) VALUES (?) RETURNING id", ["returning"]);
    expect(rows).toHaveLength(1);
    expect(await db.query("SELECT id FROM items WHERE name = ?", ["returning"])).toEqual(rows);
  });

  it("when a long series of statements runs, then other event-loop work gets a turn before each of them", async () => {
    // A callback that re-queues itself runs once per event-loop turn; without yielding, the
    // statements would all run in one turn and it would not run at all until they were done.
    let turns = 0;
    let running = true;
    const spin = () => {
      turns += 1;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    for (let i = 0; i < 50; i += 1) {
      await db.transaction((tx) => tx.execute("INSERT INTO items (name) VALUES (?)", [`row ${i}`]));
      await db.query("SELECT COUNT(*) AS n FROM items");
    }
    running = false;
    expect(turns).toBeGreaterThanOrEqual(100);
  });

  it("when closed with a transaction still queued, then the transaction finishes first and later use is refused", async () => {
    const other = await fixture.reopen();
    const queued = other.transaction((tx) => tx.execute("INSERT INTO items (name) VALUES (?)", ["queued at close"]));
    await other.close();
    expect(await queued).toBe(1);
    await expect(other.transaction(async () => {})).rejects.toThrow(/closed/);
    expect(await db.query("SELECT name FROM items WHERE name = ?", ["queued at close"])).toHaveLength(1);
  });
});
