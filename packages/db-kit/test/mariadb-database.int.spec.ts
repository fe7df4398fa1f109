import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_POOL_SIZE } from "../src/mariadb-database";
import { migrateDatabase } from "../src/migrate";
import { openServiceDatabase } from "../src/open-service-database";
import type { ServiceDatabase } from "../src/sql-executor";
import { isRetryableTransactionError, RetryableTransactionError } from "../src/transaction-errors";
import { FIXTURE_MIGRATIONS, type FixtureDatabase, gate, openFixtureDatabase } from "./support/fixture-database";

describe("openServiceDatabase on MariaDB: one bounded pool, typed lock errors", () => {
  let fixture: FixtureDatabase;
  let db: ServiceDatabase;

  beforeAll(async () => {
    fixture = await openFixtureDatabase("mysql", "mariadb_locks");
    db = fixture.db;
  });
  beforeEach(async () => {
    await db.execute("DELETE FROM items");
    await db.execute("INSERT INTO items (id, name, big) VALUES (1, 'one', 0), (2, 'two', 0)");
  });
  afterAll(() => fixture?.drop());

  it("when two transactions lock two rows in opposite order, then one is a retryable deadlock victim and a retry succeeds", async () => {
    const firstLocked = gate();
    const secondLocked = gate();
    const crossing = (own: number, other: number, mine: ReturnType<typeof gate>, theirs: ReturnType<typeof gate>) =>
      db.transaction(async (tx) => {
        await tx.execute("UPDATE items SET big = big + ? WHERE id = ?", [own, own]);
        mine.open();
        await theirs.opened;
        await tx.execute("UPDATE items SET big = big + ? WHERE id = ?", [own, other]);
      });
    const outcomes = await Promise.allSettled([
      crossing(1, 2, firstLocked, secondLocked),
      crossing(2, 1, secondLocked, firstLocked),
    ]);
    const failures = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : []));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(RetryableTransactionError);
    expect(isRetryableTransactionError(failures[0])).toBe(true);
    expect((failures[0] as RetryableTransactionError).code).toBe("ER_LOCK_DEADLOCK");

    const victim = outcomes.findIndex((outcome) => outcome.status === "rejected") === 0 ? 1 : 2;
    const other = victim === 1 ? 2 : 1;
    // The victim's writes were rolled back as a whole: only the winner's two increments are there.
    const big = async () =>
      (await db.query<{ id: number; big: bigint }>("SELECT id, big FROM items ORDER BY id")).map((r) => Number(r.big));
    expect(await big()).toEqual([victim === 1 ? 2 : 1, victim === 1 ? 2 : 1]);
    await db.transaction(async (tx) => {
      await tx.execute("UPDATE items SET big = big + ? WHERE id = ?", [victim, victim]);
      await tx.execute("UPDATE items SET big = big + ? WHERE id = ?", [victim, other]);
    });
    expect(await big()).toEqual([3, 3]);
  });

  it("when a deadlock rolls a transaction back while its later statements are already pipelined, then none of them is committed", async () => {
    // InnoDB ends a deadlock victim's transaction at once. Statements the driver had already sent
    // behind the failed one would then run in autocommit mode and stay committed after ROLLBACK.
    const lightLocked = gate();
    const heavyLocked = gate();
    const heavy = db.transaction(async (tx) => {
      // Many changed rows make this transaction the heavier one, so InnoDB picks the other as victim.
      await tx.execute(
        `INSERT INTO items (id, name, big) VALUES ${Array.from({ length: 50 }, () => "(?, 'filler', 0)").join(", ")}`,
        Array.from({ length: 50 }, (_, i) => 1000 + i),
      );
      await tx.execute("UPDATE items SET big = big + 1 WHERE id = 2");
      heavyLocked.open();
      await lightLocked.opened;
      await tx.execute("UPDATE items SET big = big + 1 WHERE id = 1");
    });
    const light = db.transaction(async (tx) => {
      await tx.execute("UPDATE items SET big = big + 10 WHERE id = 1");
      lightLocked.open();
      await heavyLocked.opened;
      await Promise.all([
        tx.execute("UPDATE items SET big = big + 10 WHERE id = 2"),
        tx.execute("INSERT INTO items (id, name, big) VALUES (99, 'pipelined after the deadlock', 0)"),
        tx.execute("UPDATE items SET name = 'changed after the deadlock' WHERE id = 1"),
      ]);
    });
    const [heavyOutcome, lightOutcome] = await Promise.allSettled([heavy, light]);
    expect(heavyOutcome.status).toBe("fulfilled");
    expect(lightOutcome.status).toBe("rejected");
    expect(isRetryableTransactionError((lightOutcome as PromiseRejectedResult).reason)).toBe(true);
    expect(await db.query("SELECT id FROM items WHERE id = 99")).toEqual([]);
    const rows = await db.query<{ id: number; name: string; big: bigint }>(
      "SELECT id, name, big FROM items WHERE id IN (1, 2) ORDER BY id",
    );
    expect(rows.map((row) => [row.id, row.name, Number(row.big)])).toEqual([
      [1, "one", 1],
      [2, "two", 1],
    ]);
  });

  it("when work fails while one of its branches is still running, then a statement that branch issues later is refused, not committed", async () => {
    // Settled into a value as soon as it is issued, so its refusal is never an unhandled rejection.
    let strayOutcome: Promise<unknown> = Promise.resolve("not issued yet");
    const failure = await db
      .transaction(async (tx) => {
        await Promise.all([
          tx.execute("INSERT INTO items (id, name) VALUES (1, 'breaks the primary key')"),
          (async () => {
            await tx.query("SELECT SLEEP(0.05)");
            strayOutcome = tx.execute("INSERT INTO items (id, name) VALUES (98, 'after the transaction ended')").then(
              () => "accepted",
              (error: unknown) => error,
            );
          })(),
        ]);
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    await expect.poll(async () => (await strayOutcome) instanceof Error).toBe(true);
    expect(await db.query("SELECT id FROM items WHERE id = 98")).toEqual([]);
  });

  it("when a transaction waits longer than innodb_lock_wait_timeout for a row, then it fails as retryable", async () => {
    const impatient = await fixture.reopen({ poolSize: 1 });
    await impatient.execute("SET SESSION innodb_lock_wait_timeout = 1");
    const locked = gate();
    const waited = gate();
    const holder = db.transaction(async (tx) => {
      await tx.execute("UPDATE items SET name = ? WHERE id = 1", ["held"]);
      locked.open();
      await waited.opened;
    });
    await locked.opened;
    const blocked = impatient.transaction((tx) => tx.execute("UPDATE items SET name = ? WHERE id = 1", ["waiter"]));
    const failure = await blocked.then(
      () => undefined,
      (error: unknown) => error,
    );
    waited.open();
    await holder;
    expect(failure).toBeInstanceOf(RetryableTransactionError);
    expect((failure as RetryableTransactionError).code).toBe("ER_LOCK_WAIT_TIMEOUT");
    expect(await db.query("SELECT name FROM items WHERE id = 1")).toEqual([{ name: "held" }]);
  });

  it("when a statement breaks a unique key, then the error is not retryable", async () => {
    const failure = await db
      .transaction((tx) => tx.execute("INSERT INTO items (id, name) VALUES (1, 'again')"))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(isRetryableTransactionError(failure)).toBe(false);
  });

  it("when more transactions run at once than the pool holds, then they share at most poolSize connections", async () => {
    const small = await fixture.reopen({ poolSize: 2 });
    const connections = await Promise.all(
      Array.from({ length: 6 }, () =>
        small.transaction(async (tx) => {
          const [row] = await tx.query<{ id: bigint }>("SELECT CONNECTION_ID() AS id");
          await tx.query("SELECT SLEEP(0.05)");
          return String(row?.id);
        }),
      ),
    );
    expect(connections).toHaveLength(6);
    expect(new Set(connections).size).toBeLessThanOrEqual(2);
  });

  it("when the URL sets connection_limit, then the pool holds at most that many connections, and more when it allows more", async () => {
    const distinctConnections = async (limit: number) => {
      const opened = await openServiceDatabase({
        url: `${fixture.url}?connection_limit=${limit}`,
        migrationsRoot: FIXTURE_MIGRATIONS,
        migrate: false,
      });
      try {
        const ids = await Promise.all(
          Array.from({ length: 8 }, () =>
            opened.transaction(async (tx) => {
              const [row] = await tx.query<{ id: bigint }>("SELECT CONNECTION_ID() AS id");
              await tx.query("SELECT SLEEP(0.05)");
              return String(row?.id);
            }),
          ),
        );
        return new Set(ids).size;
      } finally {
        await opened.close();
      }
    };
    expect(await distinctConnections(2)).toBeLessThanOrEqual(2);
    expect(await distinctConnections(8)).toBeGreaterThan(2);
  });

  it("when the URL asks for verified TLS, then the connection insists on it (the test server has no CA-signed certificate)", async () => {
    // The migrator's single connection shows the driver's own reason (a pool only reports its timeout).
    const failure = await migrateDatabase(`${fixture.url}?ssl=true&connect_timeout=5`, FIXTURE_MIGRATIONS).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/ssl|tls|certificate|secure/i);
  });

  it("when the pool size is out of bounds, then opening fails and names the bounds", async () => {
    for (const poolSize of [0, MAX_POOL_SIZE + 1, 2.5]) {
      await expect(
        openServiceDatabase({ url: fixture.url, migrationsRoot: FIXTURE_MIGRATIONS, migrate: false, poolSize }),
      ).rejects.toThrow(`from 1 to ${MAX_POOL_SIZE}`);
    }
  });
});
