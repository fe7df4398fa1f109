// `pnpm bench`: runs every benchmark suite and writes docs/benchmarks.md. Suites are separate
// processes where it matters (the CLI is measured as users run it).
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { type BenchSection, repoRoot } from "./bench-kit";
import { httpLoadBench } from "./http-load";
import { processingBench } from "./processing.bench";
import { queueBench } from "./queue";

const suites: Array<{ name: string; run: () => Promise<BenchSection> }> = [
  { name: "processing", run: processingBench },
  { name: "queue", run: queueBench },
  { name: "http", run: httpLoadBench },
];

const only = process.argv.slice(2);
const sections: BenchSection[] = [];
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  console.error(`bench: ${suite.name}`);
  const section = await suite.run();
  console.log(`\n## ${section.title}\n\n${section.body}\n`);
  sections.push(section);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const document = [
  "# Benchmarks",
  "",
  "Written by `pnpm bench` (rerun it to refresh this page; `pnpm bench processing` runs one suite).",
  "Environment knobs: `BENCH_COUNT` (debtors, default 30000), `BENCH_RUNS` (default 3),",
  "`SMARTRECOVER_TEST_MYSQL_URL` (MySQL server, default mysql://root@127.0.0.1:3306).",
  "",
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. Figures are medians; these machines are noisy.`,
  "",
  ...sections.map((s) => `## ${s.title}\n\n${s.body}\n`),
].join("\n");
if (only.length === 0) writeFileSync(join(repoRoot, "docs/benchmarks.md"), document);
