import { MAX_INT32, parseCents } from "@smartrecover/contracts";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { NotFoundError } from "@smartrecover/service-kit";
import type { RiskScoreRepository } from "../scoring/risk-score.repository";
import { type RiskScore, scoreDebtor } from "../scoring/risk-scorer";
import type { DebtorFields } from "./debtor";
import { applyPatch, fieldsFromInput, toApiDebtor, toScoreResult } from "./debtor.mapper";
import type { DebtorRepository, DebtorWithScore } from "./debtor.repository";
import type {
  DebtorInput,
  DebtorListQuery,
  DebtorPage,
  DebtorPatch,
  DebtorResponse,
  DebtorScoreResult,
  HighRiskQuery,
  StoredDebtorScore,
} from "./debtor.schemas";
import { decodeCursor, encodeCursor } from "./page-cursor";

function assess(debtorId: number, fields: DebtorFields, at: Date): RiskScore {
  return { debtorId, calculatedAt: at, ...scoreDebtor(fields) };
}

/**
 * Debtor use cases behind the REST API: every write re-scores the debtor from its new data, and
 * the debtor and its score are saved in one transaction, so a stored score always matches its data.
 */
export class DebtorService {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly debtors: DebtorRepository,
    private readonly scores: RiskScoreRepository,
  ) {}

  async create(input: DebtorInput): Promise<DebtorResponse> {
    const fields = fieldsFromInput(input);
    const at = new Date();
    const id = await this.db.transaction(async (tx) => {
      const id = await this.debtors.insert(tx, fields, at);
      await this.scores.upsert(tx, [assess(id, fields, at)]);
      return id;
    });
    return toApiDebtor(await this.mustFind(id));
  }

  async get(id: number): Promise<DebtorResponse> {
    return toApiDebtor(await this.mustFind(id));
  }

  async replace(id: number, input: DebtorInput): Promise<DebtorResponse> {
    await this.mustFind(id);
    return this.save(id, fieldsFromInput(input));
  }

  async patch(id: number, patch: DebtorPatch): Promise<DebtorResponse> {
    const current = await this.mustFind(id);
    return this.save(id, applyPatch(current, patch));
  }

  /** The debtor's stored score, as last saved; reads only (404 when it has none yet). */
  async storedScore(id: number): Promise<StoredDebtorScore> {
    const current = await this.mustFind(id);
    if (current.score === null) {
      throw new NotFoundError(`debtor ${id} has no risk score yet: POST /debtors/${id}/score/ computes it`);
    }
    const { created: _created, ...stored } = toScoreResult({ debtorId: id, ...current.score }, false);
    return stored;
  }

  /** Scores the debtor from its current data and saves the score; `created` tells whether it had none. */
  async score(id: number): Promise<DebtorScoreResult> {
    const current = await this.mustFind(id);
    const score = assess(id, current, new Date());
    await this.db.transaction((tx) => this.scores.upsert(tx, [score]));
    return toScoreResult(score, current.score === null);
  }

  async list(query: DebtorListQuery): Promise<DebtorPage> {
    const afterId = query.cursor === undefined ? 0 : decodeCursor(query.cursor, ["id"]).id;
    const rows = await this.debtors.list({
      afterId,
      limit: query.limit + 1,
      riskLevel: query.risk_level,
      paymentStatus: query.payment_status,
      minDebtCents: query.min_debt === undefined ? undefined : (parseCents(query.min_debt) ?? undefined),
      maxDebtCents: query.max_debt === undefined ? undefined : (parseCents(query.max_debt) ?? undefined),
    });
    return page(rows, query.limit, (last) => ({ id: last.id }));
  }

  async highRisk(query: HighRiskQuery): Promise<DebtorPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ["s", "id"]);
    const rows = await this.debtors.listHighRisk({
      limit: query.limit + 1,
      after: after && { totalScore: after.s, id: after.id },
    });
    return page(rows, query.limit, (last) => ({ s: last.score?.totalScore ?? 0, id: last.id }));
  }

  private async save(id: number, fields: DebtorFields): Promise<DebtorResponse> {
    const at = new Date();
    await this.db.transaction(async (tx) => {
      await this.debtors.update(tx, id, fields, at);
      await this.scores.upsert(tx, [assess(id, fields, at)]);
    });
    return toApiDebtor(await this.mustFind(id));
  }

  private async mustFind(id: number): Promise<DebtorWithScore> {
    // Ids are digits by the schema; one that cannot be an INT key cannot exist.
    const debtor = id >= 1 && id <= MAX_INT32 ? await this.debtors.findById(id) : null;
    if (!debtor) throw new NotFoundError(`debtor ${id} not found`);
    return debtor;
  }
}

/** One more row than asked was read: its presence says there is a next page. */
function page(
  rows: DebtorWithScore[],
  limit: number,
  position: (last: DebtorWithScore) => Record<string, number>,
): DebtorPage {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toApiDebtor),
    next_cursor: rows.length > limit && last ? encodeCursor(position(last)) : null,
  };
}
