import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase, openServiceDatabase, type ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RISK_MIGRATIONS_ROOT } from "../src/db/risk-database";
import { heapPriority } from "../src/processing/batch-assessment";
import type { ProcessingRepository } from "../src/processing/processing.repository";
import { type DebtorRowInput, insertDebtorRows, openTestService, type TestService } from "./service-fixtures";

// Rows as people write them by hand: odd categories (lower case, unknown, padded), zero income,
// exact ratio boundaries, and rows no scorer can read (negative amounts or late payments).
const HAND_WRITTEN: DebtorRowInput[] = [
  {
    name: "zero income",
    totalDebtAmount: "1000.00",
    monthlyIncome: "0.00",
    latePaymentsCount: 0,
    employmentStatus: "EMPLOYED",
    industrySector: "GOVERNMENT",
    familySituation: "MARRIED_DUAL_INCOME",
  },
  {
    name: "ratio exactly 3",
    totalDebtAmount: "0.30",
    monthlyIncome: "0.10",
    latePaymentsCount: 2,
    employmentStatus: "employed",
    industrySector: "Retail",
    familySituation: "SINGLE_WITH_DEPENDENTS ",
  },
  {
    name: "ratio exactly 6",
    totalDebtAmount: "60000.00",
    monthlyIncome: "10000.00",
    latePaymentsCount: 5,
    employmentStatus: "ASTRONAUT",
    contractType: "GIG",
    industrySector: "SPACE",
    familySituation: "?",
  },
  {
    name: "just above 1",
    totalDebtAmount: "1000.01",
    monthlyIncome: "1000.00",
    latePaymentsCount: 6,
    employmentStatus: "STUDENT",
    contractType: "FREELANCE",
    industrySector: "ENTERTAINMENT",
    familySituation: "WIDOWED_WITH_DEPENDENTS",
  },
  {
    name: "max debt",
    totalDebtAmount: "99999999.99",
    monthlyIncome: "0.01",
    latePaymentsCount: 99,
    employmentStatus: "UNEMPLOYED",
    contractType: "FREELANCE",
    industrySector: "ENTERTAINMENT",
    familySituation: "DIVORCED_WITH_DEPENDENTS",
  },
  {
    name: "no debt",
    totalDebtAmount: "0.00",
    monthlyIncome: "5000.00",
    latePaymentsCount: 0,
    employmentStatus: "RETIRED",
    industrySector: "ENERGY",
    familySituation: "SINGLE_NO_DEPENDENTS",
  },
  {
    name: "negative late",
    totalDebtAmount: "100.00",
    monthlyIncome: "10.00",
    latePaymentsCount: -1,
    employmentStatus: "EMPLOYED",
    industrySector: "FINANCE",
    familySituation: "MARRIED_SINGLE_INCOME",
  },
  {
    name: "negative debt",
    totalDebtAmount: "-5.00",
    monthlyIncome: "10.00",
    latePaymentsCount: 1,
    employmentStatus: "EMPLOYED",
    industrySector: "FINANCE",
    familySituation: "MARRIED_SINGLE_INCOME",
  },
];

/** Every debtor's stored priority next to the one the BulkProcessor's heap computes in TypeScript. */
async function storedAndExpected(db: ServiceDatabase, processing: ProcessingRepository) {
  const stored = new Map(
    (
      await db.query<{ id: number | bigint; priority: number | bigint | string | null }>(
        "SELECT id, priority FROM debtors",
      )
    ).map((row) => [Number(row.id), row.priority === null ? null : Number(row.priority)]),
  );
  const expected = new Map<number, number | null>();
  for await (const page of processing.scoringPages(1000)) {
    for (const row of page) {
      let priority: number | null;
      try {
        priority = heapPriority(row);
      } catch {
        priority = null;
      }
      expected.set(row.id, priority);
    }
  }
  return { stored: Object.fromEntries(stored), expected: Object.fromEntries(expected) };
}

describe.each(TEST_DIALECTS)("stored debtor priority on %s", (dialect) => {
  let test: TestService;

  beforeAll(async () => {
    test = await openTestService(dialect, "priority");
  });
  afterAll(async () => {
    await test?.close();
  });

  it("when debtors are generated, created, edited, re-scored and unscored, then the stored priority always equals the heap's", async () => {
    const { service } = test;
    const processing = service.repositories.processing;
    await service.generator.generate({ count: 300, distribution: "balanced", seed: 7, clear: false, scores: true });
    await service.generator.generate({ count: 200, distribution: "high-risk", seed: 8, clear: false, scores: false });
    const hand = await insertDebtorRows(service.db, HAND_WRITTEN);
    let now = await storedAndExpected(service.db, processing);
    expect(now.stored).toEqual(now.expected);
    expect(Object.values(now.stored).filter((p) => p === null)).toHaveLength(2);

    // A stale score: the debt changes by hand, the stored score stays; then scores change by hand.
    await service.db.execute("UPDATE debtors SET total_debt_amount = total_debt_amount * 2 WHERE id <= 50");
    await service.db.execute("UPDATE risk_scores SET total_score = 450 WHERE debtor_id BETWEEN 20 AND 30");
    await service.db.execute("DELETE FROM risk_scores WHERE debtor_id BETWEEN 40 AND 60");
    await service.db.execute(
      "UPDATE debtors SET employment_status = 'UNEMPLOYED', late_payments_count = 0 WHERE id > 400",
    );
    // Through the API's service: create (scored at once), patch and re-score.
    const created = await service.debtors.create({
      name: "Ana",
      total_debt_amount: "30000.00",
      monthly_income: "4000.00",
      late_payments_count: 3,
      employment_status: "UNEMPLOYED",
      contract_type: "FREELANCE",
      industry_sector: "HOSPITALITY",
      family_situation: "SINGLE_WITH_DEPENDENTS",
      payment_status: "UNPAID",
    });
    await service.debtors.patch(hand[0] as number, { monthly_income: "250.00" });
    await service.debtors.score(hand[1] as number);
    now = await storedAndExpected(service.db, processing);
    expect(now.stored).toEqual(now.expected);
    // domain.md §3.7's worked example: 377 × 30,000.00 = 11,310,000 (in score-cents ×100).
    expect(now.stored[created.id]).toBe(1_131_000_000);
    // Deleting debtors (scored, unscored, unscorable) moves the stored counts with them.
    await service.db.execute("DELETE FROM debtors WHERE id IN (?, ?, ?, ?)", [3, 450, hand[6], hand[5]]);
    // A processing run re-scores every debtor from its current data (stale scores change, most stay).
    await service.processor.run({ batchSize: 64, thresholdCents: Number.MAX_SAFE_INTEGER });
    now = await storedAndExpected(service.db, processing);
    expect(now.stored).toEqual(now.expected);
  });

  it("when the dry run reads the index, then it reports what a heap over every debtor would pop first", async () => {
    const { service } = test;
    const report = await service.processor.dryRun(25);
    const { expected } = await storedAndExpected(service.db, service.repositories.processing);
    const valid = Object.entries(expected).filter(([, p]) => p !== null) as Array<[string, number]>;
    const order = valid.sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0])).slice(0, 25);
    expect(report.heap_size).toBe(valid.length);
    expect(report.errors_count).toBe(Object.keys(expected).length - valid.length);
    expect(report.top.map((t) => [t.debtor_id, t.priority])).toEqual(
      order.map(([id, p]) => [Number(id), (p / 100).toFixed(2)]),
    );
  });
});

describe.each(TEST_DIALECTS)("the priority migration on %s", (dialect) => {
  const dir = mkdtempSync(join(tmpdir(), "priority-migration-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("when debtors exist before it, then it backfills every priority, scored or not", async () => {
    const testDb = createTestDatabase(dialect, "priority_backfill");
    const before = join(dir, "before");
    cpSync(RISK_MIGRATIONS_ROOT, before, {
      recursive: true,
      filter: (source) => !source.includes("20261202150000_debtor_priority"),
    });
    const db = await openServiceDatabase({ url: testDb.url, migrationsRoot: before });
    try {
      const ids = await insertDebtorRows(db, HAND_WRITTEN);
      await db.execute(
        "INSERT INTO risk_scores (debtor_id, total_score, risk_level, factor_breakdown, calculated_at) VALUES (?, 200, 'MEDIUM', '{}', ?)",
        [ids[3], new Date()],
      );
      const result = await migrateDatabase(testDb.url, RISK_MIGRATIONS_ROOT);
      expect(result.applied).toEqual(["20261202150000_debtor_priority"]);
      const [counts] = await db.query<{ ranked: number | bigint; unrankable: number | bigint }>(
        "SELECT ranked, unrankable FROM debtor_priority_counts",
      );
      expect([Number(counts?.ranked), Number(counts?.unrankable)]).toEqual([6, 2]);
      const rows = await db.query<{ id: number | bigint; priority: number | bigint | string | null }>(
        "SELECT id, priority FROM debtors ORDER BY id",
      );
      // Independent figures: score × debt cents worked out by hand from domain.md §3.
      expect(rows.map((row) => (row.priority === null ? null : Number(row.priority)))).toEqual([
        (90 + 9 + 16 + 14 + 6 + 6) * 100_000, // zero income: 10·9 + 1·9 + 2·8 + 2·7 + 1·6 + 1·6
        (45 + 36 + 40 + 14 + 30 + 30) * 30, // ratio 3 → 5; 2 late → 4; unknown (case) categories → 5
        (63 + 63 + 40 + 35 + 30 + 30) * 6_000_000, // ratio 6 → 7; 5 late → 7; all unknown → 5
        200 * 100_001, // the stored score, not a fresh one
        (90 + 90 + 72 + 56 + 54 + 54) * 9_999_999_999,
        0,
        null,
        null,
      ]);
    } finally {
      await db.close();
      await testDb.drop();
    }
  });
});
