// HTTP load on the risk-service API: autocannon against `server.ts` started as its own process on
// 127.0.0.1 over COUNT generated debtors: single-debtor and list reads, updates and creations.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { dropMysqlDatabase } from "@smartrecover/db-kit";
import {
  type BenchSection,
  type BenchSettings,
  int,
  log,
  markdownTable,
  median,
  repoRoot,
  runCli,
  spread,
  withTempDir,
} from "./bench-kit";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  requests: Array<{ setupRequest: (request: AutocannonRequest) => AutocannonRequest }>;
}
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)("autocannon") as (o: AutocannonOptions) => Promise<AutocannonResult>;

const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);
const API = "/api/risk_service";
const GOAL_READS = 3_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  // Request logging stays on (info), as in production; the lines go to /dev/null.
  // No queue configured: the outbox relay stays idle and the API alone is measured.
  const { SQS_ENDPOINT: _unused, ...env } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "apps/risk-service/src/server.ts"], {
    cwd: repoRoot,
    env: { ...env, RISK_DATABASE_URL: databaseUrl, RISK_API_PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  // Should this process die first, the server must not outlive it.
  const orphanGuard = () => child.kill("SIGTERM");
  process.once("exit", orphanGuard);
  child.once("exit", () => process.removeListener("exit", orphanGuard));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopServer(child);
  throw new Error("server did not become ready");
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

interface Scenario {
  name: string;
  kind: "read" | "write";
  request: (count: number) => AutocannonRequest;
}

const randomId = (count: number) => 1 + Math.floor(Math.random() * count);
const listCursor = (afterId: number) => Buffer.from(JSON.stringify({ id: afterId })).toString("base64url");
const json = { "content-type": "application/json" };

const SCENARIOS: Scenario[] = [
  {
    name: "GET /debtors/:id/",
    kind: "read",
    request: (n) => ({ method: "GET", path: `${API}/debtors/${randomId(n)}/` }),
  },
  {
    name: "GET /debtors/?limit=50 (random page)",
    kind: "read",
    request: (n) => ({
      method: "GET",
      path: `${API}/debtors/?limit=50&cursor=${listCursor(randomId(n) - 1)}`,
      headers: {},
    }),
  },
  {
    name: "PATCH /debtors/:id/ (update + re-score)",
    kind: "write",
    request: (n) => ({
      method: "PATCH",
      path: `${API}/debtors/${randomId(n)}/`,
      headers: json,
      body: JSON.stringify({ late_payments_count: Math.floor(Math.random() * 12) }),
    }),
  },
  {
    name: "POST /debtors/ (create + score)",
    kind: "write",
    request: () => ({
      method: "POST",
      path: `${API}/debtors/`,
      headers: json,
      body: JSON.stringify({
        name: "Bench Debtor",
        total_debt_amount: `${1000 + Math.floor(Math.random() * 90_000)}.00`,
        monthly_income: "2500.00",
        late_payments_count: 3,
        employment_status: "EMPLOYED",
        industry_sector: "RETAIL",
        family_situation: "SINGLE_NO_DEPENDENTS",
      }),
    }),
  },
];

async function load(base: string, scenario: Scenario, count: number, seconds: number) {
  return autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const next = scenario.request(count);
          return { ...request, ...next, headers: { ...request.headers, ...next.headers } };
        },
      },
    ],
  });
}

export async function httpLoadBench(settings: BenchSettings): Promise<BenchSection> {
  const { count, runs } = settings;
  const rows: Array<Array<string | number>> = [];
  const readRates = new Map<string, number>();
  await withTempDir("http", async (dir) => {
    const targets = [
      { name: "SQLite", url: `file:${join(dir, "risk.db")}` },
      { name: "MariaDB", url: `${settings.mysqlServer}/sr_bench_http` },
    ];
    for (const target of targets) {
      if (target.name === "MariaDB") await dropMysqlDatabase(target.url);
      runCli(["generate-test-debtors", "--count", String(count), "--seed", "42", "--clear", "--yes", "--json"], {
        RISK_DATABASE_URL: target.url,
      });
      const { child, base } = await startServer(target.url);
      try {
        const results = new Map<string, AutocannonResult[]>();
        for (const scenario of SCENARIOS) await load(base, scenario, count, 2); // warm-up: JIT, caches, pool
        for (let run = 0; run < runs; run += 1) {
          for (const scenario of SCENARIOS) {
            const result = await load(base, scenario, count, settings.httpSeconds);
            const failures = result.errors + result.timeouts + result.non2xx;
            log(
              `${target.name} ${scenario.name} run ${run + 1}: ${int(result.requests.average)} req/s, ${failures} errors`,
            );
            results.set(scenario.name, [...(results.get(scenario.name) ?? []), result]);
          }
        }
        for (const scenario of SCENARIOS) {
          const list = results.get(scenario.name) ?? [];
          const rates = list.map((r) => r.requests.average);
          const failures = list.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0);
          if (scenario.name.startsWith("GET /debtors/:id/")) readRates.set(target.name, median(rates));
          rows.push([
            target.name,
            scenario.name,
            int(median(rates)),
            spread(rates, int),
            median(list.map((r) => r.latency.p50)),
            median(list.map((r) => r.latency.p99)),
            int(list.reduce((sum, r) => sum + r.requests.total, 0)),
            failures,
          ]);
        }
      } finally {
        await stopServer(child);
      }
      if (target.name === "MariaDB") await dropMysqlDatabase(target.url);
    }
  });
  return {
    title: "HTTP API load",
    body: [
      `autocannon, ${CONNECTIONS} connections, ${settings.httpSeconds} s per run, median of ${runs} runs (after a 2 s warm-up per request kind),`,
      `against \`server.ts\` started as its own process on 127.0.0.1 (request logging on) over ${int(count)} generated debtors`,
      "(seed 42). Every request asks for a random debtor or page; updates change a random debtor's late payments and re-score it",
      "in one transaction; creations insert and score a new debtor. Client and server share the 2 cores.",
      "",
      markdownTable(["database", "request", "req/s", "range", "p50 ms", "p99 ms", "requests", "errors"], rows),
    ].join("\n"),
    goals: [...readRates].map(([database, rate]) => ({
      goal: `HTTP single-debtor reads on ${database} ≥ ${int(GOAL_READS)} req/s`,
      measured: `${int(rate)} req/s`,
      met: rate >= GOAL_READS,
    })),
  };
}

// `pnpm bench:http` runs this file alone (the same as `pnpm bench http`).
if (import.meta.main) {
  const { benchSettings } = await import("./bench-kit");
  const section = await httpLoadBench(benchSettings(process.argv.slice(2), process.env));
  console.log(`\n## ${section.title}\n\n${section.body}\n`);
}
