import { formatCents } from "@smartrecover/contracts";

/**
 * priority = total_score × total_debt_amount. Kept in "score-cents" (score × debt in cents),
 * an integer below 450 × 10^10, so it is exact in a double and compares exactly.
 */
export function priorityScoreCents(totalScore: number, totalDebtCents: number): number {
  return totalScore * totalDebtCents;
}

/** The priority as the decimal string shown to people and sent on the queue. */
export function formatPriority(priorityScoreCents: number): string {
  return formatCents(priorityScoreCents);
}

/** High priority means strictly above the threshold (given in cents of priority). */
export function isHighPriority(priorityScoreCents: number, thresholdCents: number): boolean {
  return priorityScoreCents > thresholdCents;
}
