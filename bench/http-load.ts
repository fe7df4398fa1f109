// HTTP load on the risk-service API: autocannon against `server.ts` started as its own process on
// 127.0.0.1 over COUNT generated debtors, for a single-debtor read and a paginated list page.
// `pnpm bench:http` runs it alone; it exports the suite for bench/run.ts.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropMysqlDatabase, TEST_MYSQL_SERVER } from "@smartrecover/db-kit";
import { type BenchSection, markdownTable, repoRoot, runCli } from "./bench-kit";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  requests: Array<{ method: "GET"; setupRequest: (request: { path: string }) => { path: string } }>;
}
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)("autocannon") as (o: AutocannonOptions) => Promise<AutocannonResult>;

const COUNT = Number(process.env.BENCH_COUNT ?? 30_000);
const DURATION = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);
const API = "/api/risk_service";

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
  const child = spawn("node", ["--import", "tsx", "apps/risk-service/src/server.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      RISK_DATABASE_URL: databaseUrl,
      RISK_API_PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
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
  child.kill("SIGTERM");
  throw new Error("server did not become ready");
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

const randomId = () => 1 + Math.floor(Math.random() * COUNT);
const listCursor = (afterId: number) => Buffer.from(JSON.stringify({ id: afterId })).toString("base64url");

const SCENARIOS: Array<{ name: string; path: () => string }> = [
  { name: "GET /debtors/:id/", path: () => `${API}/debtors/${randomId()}/` },
  {
    name: "GET /debtors/?limit=50 (random page)",
    path: () => `${API}/debtors/?limit=50&cursor=${listCursor(randomId() - 1)}`,
  },
];

async function load(base: string, path: () => string, seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: path() }) }],
  });
}

export async function httpLoadBench(): Promise<BenchSection> {
  const rows: Array<Array<string | number>> = [];
  const dir = mkdtempSync(join(tmpdir(), "smartrecover-bench-http-"));
  const targets = [
    { name: "SQLite", url: `file:${join(dir, "risk.db")}` },
    { name: "MariaDB", url: `${TEST_MYSQL_SERVER}/sr_bench_http` },
  ];
  try {
    for (const target of targets) {
      runCli(["generate-test-debtors", "--count", String(COUNT), "--seed", "42", "--clear", "--json"], {
        RISK_DATABASE_URL: target.url,
      });
      const { child, base } = await startServer(target.url);
      try {
        for (const scenario of SCENARIOS) {
          await load(base, scenario.path, 2); // warm-up: JIT, statement caches, connection pool
          const result = await load(base, scenario.path, DURATION);
          const failures = result.errors + result.timeouts + result.non2xx;
          console.error(
            `  ${target.name} ${scenario.name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ${failures} errors`,
          );
          if (failures > 0) throw new Error(`${scenario.name} on ${target.name}: ${failures} failed requests`);
          rows.push([
            target.name,
            scenario.name,
            Math.round(result.requests.average).toLocaleString("en-US"),
            result.latency.p50,
            result.latency.p99,
            result.requests.total.toLocaleString("en-US"),
            failures,
          ]);
        }
      } finally {
        await stopServer(child);
      }
      if (target.url.startsWith("mysql")) await dropMysqlDatabase(target.url);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: "HTTP API load",
    body: [
      `autocannon, ${CONNECTIONS} connections, ${DURATION} s per row after a 2 s warm-up, against \`server.ts\``,
      `started as its own process on 127.0.0.1 (request logging on) over ${COUNT.toLocaleString("en-US")} generated debtors`,
      "(seed 42); every request asks for a random debtor or a random page. Client and server share the machine.",
      "",
      markdownTable(["database", "request", "req/s", "p50 ms", "p99 ms", "requests", "errors"], rows),
    ].join("\n"),
  };
}

if (import.meta.main) {
  const section = await httpLoadBench();
  console.log(`\n## ${section.title}\n\n${section.body}\n`);
}
