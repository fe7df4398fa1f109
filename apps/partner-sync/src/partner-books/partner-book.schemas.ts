import { z } from "zod";

const PartnerName = z.string().trim().min(1).max(64);

export const PartnerBookImportQuery = z
  .object({ partner: PartnerName.describe("The partner whose book this file is (1–64 characters)") })
  .strict();

export const PartnerBookListQuery = z
  .object({
    partner: PartnerName.optional().describe("Only this partner's imports"),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional().describe("Only imports with a smaller id (the next page)"),
  })
  .strict();

export const PartnerBookIdParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) }).strict();

export const PartnerBookImportSummary = z
  .object({
    rows: z.number().int().describe("Rows in the file"),
    debtors_rereconciled: z.number().int().describe("Debtors already synced with the partner, re-reconciled"),
    matched: z.number().int().describe("Of those, debtors that now match the partner's book"),
    discrepancies_opened: z.number().int(),
    discrepancies_updated: z.number().int().describe("Unresolved discrepancies seen again (occurrences bumped)"),
    discrepancies_auto_resolved: z.number().int(),
    rows_for_never_synced_debtors: z.number().int().describe("Rows for debtors never synced: kept, not errors"),
  })
  .meta({ id: "PartnerBookImportSummary" });

export const PartnerBookImport = z
  .object({
    id: z.number().int(),
    partner: z.string(),
    sha256: z.string().describe("SHA-256 of the file's bytes, hex"),
    state: z
      .enum(["RECONCILING", "COMPLETE", "SUPERSEDED"])
      .describe(
        "RECONCILING: the book is current, re-reconciliation still running (or interrupted: import the file again to finish it); COMPLETE; SUPERSEDED: a newer book replaced it first",
      ),
    rows: z.number().int(),
    as_of: z.string().nullable().describe("Latest as_of date of the rows, if any"),
    imported_by: z.string().describe("Subject who imported it"),
    imported_at: z.string(),
    completed_at: z.string().nullable(),
    summary: PartnerBookImportSummary,
  })
  .meta({ id: "PartnerBookImport" });

export const PartnerBookImportAccepted = PartnerBookImport.extend({
  resumed: z.boolean().describe("True when this finished an earlier, interrupted import of the same file"),
}).meta({ id: "PartnerBookImportAccepted" });

export const PartnerBookImportPage = z
  .object({
    items: z.array(PartnerBookImport),
    next_before: z.number().int().nullable().describe("Pass as `before` for the next page; null on the last"),
  })
  .meta({ id: "PartnerBookImportPage" });

export const PartnerBookFileError = z.object({
  line: z.number().int().describe("Physical line; the header is line 1"),
  column: z.string().nullable().describe("Column name; null when the whole line or file is at fault"),
  reason: z.string(),
});

export const PartnerBookRefused = z
  .object({
    status_code: z.number().int(),
    error: z.string(),
    code: z.enum(["INVALID_PARTNER_BOOK"]),
    message: z.string(),
    errors: z.array(PartnerBookFileError).describe("The first 100 errors, by line"),
    total_errors: z.number().int(),
  })
  .meta({ id: "PartnerBookRefused" });

export const PartnerBookDuplicate = z
  .object({
    status_code: z.number().int(),
    error: z.string(),
    code: z.enum(["DUPLICATE_PARTNER_BOOK"]),
    message: z.string(),
    earlier_import: PartnerBookImport,
  })
  .meta({ id: "PartnerBookDuplicate" });
