import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { formatCents } from "@smartrecover/contracts";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PartnerSync } from "../src/service";
import { type BookEntry, expectedTypes, type Internal, PLAIN_STYLE, renderBook } from "./partner-books/book-scenario";
import { makeMessage } from "./support/fixtures";
import { discrepancies } from "./support/tables";
import { openTestService } from "./support/test-service";

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD = join(HERE, "support/import-book-child.ts");
const CLI = resolve(HERE, "../../cli/src/main.ts");
const PARTNER = "crash-partner";
const SYNCED = 3_000;
const UNKNOWN = 40_000;

const count = async (db: ServiceDatabase, sql: string, params: unknown[] = []) => {
  const [row] = await db.query<{ n: number | bigint }>(sql, params);
  return Number(row?.n ?? 0);
};

/** Spawns a process and SIGKILLs it once `ready` holds (polled); resolves with how it ended. */
async function killWhen(child: ChildProcess, ready: () => Promise<boolean>, timeoutMs = 60_000) {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("exit", (code, signal) => done({ code, signal })),
  );
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!ended && Date.now() < deadline) {
    if (await ready()) {
      child.kill("SIGKILL");
      break;
    }
    await new Promise((wait) => setTimeout(wait, 5));
  }
  if (!ended && Date.now() >= deadline) child.kill("SIGKILL");
  return exited;
}

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe.each(TEST_DIALECTS)("partner book import killed with SIGKILL on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let dir: string;
  const internals = new Map<number, Internal>();
  const bookA: BookEntry[] = [];
  const bookB: BookEntry[] = [];
  let fileB: string;
  let importA: number;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "book_crash");
    sync = await openTestService(testDb.url, { env: { PARTNER_BOOK_SOURCE: "imported", PARTNER_NAME: PARTNER } });
    db = sync.db;
    dir = mkdtempSync(join(tmpdir(), "smartrecover-book-crash-"));
    const messages = [];
    for (let debtorId = 1; debtorId <= SYNCED; debtorId += 1) {
      const internal: Internal = { cents: 20_000 + debtorId, status: "UNPAID" };
      internals.set(debtorId, internal);
      messages.push(makeMessage({ debtor_id: debtorId, debt_amount: formatCents(internal.cents) }));
      // Book A: every third debtor differs in balance; book B fixes half of those and breaks others' status.
      const a = debtorId % 3 === 0 ? internal.cents * 2 : internal.cents;
      bookA.push({ debtorId, cents: a, status: "UNPAID" });
      const b = debtorId % 6 === 0 ? internal.cents : a;
      bookB.push({ debtorId, cents: b, status: debtorId % 5 === 0 ? "PAID" : "UNPAID" });
    }
    for (let i = 0; i < messages.length; i += 500) await sync.services.applier.applyBatch(messages.slice(i, i + 500));
    for (let i = 1; i <= UNKNOWN; i += 1) bookB.push({ debtorId: 1_000_000 + i, cents: 100, status: "PAID" });
    const first = await sync.services.partnerBooks.importFile(Readable.from([renderBook(bookA, PLAIN_STYLE)]), {
      partnerName: PARTNER,
      importedBy: "setup",
    });
    if (first.kind !== "accepted") throw new Error("book A was refused");
    importA = first.import.id;
    fileB = join(dir, "book-b.csv");
    writeFileSync(fileB, renderBook(bookB, PLAIN_STYLE));
  }, 120_000);

  afterAll(async () => {
    await sync?.close();
    await testDb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const bookRows = async () =>
    db.query<{ import_id: number | bigint; n: number | bigint }>(
      "SELECT import_id, COUNT(*) AS n FROM partner_records WHERE partner_name = ? GROUP BY import_id",
      [PARTNER],
    );
  const child = (batchSize: number) =>
    spawn(process.execPath, ["--import", "tsx", CHILD, testDb.url, fileB, PARTNER, String(batchSize)], {
      stdio: "ignore",
    });

  it("when the import is killed while the file is read, then the previous book is still in force, whole", async () => {
    const end = await killWhen(
      child(20),
      async () => (await count(db, "SELECT COUNT(*) AS n FROM partner_book_staged_rows")) > 0,
    );
    expect(end.signal).toBe("SIGKILL");
    expect((await bookRows()).map((r) => [Number(r.import_id), Number(r.n)])).toEqual([[importA, SYNCED]]);
    expect(await count(db, "SELECT COUNT(*) AS n FROM partner_book_imports WHERE state <> 'STAGING'")).toBe(1);
  }, 90_000);

  it("when the import is killed while re-reconciling, then the new book is complete and in force", async () => {
    const end = await killWhen(
      child(20),
      async () =>
        (await count(
          db,
          "SELECT COUNT(*) AS n FROM partner_book_imports WHERE state = 'RECONCILING' AND reconciled_through > 0",
        )) > 0,
    );
    expect(end.signal).toBe("SIGKILL");
    const rows = await bookRows();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]?.n)).toBe(bookB.length);
    expect(Number(rows[0]?.import_id)).not.toBe(importA);
    const [unfinished] = await db.query<{ reconciled_through: number | bigint }>(
      "SELECT reconciled_through FROM partner_book_imports WHERE state = 'RECONCILING'",
    );
    expect(Number(unfinished?.reconciled_through)).toBeLessThan(SYNCED);
  }, 90_000);

  it("when the same file is imported again, then the re-reconciliation resumes and ends as one clean import would", async () => {
    const result = await runCli(["partner-book", "import", fileB, "--partner", PARTNER, "--json"], {
      PARTNER_SYNC_DATABASE_URL: testDb.url,
      PARTNER_BOOK_SOURCE: "imported",
      LOG_LEVEL: "silent",
    });
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout);
    const byA = new Map(bookA.map((e) => [e.debtorId, e]));
    const byB = new Map(bookB.map((e) => [e.debtorId, e]));
    const typesA = (id: number) => expectedTypes(internals.get(id) as Internal, byA.get(id));
    const typesB = (id: number) => expectedTypes(internals.get(id) as Internal, byB.get(id));
    const ids = [...internals.keys()];
    const kept = ids.flatMap((id) => typesB(id).filter((t) => typesA(id).includes(t)));
    const opened = ids.flatMap((id) => typesB(id).filter((t) => !typesA(id).includes(t)));
    const gone = ids.flatMap((id) => typesA(id).filter((t) => !typesB(id).includes(t)));
    expect(answer).toMatchObject({
      state: "COMPLETE",
      resumed: true,
      rows: bookB.length,
      summary: {
        debtors_rereconciled: SYNCED,
        matched: ids.filter((id) => typesB(id).length === 0).length,
        discrepancies_opened: opened.length,
        discrepancies_updated: kept.length,
        discrepancies_auto_resolved: gone.length,
        rows_for_never_synced_debtors: UNKNOWN,
      },
    });
    const stored = await discrepancies(db, { partnerName: PARTNER });
    const history = (d: (typeof stored)[number]) => d.events.map((e) => `${e.event}@${e.messageId}`).join(" ");
    const a = `import:${importA}`;
    const b = `import:${answer.id}`;
    // Nothing doubled: every discrepancy's history is exactly one sighting per import.
    const expected = ids.flatMap((id) => [
      ...typesA(id)
        .filter((t) => typesB(id).includes(t))
        .map((t) => [id, t, "OPEN", 2, `DETECTED@${a} SEEN_AGAIN@${b}`]),
      ...typesB(id)
        .filter((t) => !typesA(id).includes(t))
        .map((t) => [id, t, "OPEN", 1, `DETECTED@${b}`]),
      ...typesA(id)
        .filter((t) => !typesB(id).includes(t))
        .map((t) => [id, t, "AUTO_RESOLVED", 1, `DETECTED@${a} AUTO_RESOLVED@${b}`]),
    ]);
    expect(gone.length).toBeGreaterThan(0);
    expect(stored.map((d) => [d.debtorId, d.type, d.reviewState, d.occurrences, history(d)]).sort()).toEqual(
      expected.sort(),
    );
    expect(await count(db, "SELECT COUNT(*) AS n FROM partner_book_staged_rows")).toBe(0);
    expect(await count(db, "SELECT COUNT(*) AS n FROM partner_book_imports WHERE state = 'STAGING'")).toBe(0);
    expect((await bookRows()).map((r) => [Number(r.import_id), Number(r.n)])).toEqual([[answer.id, bookB.length]]);
  }, 120_000);
});
