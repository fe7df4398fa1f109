import { TEST_DIALECTS } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKED_EXAMPLE } from "./api-fixtures";
import { openPrismaClient, type RiskPrismaClient } from "./prisma-client";
import { openTestService, type TestService } from "./service-fixtures";

// Proves the hand-written MySQL migration (and the generated SQLite one) match the Prisma model:
// every model and column is written and read back through the generated client. The service
// writes through its own executor, so both must read each other's rows the same way.
describe.each(TEST_DIALECTS)("risk-service schema on %s", (dialect) => {
  let opened: TestService;
  let db: { prisma: RiskPrismaClient };

  beforeAll(async () => {
    opened = await openTestService(dialect, "risk_schema");
    db = { prisma: openPrismaClient(opened.url) };
  });

  afterAll(async () => {
    await db?.prisma.$disconnect();
    await opened?.close();
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

  it("when the service writes a debtor and its score, then Prisma reads exactly those values, and the other way round", async () => {
    const created = await opened.service.debtors.create({ ...WORKED_EXAMPLE, monthly_income: "4000.05" });
    const viaPrisma = await db.prisma.debtor.findUniqueOrThrow({
      where: { id: created.id },
      include: { riskScore: true },
    });
    expect({
      name: viaPrisma.name,
      total_debt_amount: viaPrisma.totalDebtAmount.toFixed(2),
      monthly_income: viaPrisma.monthlyIncome.toFixed(2),
      created_at: viaPrisma.createdAt.toISOString(),
      updated_at: viaPrisma.updatedAt.toISOString(),
      score: [viaPrisma.riskScore?.totalScore, viaPrisma.riskScore?.calculatedAt.toISOString()],
    }).toEqual({
      name: created.name,
      total_debt_amount: created.total_debt_amount,
      monthly_income: "4000.05",
      created_at: created.created_at,
      updated_at: created.updated_at,
      score: [created.risk_score?.total_score, created.risk_score?.calculated_at],
    });

    const at = new Date("2026-05-06T07:08:09.012Z");
    const written = await db.prisma.debtor.create({
      data: {
        name: "Written by Prisma",
        totalDebtAmount: "1234.56",
        monthlyIncome: "0.07",
        latePaymentsCount: 4,
        employmentStatus: "RETIRED",
        industrySector: "ENERGY",
        familySituation: "MARRIED_SINGLE_INCOME",
        createdAt: at,
        updatedAt: at,
      },
    });
    expect(await opened.service.debtors.get(written.id)).toMatchObject({
      total_debt_amount: "1234.56",
      monthly_income: "0.07",
      contract_type: "PERMANENT",
      payment_status: "UNPAID",
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
      risk_score: null,
    });
  });
});
