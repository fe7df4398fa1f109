import type { RiskDatabase } from "../db/risk-database";
import { type RiskScoreRow, upsertScores } from "../scoring/risk-score.repository";
import { scoreDebtor } from "../scoring/risk-scorer";
import { deleteAllDebtors, insertDebtors } from "./debtor-bulk.repository";
import { createSeededFaker, type Distribution, type GeneratedDebtor, generateDebtors } from "./debtor-generator";
import { type GenerationReport, GenerationStats } from "./generation-stats";

export const DEFAULT_COUNT = 5000;
export const MAX_COUNT = 5_000_000;
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
 * `generate-test-debtors`: optionally clear, then generate, insert and score the debtors chunk
 * by chunk (domain.md §5), and report statistics over the debtors just created.
 */
export async function generateTestDebtors(
  db: RiskDatabase,
  options: GenerateDebtorsOptions,
): Promise<GenerationReport> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const clearedDebtors = options.clear ? await deleteAllDebtors(db) : 0;
  const faker = createSeededFaker(options.seed);
  const stats = new GenerationStats();
  options.onProgress?.(0, options.count);

  for (let done = 0; done < options.count; ) {
    const debtors = [...generateDebtors(faker, options.distribution, Math.min(chunkSize, options.count - done))];
    const createdAt = now();
    const ids = await insertDebtors(db, debtors, createdAt);
    for (const debtor of debtors) stats.addDebtor(debtor.totalDebtCents);
    if (options.scores) await scoreChunk(db, debtors, ids, createdAt, stats);
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

async function scoreChunk(
  db: RiskDatabase,
  debtors: readonly GeneratedDebtor[],
  ids: readonly number[],
  calculatedAt: Date,
  stats: GenerationStats,
): Promise<void> {
  const rows: RiskScoreRow[] = debtors.map((debtor, i) => ({
    debtorId: ids[i] as number,
    calculatedAt,
    ...scoreDebtor(debtor),
  }));
  await upsertScores(db, rows);
  rows.forEach((row, i) => {
    const debtor = debtors[i] as GeneratedDebtor;
    const { debtorId, totalScore, riskLevel } = row;
    stats.addScore({ debtorId, totalScore, riskLevel, name: debtor.name, totalDebtCents: debtor.totalDebtCents });
  });
}
