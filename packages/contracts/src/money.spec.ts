import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { centsFromDb, formatCents, moneyString, parseCents } from "./money";

describe("money", () => {
  it("when any whole number of cents is formatted and parsed back, then it round-trips exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999_999 }), (cents) => {
        expect(parseCents(formatCents(cents))).toBe(cents);
      }),
    );
  });

  it.each([
    ["1234.5", 123450],
    ["1234.50", 123450],
    ["0", 0],
    ["0.01", 1],
    ["99999999.99", 9_999_999_999],
  ])("when parsing %s, then it is %i cents", (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each(["-1", "1.234", "01", "1e3", " 1", "1.", ".5", "", "NaN", "0x10"])(
    "when parsing %j, then it is refused",
    (text) => {
      expect(parseCents(text)).toBeNull();
    },
  );

  it("when any short text of digits, dots and signs is parsed, then it is accepted exactly when it matches the money pattern", () => {
    // The documented rule, written as a regular expression, as the oracle for the hand-written parser.
    const reference = (text: string): number | null => {
      const match = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/.exec(text);
      if (!match) return null;
      const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
      return cents < 10 ** 13 ? cents : null;
    };
    const chars = fc.constantFrom(..."0123456789.-+e ".split(""));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 18 }), (parts) => {
        const text = parts.join("");
        expect(parseCents(text)).toBe(reference(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it("when an amount is just below 10^13 cents, then it is kept; at or above, it is refused", () => {
    expect(parseCents("99999999999.99")).toBe(9_999_999_999_999);
    for (const text of ["100000000000", "100000000000.00", "123456789012345678901234567890"]) {
      expect(parseCents(text)).toBeNull();
    }
  });

  it("when reading database values, then numbers, decimal strings and long fractions all become exact cents", () => {
    expect(centsFromDb(1234.5)).toBe(123450);
    expect(centsFromDb("1234.500000")).toBe(123450);
    expect(centsFromDb(0.1 + 0.2)).toBe(30);
  });

  it("when an API amount is malformed, then there is exactly one reason; when too large, the bound is named", () => {
    const field = moneyString({ max: 100_000_000 });
    expect(field.safeParse("-1").error?.issues.map((i) => i.message)).toEqual([
      'must be a decimal string ≥ 0 with at most two decimals, e.g. "1234.50"',
    ]);
    expect(field.safeParse("100000000.00").error?.issues.map((i) => i.message)).toEqual(["must be below 100000000"]);
    expect(field.safeParse("99999999.99").success).toBe(true);
  });
});
