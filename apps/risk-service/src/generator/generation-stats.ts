import { formatCents, RISK_LEVELS, type RiskLevel } from "@smartrecover/contracts";
import { formatPriority, priorityScoreCents } from "../scoring/priority";
import type { Distribution } from "./debtor-generator";

export const TOP_PRIORITIES = 5;

export interface ScoredDebtor {
  debtorId: number;
  name: string;
  totalDebtCents: number;
  totalScore: number;
  riskLevel: RiskLevel;
}

export interface TopPriority {
  debtor_id: number;
  name: string;
  total_score: number;
  risk_level: RiskLevel;
  total_debt_amount: string;
  priority: string;
}

/** What `generate-test-debtors` reports; also its `--json` output, hence snake_case and money as strings. */
export interface GenerationReport {
  seed: number;
  distribution: Distribution;
  cleared_debtors: number;
  debtors_created: number;
  scores_computed: number;
  risk_levels: Record<RiskLevel, { count: number; percent: number }>;
  debt: { min: string; max: string; average: string } | null;
  top_priorities: TopPriority[];
  elapsed_seconds: number;
  debtors_per_second: number;
}

/** Whether a ranks before b: higher priority first, then the lower debtor id (domain.md §4). */
function ranksBefore(a: ScoredDebtor & { priority: number }, b: ScoredDebtor & { priority: number }): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.debtorId < b.debtorId);
}

/** Running statistics in constant memory, so a million debtors never have to be held at once. */
export class GenerationStats {
  private created = 0;
  private scored = 0;
  private debtSumCents = 0;
  private minDebtCents = Number.POSITIVE_INFINITY;
  private maxDebtCents = Number.NEGATIVE_INFINITY;
  private readonly levels = new Map<RiskLevel, number>(RISK_LEVELS.map((level) => [level, 0]));
  private readonly top: Array<ScoredDebtor & { priority: number }> = [];

  addDebtor(totalDebtCents: number): void {
    this.created += 1;
    this.debtSumCents += totalDebtCents;
    this.minDebtCents = Math.min(this.minDebtCents, totalDebtCents);
    this.maxDebtCents = Math.max(this.maxDebtCents, totalDebtCents);
  }

  addScore(debtor: ScoredDebtor): void {
    this.scored += 1;
    this.levels.set(debtor.riskLevel, (this.levels.get(debtor.riskLevel) ?? 0) + 1);
    const entry = { ...debtor, priority: priorityScoreCents(debtor.totalScore, debtor.totalDebtCents) };
    const last = this.top[this.top.length - 1];
    if (this.top.length === TOP_PRIORITIES && last && !ranksBefore(entry, last)) return;
    const at = this.top.findIndex((other) => ranksBefore(entry, other));
    this.top.splice(at === -1 ? this.top.length : at, 0, entry);
    this.top.length = Math.min(this.top.length, TOP_PRIORITIES);
  }

  report(meta: { seed: number; distribution: Distribution; clearedDebtors: number; elapsedSeconds: number }) {
    const risk_levels = Object.fromEntries(
      RISK_LEVELS.map((level) => {
        const count = this.levels.get(level) ?? 0;
        return [level, { count, percent: this.scored ? Math.round((count * 10_000) / this.scored) / 100 : 0 }];
      }),
    ) as GenerationReport["risk_levels"];
    const report: GenerationReport = {
      seed: meta.seed,
      distribution: meta.distribution,
      cleared_debtors: meta.clearedDebtors,
      debtors_created: this.created,
      scores_computed: this.scored,
      risk_levels,
      debt: this.created
        ? {
            min: formatCents(this.minDebtCents),
            max: formatCents(this.maxDebtCents),
            average: formatCents(averageCents(this.debtSumCents, this.created)),
          }
        : null,
      top_priorities: this.top.map((t) => ({
        debtor_id: t.debtorId,
        name: t.name,
        total_score: t.totalScore,
        risk_level: t.riskLevel,
        total_debt_amount: formatCents(t.totalDebtCents),
        priority: formatPriority(t.priority),
      })),
      elapsed_seconds: Math.round(meta.elapsedSeconds * 1000) / 1000,
      debtors_per_second: meta.elapsedSeconds > 0 ? Math.round(this.created / meta.elapsedSeconds) : 0,
    };
    return report;
  }
}

/** Average in whole cents, rounded half up, in integer arithmetic (the sum stays below 2^53). */
export function averageCents(sumCents: number, count: number): number {
  const quotient = Math.floor(sumCents / count);
  const remainder = sumCents - quotient * count;
  return 2 * remainder >= count ? quotient + 1 : quotient;
}
