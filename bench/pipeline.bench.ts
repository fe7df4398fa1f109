// The whole pipeline as `pnpm demo` runs it (one process: fauxqs and partner-sync's consumer in
// threads of their own, SQLite files): generate → process → publish → reconcile until drained.
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

interface Stage {
  count: number;
  seconds: number;
}
interface DemoSummary {
  stages: {
    generate: Stage;
    process: Stage;
    publish: Stage;
    reconcile: Stage & { dead_lettered: number; duplicates: number };
    total_seconds: number;
  };
}

const GOAL_SECONDS = 10;
const STAGES = ["generate", "process", "publish", "reconcile"] as const;

export async function pipelineBench(settings: BenchSettings): Promise<BenchSection> {
  const runs: Array<{ summary: DemoSummary; wall: number; rss: number | null }> = [];
  await withTempDir("pipeline", async (dir) => {
    for (let run = 0; run < settings.runs; run += 1) {
      const result = runCli<DemoSummary>(["demo", "--count", String(settings.count), "--json"], {
        DATA_DIR: join(dir, String(run)),
      });
      const { stages } = result.output;
      if (stages.reconcile.count !== stages.publish.count) {
        throw new Error(`reconciled ${stages.reconcile.count} of ${stages.publish.count} published`);
      }
      runs.push({ summary: result.output, wall: result.wallSeconds, rss: result.peakRssMb });
      log(`pipeline run ${run + 1}: ${fixed(stages.total_seconds)} s (process ${fixed(result.wallSeconds)} s)`);
    }
  });
  const of = (pick: (summary: DemoSummary) => number) => runs.map((run) => pick(run.summary));
  const stageRows = STAGES.map((name) => {
    const seconds = of((s) => s.stages[name].seconds);
    const count = (runs[0] as (typeof runs)[number]).summary.stages[name].count;
    const unit = name === "generate" || name === "process" ? "debtors/s" : "msg/s";
    return [
      name,
      int(count),
      fixed(median(seconds)),
      spread(seconds, (v) => fixed(v)),
      `${int(count / median(seconds))} ${unit}`,
    ];
  });
  const total = of((s) => s.stages.total_seconds);
  const sumOfStages = of((s) => STAGES.reduce((sum, name) => sum + s.stages[name].seconds, 0));
  const walls = runs.map((run) => run.wall);
  const rss = runs.flatMap((run) => (run.rss === null ? [] : [run.rss]));
  return {
    title: "Full pipeline (`pnpm demo`)",
    body: [
      `\`pnpm cli demo --count ${settings.count} --json\` as its own process, median of ${settings.runs} runs. fauxqs and partner-sync's`,
      "consumer run in worker threads of the same process. Messages are published after every processing batch and the",
      "consumer reconciles each as soon as it is published, so **publish and reconcile overlap processing**: their seconds",
      "count from the start of processing. Total is generate start to the last reconciliation (queue drained); the process",
      "time adds start-up (module loading, migrations, starting the threads) and shut-down.",
      "",
      markdownTable(["stage", "count", "seconds", "range (s)", "throughput"], stageRows),
      "",
      markdownTable(
        ["", "seconds", "range (s)"],
        [
          ["total, generate → last reconciliation", fixed(median(total)), spread(total, (v) => fixed(v))],
          [
            "sum of the stages (as if run one after another)",
            fixed(median(sumOfStages)),
            spread(sumOfStages, (v) => fixed(v)),
          ],
          ["whole process (start-up to exit)", fixed(median(walls)), spread(walls, (v) => fixed(v))],
        ],
      ),
      "",
      rss.length ? `Peak RSS of the process (all threads): ${median(rss)} MB.` : "",
    ].join("\n"),
    goals: [
      {
        goal: `full pipeline for ${int(settings.count)} debtors ≤ ${GOAL_SECONDS} s (generate → last reconciliation)`,
        measured: `${fixed(median(total))} s (process ${fixed(median(walls))} s)`,
        met: median(total) <= GOAL_SECONDS,
      },
    ],
  };
}
