import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRiskDatabase, type RiskDatabase } from "../src/db/risk-database";

// Proves the hand-written MySQL migration (and the generated SQLite one) match the Prisma model:
// every model and column is written and read back through the generated client.
describe.each(TEST_DIALECTS)("risk-service schema on %s", (dialect) => {
  let testDb: TestDatabase;
  let db: RiskDatabase;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "risk_schema");
    db = await openRiskDatabase(testDb.url);
  });

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it("when every model is written through the client, then every field reads back exactly", async () => {
    const debtor = await db.prisma.debtor.create({
      data: {
        name: "Ada Lovelace",
        totalDebtAmount: "99999999.99",
        monthlyIncome: "0.01",
        latePaymentsCount: 2,
        employmentStatus: "SELF_EMPLOYED",
        contractType: "CONTRACT",
        industrySector: "ENERGY",
        familySituation: "DIVORCED_NO_DEPENDENTS",
        paymentStatus: "PARTIAL",
      },
    });
    const read = await db.prisma.debtor.findUniqueOrThrow({ where: { id: debtor.id } });
    expect(read.totalDebtAmount.toFixed(2)).toBe("99999999.99");
    expect(read.monthlyIncome.toFixed(2)).toBe("0.01");
    expect(read).toMatchObject({
      name: "Ada Lovelace",
      latePaymentsCount: 2,
      contractType: "CONTRACT",
      paymentStatus: "PARTIAL",
    });
    expect(read.updatedAt).toBeInstanceOf(Date);

    const calculatedAt = new Date("2026-01-02T03:04:05.678Z");
    await db.prisma.riskScore.create({
      data: { debtorId: debtor.id, totalScore: 377, riskLevel: "CRITICAL", factorBreakdown: '{"a":1}', calculatedAt },
    });
    const score = await db.prisma.riskScore.findUniqueOrThrow({ where: { debtorId: debtor.id } });
    expect(score).toMatchObject({ totalScore: 377, riskLevel: "CRITICAL", factorBreakdown: '{"a":1}', calculatedAt });

    await db.prisma.processingRun.create({
      data: { id: "run-1", status: "RUNNING", batchSize: 10, threshold: "500000.50", dryRun: false },
    });
    await db.prisma.processingError.create({
      data: { runId: "run-1", debtorId: debtor.id, stage: "debtor_processing", message: "x" },
    });
    await db.prisma.outboxMessage.create({
      data: { messageId: "m-1", runId: "run-1", debtorId: debtor.id, payload: "{}" },
    });
    const run = await db.prisma.processingRun.findUniqueOrThrow({ where: { id: "run-1" }, include: { errors: true } });
    expect(run.threshold.toFixed(2)).toBe("500000.50");
    expect(run.errors.map((e) => e.stage)).toEqual(["debtor_processing"]);
    expect(await db.prisma.outboxMessage.findUniqueOrThrow({ where: { messageId: "m-1" } })).toMatchObject({
      attempts: 0,
      publishedAt: null,
    });
  });

  it("when a second score is saved for the same debtor, then the database refuses a duplicate row", async () => {
    const debtor = await db.prisma.debtor.findFirstOrThrow({});
    await expect(
      db.prisma.riskScore.create({
        data: { debtorId: debtor.id, totalScore: 1, riskLevel: "LOW", factorBreakdown: "{}", calculatedAt: new Date() },
      }),
    ).rejects.toThrow();
  });

  it("when a debtor is deleted, then its score goes with it (cascade)", async () => {
    const debtor = await db.prisma.debtor.findFirstOrThrow({});
    await db.prisma.debtor.delete({ where: { id: debtor.id } });
    expect(await db.prisma.riskScore.count({ where: { debtorId: debtor.id } })).toBe(0);
  });
});
