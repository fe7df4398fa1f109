import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createLogger } from "@smartrecover/service-kit";
import autocannon from "autocannon";
import Fastify from "fastify";
import { buildConsoleApp } from "../src/server/app";
import { openConsoleDatabase } from "../src/server/auth/console.database";
import { DbSessionStore } from "../src/server/auth/db-session.store";
import { DbUserStore } from "../src/server/auth/db-user.store";
import { UserAdmin } from "../src/server/auth/user-admin";
import { loadConsoleConfig } from "../src/server/config";

// What the console's proxy adds to a small GET: the same request straight to a stand-in
// service and through the console (session lookup, bearer token, forwarding). The stand-in,
// the console and the load generator run as three processes, as they would in production.
// Run: node --import tsx apps/console/bench/proxy-overhead.bench.ts [seconds] [connections] [runs]

const PATH = "/api/partner_sync/discrepancies/counts/";
const USER = { name: "bench", password: "bench-password-1" };

async function serveUpstream(): Promise<string> {
  const upstream = Fastify({ logger: false });
  upstream.get(PATH, async () => ({ OPEN: 12, ACKNOWLEDGED: 3, RESOLVED: 40, AUTO_RESOLVED: 7, assigned_to_me: 2 }));
  return upstream.listen({ host: "127.0.0.1", port: 0 });
}

async function serveConsole(upstreamUrl: string, dir: string): Promise<string> {
  const config = loadConsoleConfig({
    DATA_DIR: dir,
    PARTNER_SYNC_URL: upstreamUrl,
    RISK_SERVICE_URL: upstreamUrl,
    AUTH_SIGNING_KEY: "bench-signing-key-0123456789-0123456789",
  });
  const db = await openConsoleDatabase(config.CONSOLE_DATABASE_URL);
  const users = new DbUserStore(db);
  const sessions = new DbSessionStore(db);
  await new UserAdmin(users, sessions, { N: 2 ** 10, r: 8, p: 1 }).add(USER.name, "viewer", USER.password);
  // Request logging on, as in production, into a pipe nobody reads.
  const logger = createLogger({
    level: process.env.BENCH_LOG_LEVEL ?? "info",
    name: "console",
    pretty: false,
    destination: "stderr",
  });
  const app = await buildConsoleApp(config, { logger, users, sessions });
  return app.listen({ host: "127.0.0.1", port: 0 });
}

/** Starts this file in another role and waits for the URL it prints. */
function child(args: string[]): Promise<{ process: ChildProcess; url: string }> {
  const started = spawn(process.execPath, ["--import", "tsx", import.meta.filename, ...args], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    started.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    createInterface({ input: started.stdout as NodeJS.ReadableStream }).once("line", (url) =>
      resolve({ process: started, url }),
    );
  });
}

async function measure(url: string, connections: number, seconds: number, headers: Record<string, string>) {
  const result = await autocannon({ url, connections, duration: seconds, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  // autocannon's latencies are whole milliseconds; the mean time in flight (Little's law) is finer.
  return {
    rps: result.requests.average,
    mean: (connections * 1000) / result.requests.average,
    p99: result.latency.p99,
  };
}

async function orchestrate(seconds: number, connections: number, runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "console-bench-"));
  const upstream = await child(["upstream"]);
  const consoleServer = await child(["console", upstream.url, dir]);
  try {
    const signIn = await fetch(`${consoleServer.url}/console/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: USER.name, password: USER.password }),
    });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    process.stdout.write(`${connections} connections, ${seconds} s per measurement\n`);
    for (let run = 1; run <= runs; run++) {
      const direct = await measure(`${upstream.url}${PATH}`, connections, seconds, {});
      const proxied = await measure(`${consoleServer.url}${PATH}`, connections, seconds, { cookie });
      process.stdout.write(
        `run ${run}: direct ${direct.rps.toFixed(0)} req/s (mean ${direct.mean.toFixed(2)} ms, p99 ${direct.p99} ms) | ` +
          `via console ${proxied.rps.toFixed(0)} req/s (mean ${proxied.mean.toFixed(2)} ms, p99 ${proxied.p99} ms) | ` +
          `added ${(proxied.mean - direct.mean).toFixed(2)} ms per request\n`,
      );
    }
  } finally {
    upstream.process.kill();
    consoleServer.process.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [role, ...rest] = process.argv.slice(2);
if (role === "upstream") process.stdout.write(`${await serveUpstream()}\n`);
else if (role === "console") {
  // Exit cleanly on SIGINT so --cpu-prof can write its profile.
  process.once("SIGINT", () => process.exit(0));
  process.stdout.write(`${await serveConsole(rest[0] ?? "", rest[1] ?? "")}\n`);
} else {
  const [seconds = 5, connections = 10, runs = 3] = [role, ...rest].filter(Boolean).map(Number);
  await orchestrate(seconds, connections, runs);
}
