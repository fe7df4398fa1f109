// generate-test-debtors on SQLite, each size RUNS times into a fresh database, as users run it.
import { join } from "node:path";
import {
  type BenchSection,
  type BenchSettings,
  fixed,
  int,
  log,
  markdownTable,
  median,
  runCli,
  spread,
  withTempDir,
} from "./bench-kit";

interface GenerateSummary {
  debtors_created: number;
  elapsed_seconds: number;
}

export async function generateBench(settings: BenchSettings): Promise<BenchSection> {
  const rows: Array<Array<string | number>> = [];
  const perDebtor = new Map<number, number>();
  await withTempDir("generate", async (dir) => {
    for (const count of settings.generateCounts) {
      const seconds: number[] = [];
      const rss: number[] = [];
      for (let run = 0; run < settings.runs; run += 1) {
        const url = `file:${join(dir, `generate-${count}-${run}.db`)}`;
        const result = runCli<GenerateSummary>(
          ["generate-test-debtors", "--count", String(count), "--seed", "42", "--clear", "--yes", "--json"],
          { RISK_DATABASE_URL: url },
        );
        if (result.output.debtors_created !== count) throw new Error(`generated ${result.output.debtors_created}`);
        seconds.push(result.output.elapsed_seconds);
        if (result.peakRssMb !== null) rss.push(result.peakRssMb);
        log(`generate ${int(count)} run ${run + 1}: ${fixed(result.output.elapsed_seconds)} s`);
      }
      perDebtor.set(count, median(seconds) / count);
      rows.push([
        int(count),
        int(count / median(seconds)),
        fixed(median(seconds)),
        spread(seconds, (v) => fixed(v)),
        rss.length ? `${median(rss)} MB` : "n/a",
      ]);
    }
  });
  const smallest = settings.generateCounts[0] as number;
  const scaling = settings.generateCounts
    .slice(1)
    .map((count) => `${int(count)}: ${fixed((perDebtor.get(count) as number) / (perDebtor.get(smallest) as number))}×`);
  return {
    title: "generate-test-debtors (SQLite)",
    body: [
      `\`generate-test-debtors --count N --seed 42 --clear\` into a fresh SQLite file (insert + score, chunks of 5,000), median of ${settings.runs} runs.`,
      "Seconds are the command's own `elapsed_seconds`; peak RSS is the whole process's.",
      "",
      markdownTable(["debtors", "debtors/s", "seconds", "range (s)", "peak RSS"], rows),
      "",
      scaling.length ? `Time per debtor relative to ${int(smallest)} (1.00× = linear): ${scaling.join(", ")}.` : "",
    ].join("\n"),
    goals: [],
  };
}
