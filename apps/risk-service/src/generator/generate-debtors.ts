import type { ServiceDatabase } from "@smartrecover/db-kit";
import type { DebtorRepository } from "../debtors/debtor.repository";
import type { RiskScoreRepository } from "../scoring/risk-score.repository";
import { type RiskScore, scoreDebtor } from "../scoring/risk-scorer";
import type { Distribution } from "./debtor-generator";
import { type GenerationReport, GenerationStats } from "./generation-stats";
import { DEFAULT_COUNT, MAX_COUNT } from "./generator-options";

export { DEFAULT_COUNT, MAX_COUNT };
/** Debtors generated, inserted and scored together: bounds memory and keeps each transaction short. */
export const DEFAULT_CHUNK_SIZE = 5000;

export interface GenerateDebtorsOptions {
  count: number;
  distribution: Distribution;
  seed: number;
  clear: boolean;
  /** Score every generated debtor (default true); false leaves scoring to process-debtors. */
  scores: boolean;
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
}

/**
 * `generate-test-debtors` (domain.md §5): optionally clear, then generate, insert and score the
 * debtors chunk by chunk, each chunk's debtors and scores in one transaction, and report
 * statistics over the debtors just created.
 */
export class TestDebtorGenerator {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly debtors: DebtorRepository,
    private readonly scores: RiskScoreRepository,
  ) {}

  async generate(options: GenerateDebtorsOptions): Promise<GenerationReport> {
    const started = performance.now();
    const now = options.now ?? (() => new Date());
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const clearedDebtors = options.clear ? await this.clear() : 0;
    // faker loads when debtors are generated, not with the service (process-debtors never needs it).
    const { createSeededFaker, generateDebtors } = await import("./debtor-generator");
    const faker = createSeededFaker(options.seed);
    const stats = new GenerationStats();
    options.onProgress?.(0, options.count);

    for (let done = 0; done < options.count; ) {
      const debtors = [...generateDebtors(faker, options.distribution, Math.min(chunkSize, options.count - done))];
      const createdAt = now();
      const scores = await this.db.transaction(async (tx) => {
        const ids = await this.debtors.insertMany(tx, debtors, createdAt);
        const scores: RiskScore[] = options.scores
          ? debtors.map((debtor, i) => ({
              debtorId: ids[i] as number,
              calculatedAt: createdAt,
              ...scoreDebtor(debtor),
            }))
          : [];
        await this.scores.upsert(tx, scores);
        return scores;
      });
      debtors.forEach((debtor, i) => {
        stats.addDebtor(debtor.totalDebtCents);
        const score = scores[i];
        if (score) {
          const { debtorId, totalScore, riskLevel } = score;
          stats.addScore({ debtorId, totalScore, riskLevel, name: debtor.name, totalDebtCents: debtor.totalDebtCents });
        }
      });
      done += debtors.length;
      options.onProgress?.(done, options.count);
    }

    return stats.report({
      seed: options.seed,
      distribution: options.distribution,
      clearedDebtors,
      elapsedSeconds: (performance.now() - started) / 1000,
    });
  }

  /** Deletes every debtor and its score in one transaction; returns how many debtors there were. */
  private clear(): Promise<number> {
    return this.db.transaction(async (tx) => {
      await this.scores.deleteAll(tx);
      return this.debtors.deleteAll(tx);
    });
  }
}
