import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConsoleEnv } from "@smartrecover/console/config";
import { dropMysqlDatabase, TEST_MYSQL_SERVER } from "@smartrecover/db-kit";
import { PartnerSyncEnv } from "@smartrecover/partner-sync/config";
import { type LocalSqsServer, startLocalSqs } from "@smartrecover/queue";
import { RiskServiceEnv } from "@smartrecover/risk-service/config";
import { loadOrCreateSigningKey, signingKeyPath } from "@smartrecover/service-kit";
import { createTestTokens } from "@smartrecover/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appServices,
  commandOf,
  dependenciesOf,
  environmentOf,
  healthcheckOf,
  loadCompose,
} from "./support/compose-file";
import { rewriteAddresses } from "./support/containers";
import { REPO_ROOT, runCommand } from "./support/run-command";

// docker compose up, rehearsed without Docker: every container of our image runs its compose
// command unchanged, in compose's dependency order, with compose's environment; only addresses
// change (the test MySQL server and an in-process fauxqs stand in for mysql and localstack; ports
// are free ones on loopback). What CI proves here is what the containers will run.

const compose = loadCompose();
const configVariables = new Set([
  ...Object.keys(RiskServiceEnv.shape),
  ...Object.keys(PartnerSyncEnv.shape),
  ...Object.keys(ConsoleEnv.shape),
]);
// The image's script shell (Dockerfile ENV), so a SIGTERM to pnpm reaches the service as in a container.
const scriptShell = /npm_config_script_shell=(\S+)/.exec(readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8"))?.[1];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Services in an order compose could start them (dependencies first); mysql and localstack are given. */
function startOrder(given: string[]): string[] {
  const order: string[] = [];
  const pending = appServices(compose).map(([name]) => name);
  while (pending.length > 0) {
    const next = pending.find((name) =>
      Object.keys(dependenciesOf(compose.services[name] ?? {})).every(
        (dep) => given.includes(dep) || order.includes(dep),
      ),
    );
    if (!next) throw new Error(`dependency cycle among ${pending.join(", ")}`);
    order.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return order;
}

describe("docker compose up, rehearsed natively with compose's commands and environment", () => {
  const suffix = randomBytes(4).toString("hex");
  const databases = {
    risk_service: `sr_test_compose_risk_${suffix}`,
    partner_sync: `sr_test_compose_partner_${suffix}`,
    console: `sr_test_compose_console_${suffix}`,
  };
  // Stands in for the shared auth-key volume: one DATA_DIR, so one signing key file for all.
  const dataDir = mkdtempSync(join(tmpdir(), "compose-rehearsal-"));
  const mysqlHost = new URL(TEST_MYSQL_SERVER).host;
  const running = new Map<string, { child: ChildProcess; output: () => string; exited: Promise<number | null> }>();
  const outputs = new Map<string, string>();
  let sqs: LocalSqsServer;
  let addresses: Record<string, string>;
  let ports: Record<string, string>;

  function envFor(name: string): Record<string, string> {
    const env = rewriteAddresses(environmentOf(compose.services[name] ?? {}), addresses);
    for (const [key, value] of Object.entries(env)) {
      if (key === "HOST") env[key] = "127.0.0.1";
      if (key.endsWith("_API_PORT") || key === "CONSOLE_PORT") env[key] = ports[value] ?? value;
    }
    env.DATA_DIR = dataDir;
    // As in a container: only compose's variables reach the service, none from this shell.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !configVariables.has(key)));
    return {
      ...inherited,
      ...(scriptShell ? { npm_config_script_shell: scriptShell } : {}),
      DATA_DIR: dataDir,
      ...env,
    } as Record<string, string>;
  }

  function healthcheckFor(name: string): string[] {
    const [kind, ...test] = healthcheckOf(compose.services[name] ?? {}) ?? [];
    expect(kind, `${name} needs an exec-form healthcheck`).toBe("CMD");
    return test.map((arg) =>
      arg.replace(/:(\d+)\//, (match, port: string) => (ports[port] ? `:${ports[port]}/` : match)),
    );
  }

  async function startService(name: string): Promise<void> {
    const [file = "", ...args] = commandOf(compose.services[name] ?? {});
    const child = spawn(file, args, {
      cwd: REPO_ROOT,
      env: envFor(name),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    running.set(name, { child, output: () => output, exited });
    const deadline = Date.now() + 60_000;
    while ((await runCommand(healthcheckFor(name))).code !== 0) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} never became healthy:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  beforeAll(async () => {
    sqs = await startLocalSqs();
    ports = { "3000": String(await freePort()), "3001": String(await freePort()), "3002": String(await freePort()) };
    addresses = {
      "mysql:3306/risk_service": `${mysqlHost}/${databases.risk_service}`,
      "mysql:3306/partner_sync": `${mysqlHost}/${databases.partner_sync}`,
      "mysql:3306/console": `${mysqlHost}/${databases.console}`,
      "localstack:4566": new URL(sqs.endpoint).host,
      "risk-service:3000": `127.0.0.1:${ports["3000"]}`,
      "partner-sync:3001": `127.0.0.1:${ports["3001"]}`,
    };
    for (const name of startOrder(["mysql", "localstack"])) {
      if (compose.services[name]?.restart === "no") {
        const result = await runCommand(commandOf(compose.services[name] ?? {}), envFor(name));
        expect(result.code, `${name}: ${result.stderr}`).toBe(0);
        outputs.set(name, result.stdout);
      } else {
        await startService(name);
      }
    }
  }, 600_000);

  afterAll(async () => {
    for (const { child } of running.values()) {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
    }
    await sqs?.stop();
    const base = TEST_MYSQL_SERVER.replace(/\/+$/, "");
    await Promise.all(Object.values(databases).map((db) => dropMysqlDatabase(`${base}/${db}`)));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("when the pipeline jobs have run, then every high-priority debtor was published and partner-sync reconciled each one", async () => {
    expect(outputs.get("generate-debtors")).toMatch(/Generated 30,000 debtors/);
    const report = outputs.get("process-debtors") ?? "";
    // Queued = outbox rows of this run; the flush at its end or risk-service's relay publishes them.
    const queued = Number(/Messages queued\s+([\d,]+)/.exec(report)?.[1]?.replaceAll(",", ""));
    expect(queued).toBeGreaterThan(0);
    expect(report).toMatch(/Still pending\s+0\b/);
    const summaryUrl = `http://127.0.0.1:${ports["3001"]}/api/partner_sync/summary/`;
    // Without a token the API refuses; with one signed by the key the services generated and share, it answers.
    expect((await fetch(summaryUrl)).status).toBe(401);
    expect(existsSync(signingKeyPath(dataDir))).toBe(true);
    const tokens = createTestTokens({ signingKey: await loadOrCreateSigningKey(dataDir) });
    const headers = { authorization: `Bearer ${await tokens.token("viewer", { subject: "ci" })}` };
    let reconciled = 0;
    for (const deadline = Date.now() + 240_000; reconciled < queued && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const summary = (await (await fetch(summaryUrl, { headers })).json()) as { reconciliation: { total: number } };
      reconciled = summary.reconciliation.total;
    }
    expect(reconciled).toBe(queued);
  }, 300_000);

  it("when the services get SIGTERM through pnpm, as docker compose stop sends it, then they shut down gracefully and exit 0", async () => {
    expect([...running.keys()].sort()).toEqual(["console", "partner-sync", "risk-service"]);
    for (const [name, service] of running) {
      service.child.kill("SIGTERM");
      expect(await service.exited, `${name}:\n${service.output().slice(-2000)}`).toBe(0);
      expect(service.output(), name).toContain('"msg":"shutting down"');
    }
  }, 60_000);
});
