import {
  formatCents,
  HighPriorityDebtorMessage,
  type PaymentStatus,
  parseCents,
  QUEUE_MESSAGE_SCHEMA_VERSION,
} from "@smartrecover/contracts";
import type { OutboxRow } from "../outbox/outbox.repository";
import { formatPriority, isHighPriority, priorityScoreCents } from "../scoring/priority";
import { type RiskScore, type ScoringInput, scoreDebtor } from "../scoring/risk-scorer";
import { newMessageId } from "./message-id";
import type { ProcessingErrorRow, ScoringRow } from "./processing.repository";
import type { ProcessedDebtor } from "./run-report";

export interface BatchAssessment {
  scores: RiskScore[];
  outbox: OutboxRow[];
  errors: ProcessingErrorRow[];
  processed: ProcessedDebtor[];
  /** How many of `processed` are high priority (each queued, unless its message failed the schema). */
  highPriority: number;
}

/** Turns a stored row into scorer input; throws with a readable reason when stored data is unusable. */
export function toScoringInput(row: ScoringRow): ScoringInput {
  const totalDebtCents = parseCents(row.total_debt_amount);
  const monthlyIncomeCents = parseCents(row.monthly_income);
  if (totalDebtCents === null) throw new Error(`invalid total_debt_amount "${row.total_debt_amount}"`);
  if (monthlyIncomeCents === null) throw new Error(`invalid monthly_income "${row.monthly_income}"`);
  if (!Number.isInteger(row.late_payments_count) || row.late_payments_count < 0) {
    throw new Error(`invalid late_payments_count "${row.late_payments_count}"`);
  }
  return {
    totalDebtCents,
    monthlyIncomeCents,
    latePaymentsCount: row.late_payments_count,
    employmentStatus: row.employment_status,
    contractType: row.contract_type,
    industrySector: row.industry_sector,
    familySituation: row.family_situation,
  };
}

/** The heap priority of a stored row: its stored score when it has one (it may be stale), else a fresh one. */
export function heapPriority(row: ScoringRow): number {
  const input = toScoringInput(row);
  const score = row.stored_score ?? scoreDebtor(input).totalScore;
  return priorityScoreCents(score, input.totalDebtCents);
}

/**
 * Re-scores one batch from the debtors' current data (domain.md §4) and decides what to save:
 * a score per debtor, an outbox message per high-priority debtor, an error per failure.
 */
export function assessBatch(
  ids: readonly number[],
  rows: ReadonlyMap<number, ScoringRow>,
  context: { runId: string; thresholdCents: number; processedAt: Date },
): BatchAssessment {
  const result: BatchAssessment = { scores: [], outbox: [], errors: [], processed: [], highPriority: 0 };
  const processedAt = context.processedAt.toISOString();
  for (const id of ids) {
    const row = rows.get(id);
    if (!row) {
      result.errors.push({ debtorId: id, stage: "debtor_processing", message: "debtor no longer exists" });
      continue;
    }
    let input: ScoringInput;
    try {
      input = toScoringInput(row);
    } catch (error) {
      result.errors.push({ debtorId: id, stage: "debtor_processing", message: (error as Error).message });
      continue;
    }
    const assessment = scoreDebtor(input);
    const priority = priorityScoreCents(assessment.totalScore, input.totalDebtCents);
    const high = isHighPriority(priority, context.thresholdCents);
    result.scores.push({
      debtorId: id,
      totalScore: assessment.totalScore,
      riskLevel: assessment.riskLevel,
      factors: assessment.factors,
      calculatedAt: context.processedAt,
    });
    const processed: ProcessedDebtor = {
      debtor_id: id,
      priority: formatPriority(priority),
      risk_score: assessment.totalScore,
      risk_level: assessment.riskLevel,
      debt_amount: formatCents(input.totalDebtCents),
      payment_status: row.payment_status,
      high_priority: high,
    };
    result.processed.push(processed);
    if (!high) continue;
    result.highPriority += 1;
    const message = HighPriorityDebtorMessage.safeParse(queueMessage(processed, context.runId, processedAt));
    if (message.success) {
      result.outbox.push({ messageId: message.data.message_id, debtorId: id, payload: JSON.stringify(message.data) });
    } else {
      // The score is saved, but a message partner-sync would reject is not sent; the error says why.
      const reason = message.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      result.errors.push({ debtorId: id, stage: "debtor_processing", message: `not queued: ${reason}` });
    }
  }
  return result;
}

function queueMessage(debtor: ProcessedDebtor, runId: string, processedAt: string): HighPriorityDebtorMessage {
  return {
    // Time-ordered ids keep the outbox's unique index append-only: random ids scatter its inserts.
    message_id: newMessageId(),
    schema_version: QUEUE_MESSAGE_SCHEMA_VERSION,
    run_id: runId,
    debtor_id: debtor.debtor_id,
    debt_amount: debtor.debt_amount,
    risk_score: debtor.risk_score,
    risk_level: debtor.risk_level,
    priority: debtor.priority,
    payment_status: debtor.payment_status as PaymentStatus,
    processed_at: processedAt,
  };
}
