import {
  CONTRACT_TYPES,
  EMPLOYMENT_STATUSES,
  FAMILY_SITUATIONS,
  INDUSTRY_SECTORS,
  MAX_INT32,
  PAYMENT_STATUSES,
} from "@smartrecover/contracts";
import fc from "fast-check";

export const MAX_DEBT_CENTS = 100_000_000 * 100 - 1;
export const MAX_INCOME_CENTS = 10 ** 13 - 1;

/** Every way domain.md's money can be written: "12", "12.5", "12.50". */
export function moneyText(maxCents: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.oneof(fc.integer({ min: 0, max: maxCents }), fc.constantFrom(0, 1, 100, maxCents)), fc.nat(2))
    .map(([cents, style]) => {
      const whole = Math.floor(cents / 100);
      const fraction = String(cents % 100).padStart(2, "0");
      if (fraction === "00" && style === 0) return String(whole);
      if (fraction.endsWith("0") && style === 1) return `${whole}.${fraction[0]}`;
      return `${whole}.${fraction}`;
    });
}

const LONE_SURROGATE = /\p{Cs}/u;
export const validName = fc
  .oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }), fc.string({ minLength: 1, maxLength: 255 }))
  .filter((name) => name.length <= 255 && name.trim() !== "" && !LONE_SURROGATE.test(name));

export const validDebtor = fc.record(
  {
    name: validName,
    total_debt_amount: moneyText(MAX_DEBT_CENTS),
    monthly_income: moneyText(MAX_INCOME_CENTS),
    late_payments_count: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: MAX_INT32 })),
    employment_status: fc.constantFrom(...EMPLOYMENT_STATUSES),
    contract_type: fc.constantFrom(...CONTRACT_TYPES),
    industry_sector: fc.constantFrom(...INDUSTRY_SECTORS),
    family_situation: fc.constantFrom(...FAMILY_SITUATIONS),
    payment_status: fc.constantFrom(...PAYMENT_STATUSES),
  },
  {
    requiredKeys: [
      "name",
      "total_debt_amount",
      "monthly_income",
      "late_payments_count",
      "employment_status",
      "industry_sector",
      "family_situation",
    ],
  },
);

export const FIELDS = [
  "name",
  "total_debt_amount",
  "monthly_income",
  "late_payments_count",
  "employment_status",
  "contract_type",
  "industry_sector",
  "family_situation",
  "payment_status",
] as const;
const REQUIRED = [
  "name",
  "total_debt_amount",
  "monthly_income",
  "late_payments_count",
  "employment_status",
  "industry_sector",
  "family_situation",
];
const ENUMS: Record<string, readonly string[]> = {
  employment_status: EMPLOYMENT_STATUSES,
  contract_type: CONTRACT_TYPES,
  industry_sector: INDUSTRY_SECTORS,
  family_situation: FAMILY_SITUATIONS,
  payment_status: PAYMENT_STATUSES,
};

const badMoney = (max: string) =>
  fc.oneof(
    fc.constantFrom("-1", "-0.01", "1.234", "0.001", "01", "1.", ".5", "1e5", " 1", "1,50", "", "NaN", max),
    fc.nat(1_000_000).map((n) => `${n}.${String(n % 1000).padStart(3, "0")}`),
    fc.double({ noNaN: true }),
    fc.constantFrom(null, true, [], {}),
  );
const badByField: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.oneof(fc.constantFrom("", "   ", "\t\n", "x".repeat(256), "\ud800"), fc.integer(), fc.constant(null)),
  total_debt_amount: badMoney("100000000"),
  monthly_income: badMoney("100000000000"),
  late_payments_count: fc.oneof(
    fc.constantFrom(-1, 1.5, MAX_INT32 + 1, "3", null, true),
    fc.integer({ max: -1 }),
    fc.double({ min: 0.01, max: 1e6, noInteger: true }),
  ),
};
for (const [field, values] of Object.entries(ENUMS)) {
  badByField[field] = fc.oneof(
    fc.string().filter((text) => !values.includes(text)),
    fc.constantFrom(...values).map((v) => v.toLowerCase()),
    fc.constantFrom(1, null, false, [values[0]]),
  );
}

export type Corruption = { field: string; kind: "missing" | "bad" | "unknown"; value?: unknown };

/** One change that makes a body invalid, and the field an answer must name for it. */
export const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.constantFrom(...REQUIRED).map((field): Corruption => ({ field, kind: "missing" })),
  fc
    .constantFrom(...FIELDS)
    .chain((field) =>
      (badByField[field] as fc.Arbitrary<unknown>).map((value): Corruption => ({ field, kind: "bad", value })),
    ),
  fc
    .string({ maxLength: 20 })
    .filter((key) => !(FIELDS as readonly string[]).includes(key) && key !== "__proto__" && key !== "constructor")
    .map((field): Corruption => ({ field, kind: "unknown", value: 1 })),
);

export function corrupt(body: Record<string, unknown>, corruptions: readonly Corruption[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body };
  for (const change of corruptions) {
    if (change.kind === "missing") delete copy[change.field];
    else
      Object.defineProperty(copy, change.field, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return copy;
}
