import { randomUUID } from "node:crypto";
import type { HighPriorityDebtorMessage, PaymentStatus } from "@smartrecover/contracts";

/**
 * Where faults strike is random, but reproducible: FAULT_SEED=<n> replays a run. The seed is
 * printed at once, before any assertion can fail, and again in the scenario's summary line.
 */
export function faultRandom(scenario: string): {
  seed: number;
  next: () => number;
  between: (a: number, b: number) => number;
} {
  const base = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[faults] ${scenario}: seed ${base} (FAULT_SEED=${base} replays it)`);
  let state = (base ^ hash(scenario)) >>> 0;
  // mulberry32: tiny, seedable, plenty for picking kill points.
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { seed: base, next, between: (a, b) => Math.floor(a + next() * (b - a + 1)) };
}

function hash(text: string): number {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ (char.codePointAt(0) ?? 0), 16777619);
  return h >>> 0;
}

const STATUSES: PaymentStatus[] = ["UNPAID", "PARTIAL", "PAID"];

/**
 * One schema-valid message per debtor, debtors `firstDebtorId`…, with varied amounts and
 * statuses so the simulated partner produces matches and every kind of discrepancy.
 */
export function debtorMessages(
  count: number,
  firstDebtorId: number,
  random: () => number,
): HighPriorityDebtorMessage[] {
  const runId = randomUUID();
  const base = Date.parse("2026-03-01T10:00:00.000Z");
  return Array.from({ length: count }, (_, i) => {
    const cents = 50_000 + Math.floor(random() * 7_450_000);
    return {
      message_id: randomUUID(),
      schema_version: 1,
      run_id: runId,
      debtor_id: firstDebtorId + i,
      debt_amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`,
      risk_score: 300 + Math.floor(random() * 150),
      risk_level: "CRITICAL",
      priority: `${Math.floor(cents / 100) * 300}.00`,
      payment_status: STATUSES[Math.floor(random() * 3)] as PaymentStatus,
      processed_at: new Date(base + i).toISOString(),
    };
  });
}
