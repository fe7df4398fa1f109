// Shapes of the services' answers as API-NEW.md fixes them. Money and priorities are decimal strings.

export type Role = "viewer" | "reviewer" | "operator" | "admin";
export type ReviewState = "OPEN" | "ACKNOWLEDGED" | "RESOLVED" | "AUTO_RESOLVED";
export type DiscrepancyType = "BALANCE_MISMATCH" | "STATUS_MISMATCH" | "MISSING_AT_PARTNER";

export interface ApiErrorBody {
  status_code: number;
  error: string;
  code: string;
  message: string;
  details?: unknown;
}

export interface SessionInfo {
  subject: string;
  role: Role;
  source: "local" | "oidc";
  expires_at: string;
  csrf_token: string;
}

export interface Discrepancy {
  id: number;
  debtor_id: number;
  partner_name: string;
  type: DiscrepancyType;
  review_state: ReviewState;
  internal_value: string;
  external_value: string | null;
  difference_amount: string | null;
  difference_percent: string | null;
  tolerance_percent: string;
  first_seen_at: string;
  last_seen_at: string;
  occurrences: number;
  resolved_at: string | null;
  age_days: number;
  priority: string | null;
  assignee: string | null;
}

export interface DiscrepancyEvent {
  id: number;
  event: string;
  from_state: ReviewState | null;
  to_state: ReviewState;
  actor: string;
  note: string | null;
  assignee?: string | null;
  message_id: string | null;
  created_at: string;
}

export interface DiscrepancyWithHistory extends Discrepancy {
  history: DiscrepancyEvent[];
}

export interface DiscrepancyPage {
  items: Discrepancy[];
  next_cursor: string | null;
  /** Keyset pages carry no total. */
  total?: number;
}

export interface DiscrepancyCounts {
  OPEN: number;
  ACKNOWLEDGED: number;
  RESOLVED: number;
  AUTO_RESOLVED: number;
  assigned_to_me: number;
}

export type BulkAction = "acknowledge" | "resolve" | "assign";
export type BulkOutcome = { id: number; ok: true } | { id: number; ok: false; code: string; message: string };

export interface ReconciliationSummary {
  generated_at: string;
  discrepancies: {
    total: number;
    by_status: Record<ReviewState, number>;
    by_type: Record<DiscrepancyType, number>;
    unresolved_by_type: Record<DiscrepancyType, number>;
    unresolved_ageing: { "0_1_days": number; "2_7_days": number; "8_30_days": number; over_30_days: number };
  };
  reconciliation: { matched: number; discrepancy: number; pending: number; total: number };
}

export type FactorName =
  | "debt_ratio"
  | "payment_history"
  | "employment_status"
  | "contract_type"
  | "industry_sector"
  | "family_situation";

export interface Debtor {
  id: number;
  name: string;
  total_debt_amount: string;
  monthly_income: string;
  late_payments_count: number;
  employment_status: string;
  contract_type: string;
  industry_sector: string;
  family_situation: string;
  payment_status: string;
  risk_score: {
    total_score: number;
    risk_level: string;
    factor_breakdown: Record<FactorName, number>;
    calculated_at: string;
  } | null;
}

export interface PriorityItem {
  debtor_id: number;
  priority: string;
  risk_score: number;
  debt_amount: string;
  name?: string;
  risk_level?: string;
}

export interface PriorityReport {
  heap_size: number;
  errors_count: number;
  top: PriorityItem[];
}

export type RunStatus = "RUNNING" | "COMPLETED" | "FAILED" | "ABANDONED" | "STOPPED";

export interface ProcessRun {
  run_id: string;
  status: RunStatus;
  batch_size: number;
  threshold: string;
  heap_size: number;
  debtors_processed: number;
  high_priority_count: number;
  batches_processed: number;
  errors_count: number;
  messages_queued: number;
  started_at: string;
  finished_at: string | null;
  failure_reason: string | null;
  owner: string | null;
}

export interface ProcessRunAccepted {
  run_id: string;
  status: string;
  status_url: string;
}

export interface PartnerBookImport {
  id: number;
  partner: string;
  sha256: string;
  rows: number;
  as_of: string | null;
  imported_by: string;
  imported_at: string;
  /** RECONCILING, COMPLETE or SUPERSEDED (`status` in older answers). */
  state?: string;
  status?: string;
  summary: {
    rows: number;
    debtors_rereconciled: number;
    matched: number;
    discrepancies_opened: number;
    discrepancies_updated: number;
    discrepancies_auto_resolved: number;
    rows_for_never_synced_debtors: number;
  };
}

export interface RowError {
  line: number;
  /** null when the whole line or file is at fault. */
  column: string | null;
  reason: string;
}

export interface DeadLetter {
  sqs_message_id: string;
  message_id: string | null;
  sent_at: string | null;
  /** null when SQS moved it after maxReceiveCount, not the consumer. */
  reason: string | null;
  body?: string;
}

export interface PoisonMessage {
  id: number;
  sqs_message_id: string;
  message_id: string | null;
  reason: string;
  receive_count: number | null;
  first_recorded_at: string;
  last_recorded_at: string;
  body?: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
