import { centsFromDb, formatCents, type PaymentStatus } from "@smartrecover/contracts";
import {
  chunk,
  forUpdate,
  inList,
  moneyText,
  placeholders,
  ROWS_PER_STATEMENT,
  readDate,
  type SqlExecutor,
  type StoredDate,
} from "@smartrecover/db-kit";
import type { PartnerBook } from "../reconciliation/partner-simulator";
import type { PartnerBookEntry } from "./partner-book-format";

// The only module that writes partner_records (the partner's current book), partner_book_imports
// and partner_book_staged_rows. `rows` is quoted: it is a reserved word in MySQL 8 (SQLite accepts
// backticks too).

export const IMPORT_STATES = ["STAGING", "RECONCILING", "COMPLETE", "SUPERSEDED"] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

export interface StoredImport {
  id: number;
  partnerName: string;
  sha256: string | null;
  state: ImportState;
  rows: number;
  asOf: string | null;
  importedBy: string;
  importedAt: Date;
  completedAt: Date | null;
  reconciledThrough: number;
  summary: string | null;
}

type ImportRow = {
  id: number | bigint;
  partner_name: string;
  sha256: string | null;
  state: ImportState;
  rows: number | bigint;
  as_of: string | null;
  imported_by: string;
  imported_at: StoredDate;
  completed_at: StoredDate | null;
  reconciled_through: number | bigint;
  summary: string | null;
};

const IMPORT_SELECT = `SELECT id, partner_name, sha256, state, \`rows\`, as_of, imported_by, imported_at, completed_at,
       reconciled_through, summary FROM partner_book_imports`;

function toImport(row: ImportRow): StoredImport {
  return {
    id: Number(row.id),
    partnerName: row.partner_name,
    sha256: row.sha256,
    state: row.state,
    rows: Number(row.rows),
    asOf: row.as_of,
    importedBy: row.imported_by,
    importedAt: readDate(row.imported_at),
    completedAt: row.completed_at === null ? null : readDate(row.completed_at),
    reconciledThrough: Number(row.reconciled_through),
    summary: row.summary,
  };
}

/** Opens an import in STAGING: invisible to readers until its rows become the current book. */
export async function createStagingImport(
  tx: SqlExecutor,
  partnerName: string,
  importedBy: string,
  now: Date,
): Promise<number> {
  const insert = `INSERT INTO partner_book_imports (partner_name, state, imported_by, imported_at) VALUES (?, 'STAGING', ?, ?)`;
  if (tx.dialect === "sqlite") {
    const [row] = await tx.query<{ id: number | bigint }>(`${insert} RETURNING id`, [partnerName, importedBy, now]);
    return Number(row?.id);
  }
  await tx.execute(insert, [partnerName, importedBy, now]);
  const [row] = await tx.query<{ id: number | bigint }>("SELECT LAST_INSERT_ID() AS id");
  return Number(row?.id);
}

export async function insertStagedRows(
  tx: SqlExecutor,
  importId: number,
  rows: readonly PartnerBookEntry[],
): Promise<void> {
  for (const part of chunk(rows, ROWS_PER_STATEMENT)) {
    await tx.execute(
      `INSERT INTO partner_book_staged_rows (import_id, debtor_id, balance, status, reference, as_of) VALUES ${placeholders(6, part.length)}`,
      part.flatMap((row) => [
        importId,
        row.debtorId,
        formatCents(row.balanceCents),
        row.status,
        row.reference,
        row.asOf,
      ]),
    );
  }
}

export async function countStagedRows(tx: SqlExecutor, importId: number): Promise<number> {
  const [row] = await tx.query<{ n: number | bigint }>(
    "SELECT COUNT(*) AS n FROM partner_book_staged_rows WHERE import_id = ?",
    [importId],
  );
  return Number(row?.n ?? 0);
}

/** Removes an import that was never accepted, with its staged rows. */
export async function discardStagingImport(tx: SqlExecutor, importId: number): Promise<void> {
  await tx.execute("DELETE FROM partner_book_staged_rows WHERE import_id = ?", [importId]);
  await tx.execute("DELETE FROM partner_book_imports WHERE id = ? AND state = 'STAGING'", [importId]);
}

/** STAGING imports of a partner other than `keep`: left behind by a process that died while reading. */
export async function abandonedStagingImports(tx: SqlExecutor, partnerName: string, keep: number): Promise<number[]> {
  const rows = await tx.query<{ id: number | bigint }>(
    "SELECT id FROM partner_book_imports WHERE partner_name = ? AND state = 'STAGING' AND id <> ?",
    [partnerName, keep],
  );
  return rows.map((row) => Number(row.id));
}

/** The accepted import of this file for this partner, locked on MySQL until commit. */
export async function findAcceptedBySha(
  tx: SqlExecutor,
  partnerName: string,
  sha256: string,
): Promise<StoredImport | null> {
  const rows = await tx.query<ImportRow>(
    `${IMPORT_SELECT} WHERE partner_name = ? AND sha256 = ?${forUpdate(tx.dialect)}`,
    [partnerName, sha256],
  );
  return rows[0] ? toImport(rows[0]) : null;
}

/**
 * Makes a staged import the partner's current book: the old rows go, the staged rows move in
 * (each naming the import), the import gets its file's hash and enters RECONCILING, and an
 * earlier import still re-reconciling is superseded (this one re-reconciles every debtor anyway).
 * Meant to run in one transaction, so readers see the old book or the new one, never a mix.
 */
export async function switchToStagedBook(
  tx: SqlExecutor,
  file: { importId: number; partnerName: string; sha256: string; rows: number; asOf: string | null },
  now: Date,
): Promise<void> {
  await tx.execute(
    "UPDATE partner_book_imports SET state = 'SUPERSEDED' WHERE partner_name = ? AND state = 'RECONCILING'",
    [file.partnerName],
  );
  await tx.execute("DELETE FROM partner_records WHERE partner_name = ?", [file.partnerName]);
  await tx.execute(
    `INSERT INTO partner_records (debtor_id, partner_name, balance, status, created_at, import_id, reference, as_of)
     SELECT debtor_id, ?, balance, status, ?, import_id, reference, as_of
       FROM partner_book_staged_rows WHERE import_id = ?`,
    [file.partnerName, now, file.importId],
  );
  await tx.execute("DELETE FROM partner_book_staged_rows WHERE import_id = ?", [file.importId]);
  await tx.execute(
    `UPDATE partner_book_imports SET state = 'RECONCILING', sha256 = ?, \`rows\` = ?, as_of = ?, summary = ?
      WHERE id = ? AND state = 'STAGING'`,
    [file.sha256, file.rows, file.asOf, null, file.importId],
  );
}

/** The import, locked on MySQL until commit (re-reconciliation batches take turns on it). */
export async function lockImport(tx: SqlExecutor, importId: number): Promise<StoredImport | null> {
  const rows = await tx.query<ImportRow>(`${IMPORT_SELECT} WHERE id = ?${forUpdate(tx.dialect)}`, [importId]);
  return rows[0] ? toImport(rows[0]) : null;
}

export async function recordReconcileProgress(
  tx: SqlExecutor,
  importId: number,
  progress: { reconciledThrough: number; summary: string; complete: boolean },
  now: Date,
): Promise<void> {
  await tx.execute(
    `UPDATE partner_book_imports SET reconciled_through = ?, summary = ?,
            state = ${progress.complete ? "'COMPLETE'" : "state"}, completed_at = ${progress.complete ? "?" : "completed_at"}
      WHERE id = ? AND state = 'RECONCILING'`,
    progress.complete
      ? [progress.reconciledThrough, progress.summary, now, importId]
      : [progress.reconciledThrough, progress.summary, importId],
  );
}

/** Accepted imports (newest first), keyset-paged by id. */
export async function listImports(
  db: SqlExecutor,
  filter: { partnerName?: string; beforeId?: number; limit: number },
): Promise<StoredImport[]> {
  const where = ["state <> 'STAGING'"];
  const params: unknown[] = [];
  if (filter.partnerName !== undefined) {
    where.push("partner_name = ?");
    params.push(filter.partnerName);
  }
  if (filter.beforeId !== undefined) {
    where.push("id < ?");
    params.push(filter.beforeId);
  }
  const rows = await db.query<ImportRow>(
    `${IMPORT_SELECT} WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ${Math.trunc(filter.limit)}`,
    params,
  );
  return rows.map(toImport);
}

export async function getImport(db: SqlExecutor, importId: number): Promise<StoredImport | null> {
  const rows = await db.query<ImportRow>(`${IMPORT_SELECT} WHERE id = ? AND state <> 'STAGING'`, [importId]);
  return rows[0] ? toImport(rows[0]) : null;
}

/** Whether the partner's book came from an accepted import (the `imported` source needs one). */
export async function hasImportedBook(tx: SqlExecutor, partnerName: string): Promise<boolean> {
  const rows = await tx.query(
    "SELECT 1 AS present FROM partner_book_imports WHERE partner_name = ? AND state IN ('RECONCILING', 'COMPLETE', 'SUPERSEDED') LIMIT 1",
    [partnerName],
  );
  return rows.length > 0;
}

/** The partner's current book entries of these debtors (absent: the partner has no such debtor). */
export async function loadBookEntries(
  tx: SqlExecutor,
  partnerName: string,
  debtorIds: readonly number[],
): Promise<Map<number, PartnerBook>> {
  const books = new Map<number, PartnerBook>();
  if (debtorIds.length === 0) return books;
  const rows = await tx.query<{ debtor_id: number | bigint; balance: string | number; status: PaymentStatus }>(
    `SELECT debtor_id, ${moneyText(tx.dialect, "balance")} AS balance, status FROM partner_records
      WHERE partner_name = ? AND debtor_id IN ${inList(debtorIds.length)}`,
    [partnerName, ...debtorIds],
  );
  for (const row of rows)
    books.set(Number(row.debtor_id), { balanceCents: centsFromDb(row.balance), status: row.status });
  return books;
}

/** The simulator's book of debtors seen for the first time (PARTNER_BOOK_SOURCE=simulated). */
export async function insertSimulatedBooks(
  tx: SqlExecutor,
  partnerName: string,
  books: ReadonlyArray<{ debtorId: number; book: PartnerBook }>,
  now: Date,
): Promise<void> {
  if (books.length === 0) return;
  await tx.execute(
    `INSERT INTO partner_records (debtor_id, partner_name, balance, status, created_at) VALUES ${placeholders(5, books.length)}`,
    books.flatMap(({ debtorId, book }) => [debtorId, partnerName, formatCents(book.balanceCents), book.status, now]),
  );
}

/** The partner's current book in debtor order, read a page at a time so memory stays flat. */
export async function* currentBookEntries(
  db: SqlExecutor,
  partnerName: string,
  pageSize = 5_000,
): AsyncGenerator<PartnerBookEntry> {
  let after = 0;
  for (;;) {
    const rows = await db.query<{
      debtor_id: number | bigint;
      balance: string | number;
      status: PaymentStatus;
      reference: string | null;
      as_of: string | null;
    }>(
      `SELECT debtor_id, ${moneyText(db.dialect, "balance")} AS balance, status, reference, as_of FROM partner_records
        WHERE partner_name = ? AND debtor_id > ? ORDER BY debtor_id LIMIT ${Math.trunc(pageSize)}`,
      [partnerName, after],
    );
    for (const row of rows) {
      yield {
        debtorId: Number(row.debtor_id),
        balanceCents: centsFromDb(row.balance),
        status: row.status,
        reference: row.reference,
        asOf: row.as_of,
      };
    }
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]?.debtor_id);
  }
}

/** Rows of an import's book whose debtor has never been synced with that partner. */
export async function countRowsForNeverSynced(tx: SqlExecutor, partnerName: string, importId: number): Promise<number> {
  const [row] = await tx.query<{ n: number | bigint }>(
    `SELECT COUNT(*) AS n FROM partner_records p
      WHERE p.partner_name = ? AND p.import_id = ?
        AND NOT EXISTS (SELECT 1 FROM partner_sync_records s WHERE s.partner_name = p.partner_name AND s.debtor_id = p.debtor_id)`,
    [partnerName, importId],
  );
  return Number(row?.n ?? 0);
}
