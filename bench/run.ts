// `pnpm bench [suite …] [--quick]`: runs the benchmark suites and, when all of them ran in full,
// writes docs/benchmarks.md. Suites run what they measure as separate processes where it
// matters (the CLI as users run it, servers and fauxqs in processes of their own) and stop
// everything they start.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BenchSection, type BenchSettings, benchSettings, fixed, markdownTable, repoRoot } from "./bench-kit";
import { consoleBench } from "./console.bench";
import { generateBench } from "./generate.bench";
import { httpLoadBench } from "./http-load";
import { type MachineState, machineDescription, machineState, machineTable } from "./machine";
import { partnerBookBench } from "./partner-book.bench";
import { pipelineBench } from "./pipeline.bench";
import { processingBench } from "./processing.bench";
import { queueBench } from "./queue.bench";
import { startupBench } from "./startup.bench";

const SUITES: Record<string, (settings: BenchSettings) => Promise<BenchSection>> = {
  startup: startupBench,
  generate: generateBench,
  processing: processingBench,
  queue: queueBench,
  pipeline: pipelineBench,
  http: httpLoadBench,
  "partner-book": partnerBookBench,
  console: consoleBench,
};

const args = process.argv.slice(2);
const names = args.filter((arg) => !arg.startsWith("--"));
const unknown = names.filter((name) => !(name in SUITES));
if (unknown.length > 0) {
  console.error(`unknown suite ${unknown.join(", ")}; suites: ${Object.keys(SUITES).join(", ")}`);
  process.exit(2);
}
const settings = benchSettings(args, process.env);
const selected = names.length > 0 ? names : Object.keys(SUITES);

// The suites run the compiled CLI (as `pnpm cli` does); build it first when a source changed.
const build = spawnSync(process.execPath, ["tools/build.mjs", "--if-stale", "--quiet"], {
  cwd: repoRoot,
  stdio: "inherit",
});
if (build.status !== 0) process.exit(build.status ?? 1);

const started = performance.now();
const description = await machineDescription(settings);
const states: MachineState[] = [];
const sections: BenchSection[] = [];
for (const name of selected) {
  states.push(machineState(name));
  console.error(`bench: ${name}`);
  const section = await (SUITES[name] as (s: BenchSettings) => Promise<BenchSection>)(settings);
  console.log(`\n## ${section.title}\n\n${section.body}\n`);
  sections.push(section);
}
states.push(machineState("(end)"));
const minutes = (performance.now() - started) / 60_000;

const goals = sections.flatMap((section) => section.goals);
const document = [
  "# Benchmarks",
  "",
  "Written by `pnpm bench` (all suites, 10 to 15 minutes depending on the machine). `pnpm bench <suite>` runs one suite and prints it without",
  `writing this page; suites: ${Object.keys(SUITES)
    .map((s) => `\`${s}\``)
    .join(", ")}. \`--quick\` runs small sizes once, as a smoke test.`,
  "Knobs: `BENCH_RUNS` (default 3), `BENCH_COUNT` (debtors for the queue, pipeline, HTTP and MariaDB rows; 30000),",
  "`BENCH_GENERATE_COUNTS` (30000,100000), `BENCH_PROCESS_COUNTS` (30000,100000,1000000), `BENCH_HTTP_SECONDS` (5),",
  "`BENCH_HTTP_CONNECTIONS` (10), `BENCH_CONSUMER_CONCURRENCY` (the service default), `SMARTRECOVER_TEST_MYSQL_URL`.",
  "",
  `Measured ${new Date().toISOString().slice(0, 10)} on ${description}. The run took ${fixed(minutes, 1)} minutes.`,
  'Figures are medians; "range" is the fastest and slowest run behind each. The machine is shared: before each suite the',
  "table below records the load average and two fixed probes (scoring 300,000 debtors in-process; writing and fsyncing",
  "64 random pages). A probe well above its usual value means that suite ran on a busy machine.",
  "",
  machineTable(states),
  "",
  "## Goals",
  "",
  markdownTable(
    ["goal", "measured (median)", "met"],
    goals.map((goal) => [goal.goal, goal.measured, goal.met ? "yes" : "**no**"]),
  ),
  "",
  ...sections.map((section) => `## ${section.title}\n\n${section.body}\n`),
  // The profile analysis is written by hand; it is kept with the code it describes.
  readFileSync(join(repoRoot, "bench/analysis.md"), "utf8"),
].join("\n");

const complete = names.length === 0 && !settings.quick;
if (complete) writeFileSync(join(repoRoot, "docs/benchmarks.md"), document);
else
  console.log(
    `\n## Goals\n\n${document.slice(document.indexOf("## Goals") + 10, document.indexOf("\n## ", document.indexOf("## Goals") + 10))}`,
  );
console.error(`bench: done in ${fixed(minutes, 1)} minutes${complete ? "; wrote docs/benchmarks.md" : ""}`);
