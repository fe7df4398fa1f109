import { formatCents, PAYMENT_STATUSES } from "@smartrecover/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Prisma } from "../generated/sqlite/client";
import { balancesMatch, differencePercent, reconcile, toleranceFrom } from "./reconciliation-rules";

// Independent oracle: decimal.js division at 60 digits cannot flip a comparison of values that
// differ by at least 1 / (internal × 10^6), which is the finest step of cents and the tolerance.
const Exact = Prisma.Decimal.clone({ precision: 60 });
function oracleMatch(internalCents: number, externalCents: number, tolerancePercent: string): boolean {
  const clamped = Exact.min(new Exact(tolerancePercent), 100);
  if (internalCents === 0) return externalCents === 0;
  const variance = new Exact(externalCents - internalCents).abs().div(internalCents);
  return variance.lte(clamped.div(100));
}

const cents = fc.integer({ min: 0, max: 10_000_000_000 });
const tolerance = fc
  .tuple(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 9999 }))
  .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(4, "0")}`);
const status = fc.constantFrom(...PAYMENT_STATUSES);

describe("toleranceFrom", () => {
  it("when the tolerance is negative, then it is refused", () => {
    expect(() => toleranceFrom(-0.5)).toThrow(/negative/);
    expect(() => toleranceFrom("-1")).toThrow(/negative/);
  });

  it("when the tolerance is above 100, then 100 is used", () => {
    expect(toleranceFrom(250).text).toBe("100.0000");
    expect(toleranceFrom("100.0001").scaled).toBe(1_000_000n);
  });

  it("when the tolerance has decimals, then they are kept exactly", () => {
    expect(toleranceFrom(1).text).toBe("1.0000");
    expect(toleranceFrom("0.0001").scaled).toBe(1n);
    expect(toleranceFrom(2.25).text).toBe("2.2500");
  });

  it("when the tolerance has more than four decimals, then it is refused", () => {
    expect(() => toleranceFrom("0.00001")).toThrow(/four decimals/);
  });
});

describe("balancesMatch", () => {
  const onePercent = toleranceFrom(1);

  it("when the variance is exactly the tolerance, then the balances match (boundary inclusive)", () => {
    expect(balancesMatch(10_000, 10_100, onePercent)).toBe(true);
    expect(balancesMatch(10_000, 9_900, onePercent)).toBe(true);
  });

  it("when the variance is one cent beyond the tolerance, then they do not match", () => {
    expect(balancesMatch(10_000, 10_101, onePercent)).toBe(false);
    expect(balancesMatch(10_000, 9_899, onePercent)).toBe(false);
  });

  it("when the tolerance has decimals, then the boundary moves with them", () => {
    expect(balancesMatch(10_000, 10_050, toleranceFrom("0.5"))).toBe(true);
    expect(balancesMatch(10_000, 10_051, toleranceFrom("0.5"))).toBe(false);
    expect(balancesMatch(3, 4, toleranceFrom("33.3333"))).toBe(false);
    expect(balancesMatch(3, 4, toleranceFrom("33.3334"))).toBe(true);
  });

  it("when the internal balance is 0, then only an external 0 matches, whatever the tolerance", () => {
    expect(balancesMatch(0, 0, toleranceFrom(0))).toBe(true);
    expect(balancesMatch(0, 1, toleranceFrom(100))).toBe(false);
  });

  it("when the tolerance is 0, then only equal balances match", () => {
    expect(balancesMatch(12_345, 12_345, toleranceFrom(0))).toBe(true);
    expect(balancesMatch(12_345, 12_346, toleranceFrom(0))).toBe(false);
  });

  it("when balances and tolerances are generated, then the result equals the exact decimal rule", () => {
    fc.assert(
      fc.property(cents, cents, tolerance, (internal, external, percent) => {
        expect(balancesMatch(internal, external, toleranceFrom(percent))).toBe(
          oracleMatch(internal, external, percent),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("when the external balance sits on or one cent past the tolerance boundary, then it matches exactly up to it", () => {
    const boundaryCase = fc.tuple(fc.integer({ min: 1, max: 10_000_000_000 }), tolerance, fc.boolean());
    fc.assert(
      fc.property(boundaryCase, ([internal, percent, above]) => {
        const t = toleranceFrom(percent);
        // Largest allowed difference in cents: floor(internal × t / 100) with t scaled by 10^4.
        const allowed = Number((BigInt(internal) * t.scaled) / 1_000_000n);
        for (const external of [
          internal + allowed,
          internal + allowed + 1,
          internal - allowed,
          internal - allowed - 1,
        ]) {
          if (external < 0) continue;
          expect(balancesMatch(internal, external, t)).toBe(oracleMatch(internal, external, percent));
        }
        const edge = above ? internal + allowed + 1 : internal + allowed;
        expect(balancesMatch(internal, edge, t)).toBe(!above);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("differencePercent", () => {
  it("when the partner is lower, then the percent is negative, rounded half away from zero to four decimals", () => {
    expect(differencePercent(100_101, 92_425)).toBe("-7.6683");
    expect(differencePercent(3, 4)).toBe("33.3333");
    expect(differencePercent(3, 5)).toBe("66.6667");
  });

  it("when the internal balance is 0, then there is no percent", () => {
    expect(differencePercent(0, 500)).toBeNull();
  });
});

describe("reconcile", () => {
  const onePercent = toleranceFrom(1);

  it("when the partner has no record, then the only difference is MISSING_AT_PARTNER", () => {
    const result = reconcile({ balanceCents: 150_000, status: "UNPAID" }, null, onePercent);
    expect(result).toEqual({
      status: "DISCREPANCY",
      differences: [
        {
          type: "MISSING_AT_PARTNER",
          internalValue: "1500.00",
          externalValue: null,
          differenceCents: null,
          differencePercent: null,
        },
      ],
    });
  });

  it("when balance and status both differ, then both differences are reported with values", () => {
    const result = reconcile(
      { balanceCents: 100_000, status: "UNPAID" },
      { balanceCents: 110_000, status: "PAID" },
      onePercent,
    );
    expect(result.status).toBe("DISCREPANCY");
    expect(result.differences).toEqual([
      {
        type: "BALANCE_MISMATCH",
        internalValue: "1000.00",
        externalValue: "1100.00",
        differenceCents: 10_000,
        differencePercent: "10.0000",
      },
      {
        type: "STATUS_MISMATCH",
        internalValue: "UNPAID",
        externalValue: "PAID",
        differenceCents: null,
        differencePercent: null,
      },
    ]);
  });

  it("when generated books are reconciled, then the result follows domain.md §8 rule by rule", () => {
    const partner = fc.option(fc.record({ balanceCents: cents, status }), { nil: null });
    fc.assert(
      fc.property(cents, status, partner, tolerance, (internalCents, internalStatus, book, percent) => {
        const result = reconcile({ balanceCents: internalCents, status: internalStatus }, book, toleranceFrom(percent));
        const types = result.differences.map((difference) => difference.type);
        if (book === null) {
          expect(types).toEqual(["MISSING_AT_PARTNER"]);
        } else {
          const balanceOk = oracleMatch(internalCents, book.balanceCents, percent);
          const statusOk = internalStatus === book.status;
          expect(types.includes("BALANCE_MISMATCH")).toBe(!balanceOk);
          expect(types.includes("STATUS_MISMATCH")).toBe(!statusOk);
          expect(result.status).toBe(balanceOk && statusOk ? "MATCHED" : "DISCREPANCY");
          const balance = result.differences.find((difference) => difference.type === "BALANCE_MISMATCH");
          if (balance) {
            expect(balance.internalValue).toBe(formatCents(internalCents));
            expect(balance.differenceCents).toBe(book.balanceCents - internalCents);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
