import type { Readable } from "node:stream";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import type { Tolerance } from "../reconciliation/reconciliation-rules";
import { type ImportSummary, parseSummary, rereconcileImport } from "./book-rereconciler";
import {
  abandonedStagingImports,
  countStagedRows,
  createStagingImport,
  currentBookEntries,
  discardStagingImport,
  findAcceptedBySha,
  getImport,
  type ImportState,
  insertStagedRows,
  listImports,
  type StoredImport,
  switchToStagedBook,
} from "./partner-book.repository";
import { consumePartnerBookFile, type PartnerBookSource } from "./partner-book-file";
import type { PartnerBookFileError, PartnerBookReadProgress } from "./partner-book-format";
import { writePartnerBook } from "./partner-book-writer";

/** An import as the CLI and the API show it. */
export interface PartnerBookImportView {
  id: number;
  partner: string;
  sha256: string;
  state: Exclude<ImportState, "STAGING">;
  rows: number;
  as_of: string | null;
  imported_by: string;
  imported_at: string;
  completed_at: string | null;
  summary: ImportSummary;
}

export type ImportOutcome =
  | { kind: "accepted"; import: PartnerBookImportView; resumed: boolean }
  | { kind: "invalid"; rows: number; errors: PartnerBookFileError[]; totalErrors: number }
  | { kind: "duplicate"; earlier: PartnerBookImportView }
  | { kind: "too-large"; maxBytes: number; bytesRead: number };

export interface ImportRequest {
  partnerName: string;
  /** The subject who imports (the token's subject, or the CLI's operator name). */
  importedBy: string;
  totalBytes?: number | null;
  onReadProgress?: (progress: PartnerBookReadProgress) => void;
  /** Debtors re-reconciled so far. */
  onReconcileProgress?: (done: number) => void;
}

export interface PartnerBookServiceOptions {
  tolerance: Tolerance;
  maxBytes: number;
  clock: () => Date;
  /** Debtors per re-reconciliation transaction. */
  reconcileBatchSize?: number;
}

/** Rows per staging transaction: small batches keep few rows alive at once, so the young heap stays small. */
const STAGE_BATCH_ROWS = 1_000;

export class ConcurrentImportError extends Error {
  override name = "ConcurrentImportError";
}

/**
 * Imports partner book files (domain.md §10), all or nothing: rows are staged while the file is
 * read and checked, and only a valid, new file replaces the partner's book, in one transaction.
 * The re-reconciliation that follows commits batch by batch and resumes when the same file is
 * imported again after a crash (its import is RECONCILING, not yet a duplicate).
 */
export class PartnerBookService {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly options: PartnerBookServiceOptions,
  ) {}

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  async importFile(source: PartnerBookSource, request: ImportRequest): Promise<ImportOutcome> {
    const { db } = this;
    const { partnerName } = request;
    const importId = await db.transaction((tx) =>
      createStagingImport(tx, partnerName, request.importedBy, this.options.clock()),
    );
    let accepted: { id: number; resumed: boolean };
    try {
      await this.discardAbandoned(partnerName, importId);
      const outcome = await consumePartnerBookFile(
        source,
        (rows) => db.transaction((tx) => insertStagedRows(tx, importId, rows)),
        {
          maxBytes: this.options.maxBytes,
          totalBytes: request.totalBytes,
          onProgress: request.onReadProgress,
          batchSize: STAGE_BATCH_ROWS,
        },
      );
      if (outcome.kind === "invalid") {
        return { kind: "invalid", rows: outcome.rows, errors: outcome.errors, totalErrors: outcome.totalErrors };
      }
      if (outcome.kind === "too-large") return outcome;
      const decision = await db.transaction(async (tx) => {
        const earlier = await findAcceptedBySha(tx, partnerName, outcome.sha256);
        if (earlier) return { earlier };
        const staged = await countStagedRows(tx, importId);
        if (staged !== outcome.rows) {
          throw new ConcurrentImportError(
            `another import for partner "${partnerName}" removed this one's staged rows; import the file again`,
          );
        }
        const file = { importId, partnerName, sha256: outcome.sha256, rows: outcome.rows, asOf: outcome.asOf };
        await switchToStagedBook(tx, file, this.options.clock());
        return { earlier: null };
      });
      if (decision.earlier?.state === "RECONCILING") accepted = { id: decision.earlier.id, resumed: true };
      else if (decision.earlier) return { kind: "duplicate", earlier: toView(decision.earlier) };
      else accepted = { id: importId, resumed: false };
    } finally {
      // Every way out but a switch leaves the staged rows behind: they go (a no-op once switched).
      await db.transaction((tx) => discardStagingImport(tx, importId));
    }
    await rereconcileImport(db, accepted.id, {
      partnerName,
      tolerance: this.options.tolerance,
      clock: this.options.clock,
      batchSize: this.options.reconcileBatchSize ?? 500,
      onBatch: request.onReconcileProgress,
    });
    const stored = await getImport(db, accepted.id);
    if (!stored) throw new Error(`import ${accepted.id} vanished`);
    return { kind: "accepted", import: toView(stored), resumed: accepted.resumed };
  }

  async list(filter: { partner?: string; before?: number; limit: number }): Promise<PartnerBookImportView[]> {
    const rows = await listImports(this.db, {
      partnerName: filter.partner,
      beforeId: filter.before,
      limit: filter.limit,
    });
    return rows.map(toView);
  }

  async get(id: number): Promise<PartnerBookImportView | null> {
    const stored = await getImport(this.db, id);
    return stored ? toView(stored) : null;
  }

  /** The partner's current book as a file in the import format (export, correct, import again). */
  exportBook(partnerName: string): Readable {
    return writePartnerBook(currentBookEntries(this.db, partnerName));
  }

  /**
   * STAGING imports of this partner left by a process that died while reading. A concurrent
   * import of the same partner would lose its staged rows here; its switch then refuses
   * (ConcurrentImportError) rather than install a partial book.
   */
  private async discardAbandoned(partnerName: string, keep: number): Promise<void> {
    const abandoned = await abandonedStagingImports(this.db, partnerName, keep);
    for (const id of abandoned) await this.db.transaction((tx) => discardStagingImport(tx, id));
  }
}

export function toView(stored: StoredImport): PartnerBookImportView {
  return {
    id: stored.id,
    partner: stored.partnerName,
    sha256: stored.sha256 ?? "",
    state: stored.state === "STAGING" ? "RECONCILING" : stored.state,
    rows: stored.rows,
    as_of: stored.asOf,
    imported_by: stored.importedBy,
    imported_at: stored.importedAt.toISOString(),
    completed_at: stored.completedAt?.toISOString() ?? null,
    summary: parseSummary(stored.summary, stored.rows),
  };
}
