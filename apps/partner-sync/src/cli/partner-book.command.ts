import { createReadStream, createWriteStream, statSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createProgress, UsageError } from "@smartrecover/service-kit";
import type { Command } from "commander";
import { loadPartnerSyncConfig } from "../config";
import { outcomeBody } from "../partner-books/import-outcome-body";
import type { ImportOutcome } from "../partner-books/partner-book-import.service";

/** The CLI is no token subject: its imports are recorded under this system name. */
export const CLI_IMPORTER = "system:cli";

export function registerPartnerBookCommand(program: Command): void {
  const book = program.command("partner-book").description("Import and export partner book files (domain.md §10)");
  book
    .command("import <file>")
    .description(
      "Import a partner's book file, all or nothing, and re-reconcile its synced debtors (exit 2: file refused)",
    )
    .requiredOption("--partner <name>", "the partner whose book this is")
    .option("--json", "print the result as JSON (the HTTP API's body)")
    .showHelpAfterError(false)
    .action((file: string, options: { partner: string; json?: boolean }) => importBook(file, options));
  book
    .command("export")
    .description("Write the partner's current book in the import format")
    .requiredOption("--partner <name>", "the partner whose book to write")
    .option("--output <file>", "write to this file instead of standard output")
    .showHelpAfterError(false)
    .action((options: { partner: string; output?: string }) => exportBook(options));
}

function partnerOf(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 64) throw new UsageError("--partner must be 1–64 characters.");
  return trimmed;
}

/** partner-sync is loaded when a book is imported or exported, not at every start of the CLI. */
async function openSync() {
  const { openPartnerSync } = await import("../service");
  return openPartnerSync(loadPartnerSyncConfig());
}

async function importBook(file: string, options: { partner: string; json?: boolean }): Promise<void> {
  const partnerName = partnerOf(options.partner);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}.`);
  }
  const sync = await openSync();
  // Progress only on a terminal: scripts and --json readers get the result alone.
  const quiet = !process.stderr.isTTY;
  const reading = createProgress("reading", { quiet });
  const reconciling = createProgress("re-reconciling debtors", { quiet });
  let outcome: ImportOutcome;
  try {
    outcome = await sync.services.partnerBooks.importFile(createReadStream(file), {
      partnerName,
      importedBy: CLI_IMPORTER,
      totalBytes: size,
      onReadProgress: (progress) => reading.update(progress.bytesRead, size),
      onReconcileProgress: (done) => reconciling.update(done),
    });
  } finally {
    reading.stop();
    reconciling.stop();
    await sync.close();
  }
  const { body } = outcomeBody(outcome);
  if (options.json) process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  else printOutcome(outcome, String(body.message ?? ""));
  if (outcome.kind !== "accepted") process.exitCode = 2;
}

function printOutcome(outcome: ImportOutcome, message: string): void {
  if (outcome.kind !== "accepted") {
    if (outcome.kind === "invalid") {
      for (const error of outcome.errors) {
        process.stderr.write(`line ${error.line}${error.column ? `, column ${error.column}` : ""}: ${error.reason}\n`);
      }
    }
    process.stderr.write(`error: ${message}\n`);
    return;
  }
  const view = outcome.import;
  const s = view.summary;
  process.stdout.write(
    `import ${view.id} for partner "${view.partner}"${outcome.resumed ? " (resumed)" : ""}: ${s.rows} rows, ` +
      `${s.debtors_rereconciled} debtors re-reconciled (${s.matched} matched), discrepancies ` +
      `${s.discrepancies_opened} opened, ${s.discrepancies_updated} updated, ${s.discrepancies_auto_resolved} auto-resolved; ` +
      `${s.rows_for_never_synced_debtors} rows for debtors never synced\n`,
  );
}

async function exportBook(options: { partner: string; output?: string }): Promise<void> {
  const partnerName = partnerOf(options.partner);
  const sync = await openSync();
  try {
    const book = sync.services.partnerBooks.exportBook(partnerName);
    if (options.output) {
      await pipeline(book, createWriteStream(options.output));
      process.stderr.write(`book of partner "${partnerName}" written to ${options.output}\n`);
    } else {
      await pipeline(book, process.stdout, { end: false });
    }
  } finally {
    await sync.close();
  }
}
