import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import { openRiskDatabase } from "@smartrecover/risk-service/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedHighPriority } from "./independent-priority";

// The fault scenarios' oracle, pinned to domain.md's own numbers (not to risk-service's scorer).
describe("expectedHighPriority", () => {
  let testDb: TestDatabase;
  let ids: Record<string, number>;
  const database = () => openRiskDatabase(testDb.url, { migrate: false });

  beforeAll(async () => {
    testDb = createTestDatabase("sqlite", "oracle");
    const db = await openRiskDatabase(testDb.url);
    const rows: Array<[string, string, string, number, string, string, string, string]> = [
      // §3.7's worked example: 377 × 30,000.00 = 11,310,000.00.
      ["worked", "30000.00", "4000.00", 3, "UNEMPLOYED", "FREELANCE", "HOSPITALITY", "SINGLE_WITH_DEPENDENTS"],
      // 2×9 + 1×9 + 1×8 + 2×7 + 1×6 + 1×6 = 61; 61 × 30,000.00 = 1,830,000.00.
      ["lowest", "30000.00", "30000.00", 0, "GOVERNMENT_EMPLOYED", "PERMANENT", "GOVERNMENT", "MARRIED_DUAL_INCOME"],
      // Debt just over 3 × income: ratio band 7, not 5 (63 + 9 + 8 + 14 + 6 + 6 = 106); 106 × 3,000.01 = 318,001.06.
      ["ratio", "3000.01", "1000.00", 0, "GOVERNMENT_EMPLOYED", "PERMANENT", "GOVERNMENT", "MARRIED_DUAL_INCOME"],
      // Unknown values score 5 each: 18 + 9 + 40 + 35 + 30 + 30 = 162; 162 × 10,000.00 = 1,620,000.00.
      ["unknown", "10000.00", "20000.00", 0, "ASTRONAUT", "GIG", "SPACE", "COMPLICATED"],
    ];
    ids = {};
    await db.transaction(async (tx) => {
      for (const [name, debt, income, late, employment, contract, industry, family] of rows) {
        await tx.execute(
          `INSERT INTO debtors (name, total_debt_amount, monthly_income, late_payments_count, employment_status,
            contract_type, industry_sector, family_situation, payment_status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'UNPAID', ?, ?)`,
          [name, debt, income, late, employment, contract, industry, family, new Date(), new Date()],
        );
        const [row] = await tx.query<{ id: number }>("SELECT last_insert_rowid() AS id");
        ids[name] = Number(row?.id);
      }
    });
    await db.close();
  });
  afterAll(() => testDb?.drop());

  it("when priorities sit around the threshold, then only those strictly above it are high", async () => {
    const db = await database();
    try {
      expect(await expectedHighPriority(db)).toEqual([ids.worked, ids.lowest, ids.unknown]);
      expect(await expectedHighPriority(db, "1830000")).toEqual([ids.worked]);
      expect(await expectedHighPriority(db, "1829999.99")).toEqual([ids.worked, ids.lowest]);
      expect(await expectedHighPriority(db, "318001.06")).toEqual([ids.worked, ids.lowest, ids.unknown]);
      expect(await expectedHighPriority(db, "318001.05")).toEqual([ids.worked, ids.lowest, ids.ratio, ids.unknown]);
    } finally {
      await db.close();
    }
  });
});
