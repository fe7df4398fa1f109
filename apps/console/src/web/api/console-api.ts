import type {
  ApiErrorBody,
  BulkAction,
  BulkOutcome,
  DeadLetter,
  Debtor,
  Discrepancy,
  DiscrepancyCounts,
  DiscrepancyPage,
  DiscrepancyWithHistory,
  Page,
  PartnerBookImport,
  PoisonMessage,
  PriorityReport,
  ProcessRun,
  ProcessRunAccepted,
  ReconciliationSummary,
  SessionInfo,
} from "./api-types";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: ApiErrorBody | null,
  ) {
    super(message);
  }
}

export interface ConsoleApiOptions {
  fetch?: typeof fetch;
  /** Called when the console server or a service answers 401 to a signed-in call. */
  onUnauthorized?: (message: string) => void;
}

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: URLSearchParams;
  json?: unknown;
  form?: FormData;
  /** A 401 here is the caller's own answer (wrong password), not a lost session. */
  ownUnauthorized?: boolean;
}

const RISK = "/api/risk_service";
const SYNC = "/api/partner_sync";

/** Everything the SPA asks the console server; the CSRF token rides on every state-changing call. */
export class ConsoleApi {
  private csrfToken: string | null = null;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: ConsoleApiOptions = {}) {
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = options.method ?? "GET";
    const headers: Record<string, string> = { accept: "application/json" };
    if (method !== "GET" && this.csrfToken) headers["x-csrf-token"] = this.csrfToken;
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form) body = options.form;
    const query = options.query?.toString();
    const response = await this.fetcher(query ? `${path}?${query}` : path, {
      method,
      headers,
      body,
      credentials: "same-origin",
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : null;
    if (!response.ok) {
      const errorBody = isErrorBody(parsed) ? parsed : null;
      const message = errorBody?.message ?? `the server answered ${response.status}`;
      const error = new ApiError(response.status, errorBody?.code ?? `HTTP_${response.status}`, message, errorBody);
      if (response.status === 401 && !options.ownUnauthorized) {
        this.csrfToken = null;
        this.options.onUnauthorized?.(message);
      }
      throw error;
    }
    return parsed as T;
  }

  // Console session
  async currentSession(): Promise<SessionInfo | null> {
    try {
      return this.remember(await this.request<SessionInfo>("/console/session", { ownUnauthorized: true }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  }
  async signIn(username: string, password: string): Promise<SessionInfo> {
    const session = await this.request<SessionInfo>("/console/session", {
      method: "POST",
      json: { username, password },
      ownUnauthorized: true,
    });
    return this.remember(session);
  }
  async signOut(): Promise<void> {
    await this.request<void>("/console/session", { method: "DELETE", ownUnauthorized: true });
    this.csrfToken = null;
  }
  signInOptions(): Promise<{ local: boolean; oidc: boolean }> {
    return this.request("/console/sign-in-options", { ownUnauthorized: true });
  }
  private remember(session: SessionInfo): SessionInfo {
    this.csrfToken = session.csrf_token;
    return session;
  }

  // partner-sync
  async discrepancies(query: URLSearchParams): Promise<DiscrepancyPage> {
    const page = await this.request<Partial<DiscrepancyPage> & { items: Discrepancy[] }>(`${SYNC}/discrepancies/`, {
      query,
    });
    return {
      items: page.items.map((item) => ({ ...item, priority: item.priority ?? null, assignee: item.assignee ?? null })),
      next_cursor: page.next_cursor ?? null,
      total: page.total,
    };
  }
  async discrepancyCounts(query: URLSearchParams): Promise<DiscrepancyCounts> {
    return normalizeCounts(await this.request<Record<string, number>>(`${SYNC}/discrepancies/counts/`, { query }));
  }
  discrepancy(id: number): Promise<DiscrepancyWithHistory> {
    return this.request(`${SYNC}/discrepancies/${id}/`);
  }
  acknowledge(id: number, note?: string): Promise<DiscrepancyWithHistory> {
    return this.request(`${SYNC}/discrepancies/${id}/acknowledge/`, { method: "POST", json: note ? { note } : {} });
  }
  resolve(id: number, note: string): Promise<DiscrepancyWithHistory> {
    return this.request(`${SYNC}/discrepancies/${id}/resolve/`, { method: "POST", json: { note } });
  }
  assign(id: number, assignee: string | null): Promise<DiscrepancyWithHistory> {
    return this.request(`${SYNC}/discrepancies/${id}/assign/`, { method: "POST", json: { assignee } });
  }
  comment(id: number, note: string): Promise<DiscrepancyWithHistory> {
    return this.request(`${SYNC}/discrepancies/${id}/comments/`, { method: "POST", json: { note } });
  }
  async bulk(
    action: BulkAction,
    ids: number[],
    extra: { note?: string; assignee?: string | null } = {},
  ): Promise<{ results: BulkOutcome[] }> {
    const answer = await this.request<{ results: RawBulkOutcome[] }>(`${SYNC}/discrepancies/bulk/`, {
      method: "POST",
      json: { action, ids, ...extra },
    });
    return { results: answer.results.map(normalizeOutcome) };
  }
  summary(): Promise<ReconciliationSummary> {
    return this.request(`${SYNC}/summary/`);
  }
  partnerBooks(): Promise<Page<PartnerBookImport>> {
    return this.request(`${SYNC}/partner-books/`, { query: new URLSearchParams({ limit: "20" }) });
  }
  uploadPartnerBook(partner: string, file: File): Promise<PartnerBookImport> {
    const form = new FormData();
    form.append("file", file, file.name);
    return this.request(`${SYNC}/partner-books/`, {
      method: "POST",
      query: new URLSearchParams({ partner }),
      form,
    });
  }
  deadLetters(): Promise<{ items: DeadLetter[]; queue?: string; depth?: number }> {
    // Admin only (the screen and the service): bodies may hold personal data.
    return this.request(`${SYNC}/dead-letters/`, { query: new URLSearchParams({ limit: "50", bodies: "true" }) });
  }
  redriveDeadLetters(limit?: number): Promise<{ redriven: number; failed: number }> {
    return this.request(`${SYNC}/dead-letters/redrive/`, { method: "POST", json: limit ? { limit } : {} });
  }
  poisonMessages(): Promise<{ items: PoisonMessage[] }> {
    return this.request(`${SYNC}/poison-messages/`, { query: new URLSearchParams({ bodies: "true" }) });
  }

  // risk-service
  debtor(id: number): Promise<Debtor> {
    return this.request(`${RISK}/debtors/${id}/`);
  }
  priority(top: number): Promise<PriorityReport> {
    return this.request(`${RISK}/debtors/priority/`, { query: new URLSearchParams({ top: String(top) }) });
  }
  processRuns(limit = 20): Promise<Page<ProcessRun>> {
    return this.request(`${RISK}/process-runs/`, { query: new URLSearchParams({ limit: String(limit) }) });
  }
  startProcessRun(input: { batch_size: number; threshold: string }): Promise<ProcessRunAccepted> {
    return this.request(`${RISK}/process-runs/`, { method: "POST", json: input });
  }
}

/** A refusal flat (`code`, `message`) or nested under `error`, codes in either case. */
type RawBulkOutcome =
  | { id: number; ok: true }
  | { id: number; ok: false; code?: string; message?: string; error?: { code: string; message: string } };

function normalizeOutcome(raw: RawBulkOutcome): BulkOutcome {
  if (raw.ok) return { id: raw.id, ok: true };
  return {
    id: raw.id,
    ok: false,
    code: (raw.code ?? raw.error?.code ?? "REFUSED").toUpperCase(),
    message: raw.message ?? raw.error?.message ?? "",
  };
}

/** Tab counts keyed by review state (OPEN…) or in snake case (open…): both answer the same question. */
function normalizeCounts(raw: Record<string, number>): DiscrepancyCounts {
  const count = (upper: string, lower: string) => raw[upper] ?? raw[lower] ?? 0;
  return {
    OPEN: count("OPEN", "open"),
    ACKNOWLEDGED: count("ACKNOWLEDGED", "acknowledged"),
    RESOLVED: count("RESOLVED", "resolved"),
    AUTO_RESOLVED: count("AUTO_RESOLVED", "auto_resolved"),
    assigned_to_me: count("assigned_to_me", "assigned_to_me"),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

export const exportCsvUrl = (query: URLSearchParams) => `${SYNC}/reports/reconciliation/?${query.toString()}`;
