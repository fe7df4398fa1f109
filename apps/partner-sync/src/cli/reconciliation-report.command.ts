import { createWriteStream } from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { choiceOption, intOption, UsageError } from "@smartrecover/service-kit";
import { type Command, InvalidArgumentError } from "commander";
import { loadPartnerSyncConfig } from "../config";
import type { DiscrepancyFilter } from "../discrepancies/discrepancy.schemas";
import { REVIEW_STATES, type ReviewState } from "../discrepancies/discrepancy-lifecycle";
import { DISCREPANCY_TYPES, type DiscrepancyType } from "../reconciliation/reconciliation-rules";
import { REPORT_FORMATS, type ReportFormat } from "../reports/report.schemas";

interface ReportOptions {
  format: ReportFormat;
  status?: ReviewState[];
  type?: DiscrepancyType[];
  minAgeDays?: number;
  maxAgeDays?: number;
  output?: string;
}

/** commander parser for a comma-separated list of allowed words. */
function listOption<T extends string>(name: string, words: readonly T[]) {
  return (value: string): T[] => {
    const items = [...new Set(value.split(",").map((item) => item.trim()))];
    const unknown = items.filter((item) => !(words as readonly string[]).includes(item));
    if (items.length === 0 || unknown.length > 0) {
      throw new InvalidArgumentError(`${name} takes a comma-separated list of ${words.join(", ")}, got "${value}".`);
    }
    return items as T[];
  };
}

export function registerReconciliationReportCommand(program: Command): void {
  program
    .command("reconciliation-report")
    .description("Export the discrepancies as CSV, or as JSON with the reconciliation summary")
    .option("--format <format>", `${REPORT_FORMATS.join(" | ")}`, choiceOption("--format", REPORT_FORMATS), "json")
    .option(
      "--status <list>",
      `only these review states: ${REVIEW_STATES.join(",")}`,
      listOption("--status", REVIEW_STATES),
    )
    .option(
      "--type <list>",
      `only these types: ${DISCREPANCY_TYPES.join(",")}`,
      listOption("--type", DISCREPANCY_TYPES),
    )
    .option(
      "--min-age-days <n>",
      "only discrepancies first seen at least n whole days ago",
      intOption("--min-age-days", 0, 100_000),
    )
    .option(
      "--max-age-days <n>",
      "only discrepancies first seen at most n whole days ago",
      intOption("--max-age-days", 0, 100_000),
    )
    .option("--output <file>", "write the report to this file instead of standard output")
    .showHelpAfterError(false)
    .action((options: ReportOptions) => report(options));
}

async function report(options: ReportOptions): Promise<void> {
  if (options.minAgeDays !== undefined && options.maxAgeDays !== undefined && options.minAgeDays > options.maxAgeDays) {
    throw new UsageError("--min-age-days must not exceed --max-age-days.");
  }
  const filter: DiscrepancyFilter = {
    status: options.status,
    type: options.type,
    min_age_days: options.minAgeDays,
    max_age_days: options.maxAgeDays,
  };
  const config = loadPartnerSyncConfig();
  const { openPartnerSync } = await import("../service");
  const sync = await openPartnerSync(config);
  try {
    const chunks = sync.services.reports.render(options.format, filter);
    // stdout is not ended (the CLI may still print); a file is closed when the report is complete.
    const target = options.output ? createWriteStream(options.output) : stdoutWithoutEnd();
    await pipeline(chunks, target);
    if (options.output) process.stderr.write(`reconciliation report written to ${options.output}\n`);
  } finally {
    await sync.close();
  }
}

function stdoutWithoutEnd(): Writable {
  // A reader that stops early (`| head`) closes the pipe: that ends the report, it is not a failure.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  return new Writable({
    write(chunk, _encoding, callback) {
      if (process.stdout.write(chunk)) callback();
      else process.stdout.once("drain", () => callback());
    },
  });
}
