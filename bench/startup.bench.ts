// Start-up as users pay it: the compiled CLI through `./run` and `pnpm`, against the TypeScript
// sources run through tsx (how every command started before compiled start-up), measured in the
// same run on the same machine. Each command is its own process, timed from spawn to exit.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  type BenchSection,
  type BenchSettings,
  fixed,
  hasGnuTime,
  int,
  log,
  markdownTable,
  median,
  repoRoot,
  spread,
  withTempDir,
} from "./bench-kit";

const TSX_CLI = [process.execPath, "--import", "tsx", "apps/cli/src/main.ts"];
const COMPILED_CLI = [process.execPath, "dist/cli.js"];
/** No queue: process-debtors keeps its messages in the outbox, so the run measures the command alone. */
const NO_QUEUE = { SQS_ENDPOINT: "", AWS_ACCESS_KEY_ID: "", AWS_PROFILE: "", SQS_USE_AWS_DEFAULT_CREDENTIALS: "false" };

interface Timing {
  wall: number;
  /** User + system CPU seconds of the process and its children (GNU time), or NaN without it. */
  cpu: number;
}

/**
 * Wall time is what a user waits; CPU time shows what the command itself costs when other work
 * shares the machine's cores (wall time then includes waiting for a core).
 */
function timed(argv: readonly string[], env: Record<string, string> = {}): Timing {
  const command = hasGnuTime ? ["/usr/bin/time", "-f", "CPU_SECONDS=%U %S", ...argv] : [...argv];
  const started = performance.now();
  const child = spawnSync(command[0] as string, command.slice(1), {
    cwd: repoRoot,
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`${argv.join(" ")} failed (${child.status}): ${child.stderr}`);
  const cpu = /CPU_SECONDS=([\d.]+) ([\d.]+)/.exec(child.stderr);
  return { wall, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN };
}

interface Row {
  label: string;
  runs: Timing[];
  goal?: number;
  baseline?: Timing[];
}

export async function startupBench(settings: BenchSettings): Promise<BenchSection> {
  // Short commands are cheap to repeat, and start-up is noisy on a shared machine.
  const runs = Math.max(settings.runs, 5);
  const repeat = (argv: readonly string[], env?: Record<string, string>, times = runs) =>
    Array.from({ length: times }, () => timed(argv, env));
  // A warm-up of each path first (file cache, a build if a source changed), not counted.
  timed(["./run", "--silent", "cli", "--help"]);
  timed([...TSX_CLI, "--help"]);

  const tsxHelp = repeat([...TSX_CLI, "--help"]);
  const pnpmTsxHelp = repeat(["pnpm", "--silent", "exec", ...TSX_CLI, "--help"]);
  const rows: Row[] = [
    {
      label: "`./run --silent cli --help`",
      runs: repeat(["./run", "--silent", "cli", "--help"]),
      goal: 1.2,
      baseline: pnpmTsxHelp,
    },
    {
      label: "`pnpm --silent cli --help`",
      runs: repeat(["pnpm", "--silent", "cli", "--help"]),
      goal: 0.9,
      baseline: pnpmTsxHelp,
    },
    { label: "`node dist/cli.js --help`", runs: repeat([...COMPILED_CLI, "--help"]), baseline: tsxHelp },
  ];

  const count = settings.count;
  const processRuns = settings.runs;
  const [compiled, fromSource] = await withTempDir("startup", async (dir) => {
    const template = join(dir, "template");
    mkdirSync(template);
    timed([...COMPILED_CLI, "generate-test-debtors", "--count", String(count), "--seed", "7", "--json"], {
      ...NO_QUEUE,
      DATA_DIR: template,
    });
    // Every run starts from the same generated file, so each processes the same debtors once.
    const fresh = (name: string) => {
      const target = join(dir, name);
      mkdirSync(target);
      for (const suffix of ["", "-wal", "-shm"]) {
        const file = join(template, `risk-service.db${suffix}`);
        if (existsSync(file)) copyFileSync(file, join(target, `risk-service.db${suffix}`));
      }
      return { ...NO_QUEUE, DATA_DIR: target };
    };
    const compiledRuns: Timing[] = [];
    const sourceRuns: Timing[] = [];
    for (let run = 0; run < processRuns; run += 1) {
      compiledRuns.push(timed(["./run", "--silent", "cli", "process-debtors", "--json"], fresh(`compiled-${run}`)));
      sourceRuns.push(timed([...TSX_CLI, "process-debtors", "--json"], fresh(`tsx-${run}`)));
      log(
        `process-debtors run ${run + 1}: ${fixed(compiledRuns.at(-1)?.wall ?? 0)} s compiled, ${fixed(sourceRuns.at(-1)?.wall ?? 0)} s tsx`,
      );
    }
    return [compiledRuns, sourceRuns];
  });
  rows.push({
    label: `\`./run --silent cli process-debtors\`, ${int(count)} SQLite debtors`,
    runs: compiled,
    goal: 2.2,
    baseline: fromSource,
  });

  const wall = (timings: Timing[]) => timings.map((t) => t.wall);
  const cpu = (timings: Timing[]) => timings.map((t) => t.cpu);
  const cell = (values: number[]) => `${fixed(median(values))} (${spread(values, (v) => fixed(v))})`;
  const cells = (timings: Timing[] | undefined) =>
    timings ? [cell(wall(timings)), hasGnuTime ? fixed(median(cpu(timings))) : "–"] : ["", ""];
  return {
    title: "Start-up",
    body: [
      `Wall time from spawn to exit, median of ${runs} runs (process-debtors: ${processRuns}), seconds with the range in`,
      "brackets, and the median CPU time (user + system, the process and its children) the command used. The baseline is the same command from the TypeScript sources through tsx, as every command started",
      "before `pnpm build`: `pnpm --silent exec node --import tsx apps/cli/src/main.ts` for the two wrapped commands,",
      "plain `node --import tsx …` for the others. process-debtors runs without a queue (its messages stay in the",
      "outbox), each run on a copy of the same generated database.",
      "",
      markdownTable(
        ["command", "compiled: wall", "CPU", "baseline (tsx): wall", "CPU", "goal (wall)"],
        rows.map((row) => [row.label, ...cells(row.runs), ...cells(row.baseline), row.goal ? `≤ ${row.goal} s` : ""]),
      ),
    ].join("\n"),
    goals: rows.flatMap((row) =>
      row.goal === undefined
        ? []
        : [
            {
              goal: `${row.label} ≤ ${row.goal} s`,
              measured: `${fixed(median(wall(row.runs)))} s, CPU ${fixed(median(cpu(row.runs)))} s (tsx baseline ${fixed(median(wall(row.baseline ?? [])))} s)`,
              met: median(wall(row.runs)) <= row.goal,
            },
          ],
    ),
  };
}
