import { migrateDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARTNER_SYNC_MIGRATIONS_ROOT } from "../src/service";
import { openPrismaClient, type PartnerSyncPrismaClient } from "./support/prisma-client";

// The MySQL migration is written by hand: writing and reading every model through the generated
// client proves it matches model.prisma (column names, types, nullability, defaults).
describe.each(TEST_DIALECTS)("partner-sync schema on %s", (dialect) => {
  let testDb: TestDatabase;
  let prisma: PartnerSyncPrismaClient;
  const at = new Date("2026-05-01T08:30:00.123Z");

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "schema");
    await migrateDatabase(testDb.url, PARTNER_SYNC_MIGRATIONS_ROOT);
    prisma = openPrismaClient(testDb.url);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await testDb?.drop();
  });

  it("when migrations run again, then nothing is pending", async () => {
    expect(await migrateDatabase(testDb.url, PARTNER_SYNC_MIGRATIONS_ROOT)).toEqual({ applied: [], alreadyApplied: 3 });
  });

  it("when every model is written and read through the Prisma client, then the values round-trip", async () => {
    const p = prisma;
    const sync = await p.partnerSyncRecord.create({
      data: {
        debtorId: 2_147_483_647,
        partnerName: "p".repeat(64),
        internalBalance: "99999999999.99",
        internalStatus: "PARTIAL",
        lastMessageId: "m".repeat(64),
        lastProcessedAt: at,
        syncedAt: at,
        pendingReason: "NO_PARTNER_BOOK",
      },
    });
    expect([sync.reconciliationStatus, sync.pendingReason]).toEqual(["PENDING", "NO_PARTNER_BOOK"]);
    expect(sync.internalBalance.toFixed(2)).toBe("99999999999.99");
    expect(sync.externalBalance).toBeNull();

    const bookImport = await p.partnerBookImport.create({
      data: {
        partnerName: "p".repeat(64),
        sha256: "f".repeat(64),
        state: "RECONCILING",
        rows: 1,
        asOf: "2026-11-30",
        importedBy: "o".repeat(64),
        importedAt: at,
        summary: "s".repeat(10_000),
      },
    });
    expect([bookImport.reconciledThrough, bookImport.completedAt, bookImport.summary?.length]).toEqual([
      0,
      null,
      10_000,
    ]);
    const staged = await p.partnerBookStagedRow.create({
      data: { importId: bookImport.id, debtorId: 2_147_483_647, balance: "99999999999.99", status: "PAID" },
    });
    expect([staged.balance.toFixed(2), staged.reference, staged.asOf]).toEqual(["99999999999.99", null, null]);
    const book = await p.partnerRecord.create({
      data: {
        debtorId: 1,
        partnerName: "x",
        balance: "0.01",
        status: "PAID",
        createdAt: at,
        importId: bookImport.id,
        reference: "r".repeat(64),
        asOf: "2026-11-30",
      },
    });
    expect([book.balance.toFixed(2), book.importId, book.reference?.length, book.asOf]).toEqual([
      "0.01",
      bookImport.id,
      64,
      "2026-11-30",
    ]);

    const discrepancy = await p.discrepancyRecord.create({
      data: {
        debtorId: 1,
        partnerName: "x",
        type: "BALANCE_MISMATCH",
        reviewState: "OPEN",
        internalValue: "99999999999.99",
        differenceAmount: "-12.34",
        differencePercent: "-1234567890123456.1234",
        tolerancePercent: "100.0000",
        sourceMessageId: "s",
        lastMessageId: "s",
        firstSeenAt: at,
        lastSeenAt: at,
        unresolvedFlag: 1,
        updatedAt: at,
      },
    });
    expect(discrepancy.occurrences).toBe(1);
    expect(discrepancy.differenceAmount?.toFixed(2)).toBe("-12.34");
    expect(discrepancy.tolerancePercent.toFixed(4)).toBe("100.0000");

    const event = await p.discrepancyEvent.create({
      data: {
        discrepancyId: discrepancy.id,
        event: "DETECTED",
        toState: "OPEN",
        actor: "a".repeat(64),
        note: "n".repeat(5000),
        createdAt: at,
      },
    });
    expect(event.note).toHaveLength(5000);

    await p.inboxMessage.create({
      data: { messageId: "m1", debtorId: 1, outcome: "applied", processedAt: at, appliedAt: at },
    });
    const poison = await p.poisonMessage.create({
      data: {
        sqsMessageId: "q".repeat(128),
        body: "b".repeat(100_000),
        reason: "r",
        firstRecordedAt: at,
        lastRecordedAt: at,
      },
    });
    expect(poison.body).toHaveLength(100_000);

    const reread = await p.discrepancyRecord.findUniqueOrThrow({
      where: { id: discrepancy.id },
      include: { events: true },
    });
    expect(reread.firstSeenAt.toISOString()).toBe(at.toISOString());
    expect(reread.events).toHaveLength(1);
    expect(await p.inboxMessage.findUnique({ where: { messageId: "m1" } })).toMatchObject({
      debtorId: 1,
      outcome: "applied",
    });
  });

  it("when a second unresolved discrepancy of the same debtor, partner and type is inserted, then the database refuses", async () => {
    const row = {
      debtorId: 2,
      partnerName: "x",
      type: "STATUS_MISMATCH",
      reviewState: "OPEN",
      internalValue: "PAID",
      tolerancePercent: "1",
      sourceMessageId: "s",
      lastMessageId: "s",
      firstSeenAt: at,
      lastSeenAt: at,
      updatedAt: at,
    };
    await prisma.discrepancyRecord.create({ data: { ...row, unresolvedFlag: 1 } });
    await expect(prisma.discrepancyRecord.create({ data: { ...row, unresolvedFlag: 1 } })).rejects.toThrow();
    // Resolved ones (flag NULL) may repeat.
    await prisma.discrepancyRecord.create({ data: { ...row, reviewState: "RESOLVED", unresolvedFlag: null } });
    await prisma.discrepancyRecord.create({ data: { ...row, reviewState: "AUTO_RESOLVED", unresolvedFlag: null } });
    expect(await prisma.discrepancyRecord.count({ where: { debtorId: 2 } })).toBe(3);
  });
});
