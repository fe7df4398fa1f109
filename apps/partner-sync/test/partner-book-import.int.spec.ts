import { Readable } from "node:stream";
import { formatCents } from "@smartrecover/contracts";
import { moneyText, type ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPartnerBookFile } from "../src/partner-books/partner-book-file";
import type { ImportOutcome } from "../src/partner-books/partner-book-import.service";
import type { PartnerSync } from "../src/service";
import {
  AWKWARD_STYLE,
  type BookCase,
  type BookEntry,
  bookFor,
  CASES,
  expectedTypes,
  type Internal,
  internalFor,
  PLAIN_STYLE,
  renderBook,
} from "./partner-books/book-scenario";
import { makeMessage, manualClock } from "./support/fixtures";
import { discrepancies, syncRecords } from "./support/tables";
import { openTestService } from "./support/test-service";

const PARTNER = "acme-collections";
const DEBTORS = 120;
const UNKNOWN_ROWS = 7;

const accepted = (outcome: ImportOutcome) => {
  if (outcome.kind !== "accepted") throw new Error(`expected an accepted import, got ${JSON.stringify(outcome)}`);
  return outcome.import;
};

describe.each(TEST_DIALECTS)("partner book import on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  const clock = manualClock("2026-12-01T08:00:00.000Z");
  const internals = new Map<number, Internal>();
  const caseOf = (debtorId: number): BookCase => CASES[debtorId % CASES.length] ?? "equal";
  const importFile = (bytes: Buffer) =>
    sync.services.partnerBooks.importFile(Readable.from([bytes]), { partnerName: PARTNER, importedBy: "ops.lead" });

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "book_import");
    sync = await openTestService(testDb.url, {
      clock: clock.now,
      env: { PARTNER_BOOK_SOURCE: "imported", PARTNER_NAME: PARTNER, RECONCILIATION_TOLERANCE_PERCENT: "1.0" },
    });
    db = sync.db;
  });

  afterAll(async () => {
    await sync?.close();
    await testDb?.drop();
  });

  it("when messages arrive before the partner's first import, then their records wait PENDING (NO_PARTNER_BOOK) and nothing is opened", async () => {
    const messages = [];
    for (let debtorId = 1; debtorId <= DEBTORS; debtorId += 1) {
      const internal = internalFor(caseOf(debtorId), debtorId);
      internals.set(debtorId, internal);
      messages.push(
        makeMessage({ debtor_id: debtorId, debt_amount: formatCents(internal.cents), payment_status: internal.status }),
      );
    }
    const outcomes = await sync.services.applier.applyBatch(messages);
    expect(new Set(outcomes.map((o) => (o.outcome === "applied" ? o.reconciliationStatus : o.outcome)))).toEqual(
      new Set(["PENDING"]),
    );
    const reasons = await db.query<{ pending_reason: string | null; n: number | bigint }>(
      "SELECT pending_reason, COUNT(*) AS n FROM partner_sync_records GROUP BY pending_reason",
    );
    expect(reasons.map((row) => [row.pending_reason, Number(row.n)])).toEqual([["NO_PARTNER_BOOK", DEBTORS]]);
    expect(await discrepancies(db)).toEqual([]);
  });

  let firstBook: BookEntry[] = [];

  it("when the first book arrives (BOM, `;`, reordered columns, lower-case statuses), then every waiting debtor is reconciled as the model says", async () => {
    firstBook = [];
    for (const [debtorId, internal] of internals) {
      const entry = bookFor(caseOf(debtorId), debtorId, internal);
      if (entry) firstBook.push(entry);
    }
    // Rows for debtors never synced are kept and counted, not errors.
    for (let i = 1; i <= UNKNOWN_ROWS; i += 1) firstBook.push({ debtorId: 900_000 + i, cents: 500, status: "PAID" });
    clock.advanceDays(1);
    const view = accepted(await importFile(renderBook(firstBook, AWKWARD_STYLE)));

    const byDebtor = new Map(firstBook.map((entry) => [entry.debtorId, entry]));
    const expected = [...internals].map(([debtorId, internal]) => ({
      debtorId,
      types: expectedTypes(internal, byDebtor.get(debtorId)),
    }));
    const records = await syncRecords(db, { partnerName: PARTNER });
    expect(records.map((r) => [r.debtorId, r.reconciliationStatus])).toEqual(
      expected.map((e) => [e.debtorId, e.types.length === 0 ? "MATCHED" : "DISCREPANCY"]),
    );
    const stored = await discrepancies(db, { partnerName: PARTNER });
    expect(stored.map((d) => [d.debtorId, d.type, d.reviewState]).sort()).toEqual(
      expected.flatMap((e) => e.types.map((type) => [e.debtorId, type, "OPEN"])).sort(),
    );
    const source = `import:${view.id}`;
    expect(new Set(stored.flatMap((d) => d.events.map((e) => [e.event, e.messageId].join(" "))))).toEqual(
      new Set([`DETECTED ${source}`]),
    );
    // Every case occurs, and the boundary cases land on their side.
    const typesOf = (c: BookCase) => expected.filter((e) => caseOf(e.debtorId) === c).map((e) => e.types.join("+"));
    expect(new Set(typesOf("inside-above"))).toEqual(new Set([""]));
    expect(new Set(typesOf("outside-below"))).toEqual(new Set(["BALANCE_MISMATCH"]));
    expect(new Set(typesOf("zero-both"))).toEqual(new Set([""]));
    expect(new Set(typesOf("zero-internal"))).toEqual(new Set(["BALANCE_MISMATCH"]));
    expect(new Set(typesOf("missing"))).toEqual(new Set(["MISSING_AT_PARTNER"]));

    expect(view).toMatchObject({
      partner: PARTNER,
      state: "COMPLETE",
      rows: firstBook.length,
      imported_by: "ops.lead",
      summary: {
        rows: firstBook.length,
        debtors_rereconciled: DEBTORS,
        matched: expected.filter((e) => e.types.length === 0).length,
        discrepancies_opened: stored.length,
        discrepancies_updated: 0,
        discrepancies_auto_resolved: 0,
        rows_for_never_synced_debtors: UNKNOWN_ROWS,
      },
    });
    const [stats] = await db.query<{ n: number | bigint; imports: number | bigint }>(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT import_id) AS imports FROM partner_records WHERE partner_name = ? AND import_id = ?",
      [PARTNER, view.id],
    );
    expect([Number(stats?.n), Number(stats?.imports)]).toEqual([firstBook.length, 1]);
  });

  it("when a second book fixes some differences, then exactly those auto-resolve and the rest are seen again", async () => {
    const before = await discrepancies(db, { partnerName: PARTNER });
    const unresolvedBefore = before.filter((d) => d.reviewState === "OPEN");
    // Fix every other debtor with differences: the partner now holds our values.
    const fixed = new Set([...new Set(unresolvedBefore.map((d) => d.debtorId))].filter((_, index) => index % 2 === 0));
    const secondBook: BookEntry[] = [];
    for (const [debtorId, internal] of internals) {
      if (fixed.has(debtorId)) secondBook.push({ debtorId, cents: internal.cents, status: internal.status });
      else {
        const entry = firstBook.find((e) => e.debtorId === debtorId);
        if (entry) secondBook.push(entry);
      }
    }
    clock.advanceDays(1);
    const view = accepted(await importFile(renderBook(secondBook, PLAIN_STYLE)));

    const after = await discrepancies(db, { partnerName: PARTNER });
    const autoResolved = after.filter((d) => d.reviewState === "AUTO_RESOLVED");
    expect(autoResolved.map((d) => d.id).sort()).toEqual(
      unresolvedBefore
        .filter((d) => fixed.has(d.debtorId))
        .map((d) => d.id)
        .sort(),
    );
    const stillOpen = after.filter((d) => d.reviewState === "OPEN");
    expect(stillOpen.map((d) => d.id).sort()).toEqual(
      unresolvedBefore
        .filter((d) => !fixed.has(d.debtorId))
        .map((d) => d.id)
        .sort(),
    );
    expect(new Set(stillOpen.map((d) => d.occurrences))).toEqual(new Set([2]));
    expect(autoResolved.every((d) => d.events.at(-1)?.messageId === `import:${view.id}`)).toBe(true);
    expect(view.summary).toMatchObject({
      debtors_rereconciled: DEBTORS,
      discrepancies_opened: 0,
      discrepancies_updated: stillOpen.length,
      discrepancies_auto_resolved: autoResolved.length,
      rows_for_never_synced_debtors: 0,
    });
    expect(autoResolved.length).toBeGreaterThan(5);
    // The book is the second file only: the first one's unknown debtors are gone.
    const rows = await db.query<{ import_id: number | bigint; n: number | bigint }>(
      "SELECT import_id, COUNT(*) AS n FROM partner_records WHERE partner_name = ? GROUP BY import_id",
      [PARTNER],
    );
    expect(rows.map((r) => [Number(r.import_id), Number(r.n)])).toEqual([[view.id, secondBook.length]]);
  });

  it("when a message arrives after an import, then it is compared with the current book; a debtor absent from it is missing", async () => {
    const known = [...internals.keys()].find((id) => caseOf(id) === "equal") ?? 1;
    const internal = internals.get(known) as Internal;
    const [same, unknown] = await sync.services.applier.applyBatch([
      makeMessage({
        debtor_id: known,
        debt_amount: formatCents(internal.cents),
        payment_status: internal.status,
        processed_at: "2026-03-02T10:00:00.000Z",
      }),
      makeMessage({ debtor_id: 800_001, debt_amount: "10.00", payment_status: "PAID" }),
    ]);
    expect(same).toMatchObject({ outcome: "applied", reconciliationStatus: "MATCHED" });
    expect(unknown).toMatchObject({ outcome: "applied", reconciliationStatus: "DISCREPANCY" });
    expect((await discrepancies(db, { debtorId: 800_001 })).map((d) => d.type)).toEqual(["MISSING_AT_PARTNER"]);
  });

  it("when the current book is exported and imported again, then it reads back row for row and is refused as the same file", async () => {
    const exported = await collect(sync.services.partnerBooks.exportBook(PARTNER));
    const reader = readPartnerBookFile([exported]);
    const rows = [];
    let step = await reader.next();
    while (!step.done) {
      rows.push(...step.value);
      step = await reader.next();
    }
    expect(step.value.kind).toBe("valid");
    const stored = await db.query<{ debtor_id: number | bigint; balance: string; status: string; reference: null }>(
      `SELECT debtor_id, ${moneyText(db.dialect, "balance")} AS balance, status, reference
         FROM partner_records WHERE partner_name = ? ORDER BY debtor_id`,
      [PARTNER],
    );
    expect(stored.length).toBe(DEBTORS - DEBTORS / CASES.length);
    expect(rows.map((r) => [r.debtorId, formatCents(r.balanceCents), r.status, r.reference])).toEqual(
      stored.map((s) => [Number(s.debtor_id), s.balance, s.status, s.reference]),
    );
    // Imported into another partner it is a new file there; into the same partner a new import too (other bytes).
    const again = accepted(
      await sync.services.partnerBooks.importFile(Readable.from([exported]), {
        partnerName: "other-partner",
        importedBy: "ops.lead",
      }),
    );
    expect(again.rows).toBe(rows.length);
    const twice = await sync.services.partnerBooks.importFile(Readable.from([exported]), {
      partnerName: "other-partner",
      importedBy: "ops.lead",
    });
    expect(twice).toMatchObject({ kind: "duplicate", earlier: { id: again.id } });
  });
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
