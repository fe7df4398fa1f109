import {
  type Debtor,
  type DebtorInput,
  type DebtorListQuery,
  type DebtorPage,
  type DebtorPatch,
  type DebtorScoreResult,
  type HighRiskQuery,
  MAX_INT32,
  parseCents,
} from "@smartrecover/contracts";
import { NotFoundError } from "@smartrecover/service-kit";
import type { RiskDatabase } from "../db/risk-database";
import { type RiskScoreRow, upsertScores } from "../scoring/risk-score.repository";
import { scoreDebtor } from "../scoring/risk-scorer";
import { applyPatch, fieldsFromInput, toApiDebtor, toScoreResult } from "./debtor.mapper";
import { type DebtorFields, type DebtorRecord, DebtorRepository } from "./debtor.repository";
import { decodeCursor, encodeCursor } from "./page-cursor";

function assess(debtorId: number, fields: DebtorFields, at: Date): RiskScoreRow {
  const { totalScore, riskLevel, factors } = scoreDebtor(fields);
  return { debtorId, totalScore, riskLevel, factors, calculatedAt: at };
}

/** Debtor use cases behind the REST API: every write re-scores the debtor from its new data. */
export class DebtorService {
  private readonly repository: DebtorRepository;

  constructor(private readonly db: RiskDatabase) {
    this.repository = new DebtorRepository(db);
  }

  async create(input: DebtorInput): Promise<Debtor> {
    const fields = fieldsFromInput(input);
    const id = await this.repository.insert(fields);
    await upsertScores(this.db, [assess(id, fields, new Date())]);
    return toApiDebtor(await this.mustFind(id));
  }

  async get(id: number): Promise<Debtor> {
    return toApiDebtor(await this.mustFind(id));
  }

  async replace(id: number, input: DebtorInput): Promise<Debtor> {
    await this.mustFind(id);
    return this.save(id, fieldsFromInput(input));
  }

  async patch(id: number, patch: DebtorPatch): Promise<Debtor> {
    const current = await this.mustFind(id);
    return this.save(id, applyPatch(current, patch));
  }

  /** Scores the debtor from its current data and saves the score; `created` tells whether it had none. */
  async score(id: number): Promise<DebtorScoreResult> {
    const current = await this.mustFind(id);
    const score = assess(id, current, new Date());
    await upsertScores(this.db, [score]);
    return toScoreResult(score, current.score === null);
  }

  async list(query: DebtorListQuery): Promise<DebtorPage> {
    const afterId = query.cursor === undefined ? 0 : decodeCursor(query.cursor, ["id"]).id;
    const rows = await this.repository.list({
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
    const rows = await this.repository.listHighRisk({
      limit: query.limit + 1,
      after: after && { totalScore: after.s, id: after.id },
    });
    return page(rows, query.limit, (last) => ({ s: last.score?.totalScore ?? 0, id: last.id }));
  }

  private async save(id: number, fields: DebtorFields): Promise<Debtor> {
    const at = new Date();
    await this.repository.updateWithScore(id, fields, assess(id, fields, at), at);
    return toApiDebtor(await this.mustFind(id));
  }

  private async mustFind(id: number): Promise<DebtorRecord> {
    // Ids are digits by the contract; one that cannot be an INT key cannot exist.
    const record = id >= 1 && id <= MAX_INT32 ? await this.repository.findById(id) : null;
    if (!record) throw new NotFoundError(`debtor ${id} not found`);
    return record;
  }
}

/** One more row than asked was read: its presence says there is a next page. */
function page(
  rows: DebtorRecord[],
  limit: number,
  position: (last: DebtorRecord) => Record<string, number>,
): DebtorPage {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toApiDebtor),
    next_cursor: rows.length > limit && last ? encodeCursor(position(last)) : null,
  };
}
