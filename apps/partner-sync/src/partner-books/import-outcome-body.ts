import { STATUS_CODES } from "node:http";
import type { ImportOutcome } from "./partner-book-import.service";

/** The one shape of an import's answer, shared by the HTTP route and the CLI's --json. */
export function outcomeBody(outcome: ImportOutcome): { status: 201 | 409 | 413 | 422; body: Record<string, unknown> } {
  const error = (status: 409 | 413 | 422, code: string, message: string, rest: Record<string, unknown> = {}) => ({
    status,
    body: { status_code: status, error: STATUS_CODES[status] ?? "Error", code, message, ...rest },
  });
  switch (outcome.kind) {
    case "accepted":
      return { status: 201 as const, body: { ...outcome.import, resumed: outcome.resumed } };
    case "invalid":
      return error(
        422,
        "INVALID_PARTNER_BOOK",
        `the file was refused: ${outcome.totalErrors} error${outcome.totalErrors === 1 ? "" : "s"}; nothing was imported`,
        { errors: outcome.errors, total_errors: outcome.totalErrors },
      );
    case "duplicate": {
      const earlier = outcome.earlier;
      return error(
        409,
        "DUPLICATE_PARTNER_BOOK",
        `this file was already imported for partner "${earlier.partner}" as import ${earlier.id} (${earlier.imported_at}, by ${earlier.imported_by}); nothing was imported`,
        { earlier_import: earlier },
      );
    }
    case "too-large":
      return error(
        413,
        "PARTNER_BOOK_TOO_LARGE",
        `the file is larger than PARTNER_BOOK_MAX_BYTES (${outcome.maxBytes} bytes); nothing was imported`,
      );
  }
}
