import { randomInt } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { RISK_LEVELS } from "@smartrecover/contracts";
import { choiceOption, createProgress, intOption, UsageError } from "@smartrecover/service-kit";
import type { Command } from "commander";
import { loadRiskServiceConfig } from "../config";
import type { GenerationReport } from "../generator/generation-stats";
import { DEFAULT_COUNT, DISTRIBUTIONS, type Distribution, MAX_COUNT, MAX_SEED } from "../generator/generator-options";
import { textTable } from "./text-table";

interface GenerateTestDebtorsOptions {
  count: number;
  distribution: Distribution;
  seed?: number;
  clear: boolean;
  yes: boolean;
  scores: boolean;
  json: boolean;
}

export function registerGenerateTestDebtorsCommand(program: Command): void {
  program
    .command("generate-test-debtors")
    .description("Create realistic test debtors (reproducible from a seed), score them and print statistics")
    .option("--count <n>", `debtors to create, 1 to ${MAX_COUNT}`, intOption("--count", 1, MAX_COUNT), DEFAULT_COUNT)
    .option(
      "--distribution <name>",
      `risk mix: ${DISTRIBUTIONS.join(" | ")}`,
      choiceOption("--distribution", DISTRIBUTIONS),
      "balanced",
    )
    .option(
      "--seed <n>",
      `integer 0 to ${MAX_SEED}; the same seed gives the same debtors (default: random, printed)`,
      intOption("--seed", 0, MAX_SEED),
    )
    .option(
      "--clear",
      "delete all existing debtors and their scores first (asks on a terminal; --yes otherwise)",
      false,
    )
    .option("--yes", "confirm --clear without asking (scripts, CI)", false)
    .option("--no-scores", "skip scoring (process-debtors scores unscored debtors later)")
    .option("--json", "print one JSON object with the statistics instead of a report", false)
    // A bad value is reported on one line; the usage hint would add a second.
    .showHelpAfterError(false)
    .action((options: GenerateTestDebtorsOptions) => generate(options));
}

/**
 * --clear deletes every debtor: confirmed by --yes, or by typing "yes" on a terminal. Without a
 * terminal to ask on and without --yes it is a usage error (exit 2), before anything is opened.
 */
async function confirmClear(databaseUrl: string): Promise<void> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError("--clear deletes every debtor and its score: add --yes to confirm (no terminal to ask on).");
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const where = databaseUrl.startsWith("file:") ? databaseUrl : "the configured MySQL database";
    const answer = await prompt.question(`Delete every debtor and its score in ${where}? Type yes to continue: `);
    if (answer.trim().toLowerCase() !== "yes") throw new UsageError("--clear not confirmed: nothing was deleted.");
  } finally {
    prompt.close();
  }
}

async function generate(options: GenerateTestDebtorsOptions): Promise<void> {
  const config = loadRiskServiceConfig();
  if (options.clear && !options.yes) await confirmClear(config.RISK_DATABASE_URL);
  const seed = options.seed ?? randomInt(0, MAX_SEED + 1);
  if (options.seed === undefined) process.stderr.write(`seed ${seed} (pass --seed ${seed} to reproduce this run)\n`);
  const { openRiskService } = await import("../service");
  const service = await openRiskService(config);
  try {
    const progress = createProgress("generate-test-debtors");
    const report = await service.generator.generate({
      count: options.count,
      distribution: options.distribution,
      seed,
      clear: options.clear,
      scores: options.scores,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    console.log(options.json ? JSON.stringify(report) : formatReport(report));
  } finally {
    await service.close();
  }
}

const number = new Intl.NumberFormat("en-US");

export function formatReport(report: GenerationReport): string {
  const lines = [
    `Generated ${number.format(report.debtors_created)} debtors (${report.distribution}, seed ${report.seed}) ` +
      `in ${report.elapsed_seconds.toFixed(2)} s, ${number.format(report.debtors_per_second)} debtors/s`,
  ];
  if (report.cleared_debtors > 0) lines.push(`Cleared ${number.format(report.cleared_debtors)} existing debtors first`);
  const rows: Array<Array<string | number>> = [
    ["Debtors created", number.format(report.debtors_created)],
    ["Scores computed", number.format(report.scores_computed)],
  ];
  if (report.scores_computed > 0) {
    for (const level of RISK_LEVELS) {
      const share = report.risk_levels[level];
      rows.push([`  ${level}`, `${share.percent.toFixed(2)} % (${number.format(share.count)})`]);
    }
  }
  if (report.debt) {
    rows.push(["Debt min", report.debt.min], ["Debt max", report.debt.max], ["Debt average", report.debt.average]);
  }
  lines.push(textTable(rows));
  if (report.top_priorities.length > 0) {
    lines.push(`\nTop ${report.top_priorities.length} priorities (risk score × debt)`);
    lines.push(
      textTable([
        ["#", "debtor", "priority", "score", "level", "debt", "name"],
        ...report.top_priorities.map((t, i) => [
          i + 1,
          t.debtor_id,
          t.priority,
          t.total_score,
          t.risk_level,
          t.total_debt_amount,
          t.name,
        ]),
      ]),
    );
  }
  return lines.join("\n");
}
