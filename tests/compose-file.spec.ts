import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConsoleEnv } from "@smartrecover/console/config";
import { PartnerSyncEnv } from "@smartrecover/partner-sync/config";
import { RiskServiceEnv } from "@smartrecover/risk-service/config";
import { commonEnv } from "@smartrecover/service-kit";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  appServices,
  commandOf,
  dependenciesOf,
  environmentOf,
  healthcheckOf,
  interpolate,
  loadCompose,
} from "./support/compose-file";
import { REPO_ROOT, runCommand } from "./support/run-command";

const compose = loadCompose();
const services = compose.services;
const QueueEnv = z.object(commonEnv);
const rootScripts: Record<string, string> = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts;

/** Which configuration schemas the process started by each command reads. */
function schemasFor(command: string[]): z.ZodObject[] {
  const [, script, subcommand] = command;
  if (script === "start:risk-service") return [RiskServiceEnv];
  if (script === "start:partner-sync") return [PartnerSyncEnv];
  if (script === "start:console") return [ConsoleEnv as unknown as z.ZodObject];
  if (script !== "cli") return [];
  const bySubcommand: Record<string, z.ZodObject[]> = {
    "db-migrate": [RiskServiceEnv, PartnerSyncEnv, ConsoleEnv as unknown as z.ZodObject],
    "queues-setup": [QueueEnv],
    "generate-test-debtors": [RiskServiceEnv],
    "process-debtors": [RiskServiceEnv],
  };
  return bySubcommand[subcommand ?? ""] ?? [];
}

const environment = (name: string) =>
  Object.fromEntries(Object.entries(environmentOf(services[name] ?? {})).map(([k, v]) => [k, interpolate(v)]));
const isJob = (name: string) => services[name]?.restart === "no";

describe("docker-compose.yml", () => {
  it("when parsed, then it defines the databases, the queue, the one-shot jobs, both services, the console and the pipeline", () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        "console",
        "generate-debtors",
        "localstack",
        "migrate",
        "mysql",
        "partner-sync",
        "process-debtors",
        "queues-setup",
        "risk-service",
      ].sort(),
    );
    expect(appServices(compose).map(([name]) => name)).not.toContain("mysql");
    expect(services.mysql?.image).toMatch(/^mysql:8(\.\d+)*$/);
    // `latest` needs a paid auth token; a pinned 4.x tag does not.
    expect(services.localstack?.image).toMatch(/^localstack\/localstack:4\.\d+(\.\d+)?$/);
  });

  it.each(appServices(compose))(
    "when %s starts, then every variable it gets is one its config schemas know and accept",
    (name, service) => {
      const schemas = schemasFor(commandOf(service));
      expect(schemas.length, `no config schema known for the command of ${name}`).toBeGreaterThan(0);
      const known = new Set(schemas.flatMap((schema) => Object.keys(schema.shape)));
      const env = environment(name);
      expect(Object.keys(env).filter((key) => !known.has(key))).toEqual([]);
      for (const schema of schemas) {
        const relevant = Object.fromEntries(Object.entries(env).filter(([key]) => key in schema.shape));
        const parsed = schema.safeParse(relevant);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      }
    },
  );

  it("when a service reaches a database, then it is its own database on the mysql service", () => {
    const urls = appServices(compose).flatMap(([name]) =>
      Object.entries(environment(name))
        .filter(([key]) => key.endsWith("_DATABASE_URL"))
        .map(([key, value]) => ({ key, url: new URL(value) })),
    );
    expect(urls.length).toBeGreaterThan(0);
    const databaseOf = {
      RISK_DATABASE_URL: "/risk_service",
      PARTNER_SYNC_DATABASE_URL: "/partner_sync",
      CONSOLE_DATABASE_URL: "/console",
    };
    for (const { key, url } of urls) {
      expect(url.protocol).toBe("mysql:");
      expect(url.hostname).toBe("mysql");
      expect(url.port || "3306").toBe("3306");
      expect(url.pathname).toBe(databaseOf[key as keyof typeof databaseOf]);
    }
  });

  it("when a service reaches SQS, then it is LocalStack, with the region and queue names LocalStack's ready hook creates", () => {
    const hook = environment("localstack");
    const queueUsers = appServices(compose).filter(([name]) => "SQS_ENDPOINT" in environment(name));
    expect(queueUsers.map(([name]) => name).sort()).toEqual(
      ["partner-sync", "process-debtors", "queues-setup", "risk-service"].sort(),
    );
    for (const [name] of queueUsers) {
      const env = environment(name);
      expect(new URL(env.SQS_ENDPOINT ?? "").host).toBe("localstack:4566");
      expect(env.AWS_REGION).toBe(hook.AWS_DEFAULT_REGION);
      expect(env.SQS_QUEUE_NAME).toBe(hook.SQS_QUEUE_NAME);
      expect(env.SQS_DLQ_NAME).toBe(hook.SQS_DLQ_NAME);
    }
  });

  it("when the infrastructure and both services run, then each has a healthcheck, the services probing their own API port", () => {
    for (const name of ["mysql", "localstack", "risk-service", "partner-sync", "console"]) {
      expect(healthcheckOf(services[name] ?? {}), name).toBeDefined();
    }
    const ports = {
      "risk-service": "RISK_API_PORT",
      "partner-sync": "PARTNER_SYNC_API_PORT",
      console: "CONSOLE_PORT",
    } as const;
    for (const [name, portVariable] of Object.entries(ports)) {
      const [kind, node, probe, url = ""] = healthcheckOf(services[name] ?? {}) ?? [];
      expect([kind, node, probe]).toEqual(["CMD", "node", "docker/healthcheck.mjs"]);
      expect(existsSync(join(REPO_ROOT, probe ?? ""))).toBe(true);
      const target = new URL(url);
      expect(target.hostname).toBe("127.0.0.1");
      expect(target.port).toBe(environment(name)[portVariable]);
      expect(["/readyz", "/healthz"]).toContain(target.pathname);
    }
  });

  it("when one container waits for another, then it waits for a job to succeed and for a service to be healthy", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
        expect(services[dependency], `${name} depends on unknown ${dependency}`).toBeDefined();
        if (isJob(dependency)) {
          expect(condition, `${name} → ${dependency}`).toBe("service_completed_successfully");
        } else {
          expect(condition, `${name} → ${dependency}`).toBe("service_healthy");
          expect(healthcheckOf(services[dependency] ?? {}), dependency).toBeDefined();
        }
      }
    }
    const order = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [name, Object.keys(dependenciesOf(s))]),
    );
    expect(order).toEqual({
      mysql: [],
      localstack: [],
      migrate: ["mysql"],
      "queues-setup": ["localstack"],
      "risk-service": ["migrate", "queues-setup"],
      "partner-sync": ["migrate", "queues-setup"],
      "generate-debtors": ["migrate"],
      "process-debtors": ["generate-debtors", "queues-setup", "partner-sync"],
      console: ["risk-service", "partner-sync"],
    });
  });

  it("when a job runs once, then it is not restarted and has no healthcheck; services restart and stop gracefully", () => {
    const jobs = ["migrate", "queues-setup", "generate-debtors", "process-debtors"];
    for (const job of jobs) {
      expect(isJob(job), job).toBe(true);
      expect(healthcheckOf(services[job] ?? {}), job).toBeUndefined();
    }
    for (const name of ["risk-service", "partner-sync", "console"]) {
      expect(services[name]?.restart).toBe("unless-stopped");
      expect(services[name]?.init, `${name} needs an init process to forward SIGTERM`).toBe(true);
    }
  });

  it("when our image runs, then every command is `pnpm <root script>` and each start script is one a service runs", () => {
    for (const [name, service] of appServices(compose)) {
      const [pnpm, script = ""] = commandOf(service);
      expect(pnpm, name).toBe("pnpm");
      expect(rootScripts, `${name} runs pnpm ${script}`).toHaveProperty([script]);
      if (!isJob(name)) expect(script, name).toMatch(/^start:/);
    }
  });

  it("when a job runs `pnpm cli <command> <options>`, then the CLI has that command and those options", async () => {
    const cliCommands = appServices(compose)
      .map(([, service]) => commandOf(service))
      .filter((command) => command[1] === "cli");
    expect(cliCommands.length).toBeGreaterThanOrEqual(4);
    for (const [, , subcommand = "", ...args] of cliCommands) {
      const help = await runCommand(["pnpm", "--silent", "cli", subcommand, "--help"]);
      expect(help.code, help.stderr).toBe(0);
      // Unknown commands print the program's usage instead of their own.
      expect(help.stdout).toMatch(new RegExp(`^Usage: smartrecover ${subcommand} `));
      for (const flag of args.filter((arg) => arg.startsWith("--"))) expect(help.stdout, subcommand).toContain(flag);
    }
  });

  it("when the console calls the services, then it names them by their compose host and port, and shares their signing key", () => {
    const env = environment("console");
    expect(new URL(env.RISK_SERVICE_URL ?? "").host).toBe(`risk-service:${environment("risk-service").RISK_API_PORT}`);
    expect(new URL(env.PARTNER_SYNC_URL ?? "").host).toBe(
      `partner-sync:${environment("partner-sync").PARTNER_SYNC_API_PORT}`,
    );
    for (const name of ["risk-service", "partner-sync", "console"]) {
      expect(services[name]?.volumes, name).toContain("auth-key:/app/.data/auth");
    }
  });

  it("when LocalStack becomes ready, then it runs the executable queue script from docker/localstack/ready.d", () => {
    expect(services.localstack?.volumes).toContain("./docker/localstack/ready.d:/etc/localstack/init/ready.d:ro");
    const script = join(REPO_ROOT, "docker/localstack/ready.d/create-queues.sh");
    expect(statSync(script).mode & 0o111).toBe(0o111);
    accessSync(script, constants.X_OK);
    expect(readFileSync(script, "utf8")).toMatch(/^#!\/bin\/bash\n/);
    expect(healthcheckOf(services.localstack ?? {})?.join(" ")).toContain(
      '"name":"create-queues.sh","state":"SUCCESSFUL"',
    );
  });

  it("when both services verify tokens, then they share one signing key: the same auth volume at the image's DATA_DIR/auth, or the same AUTH_SIGNING_KEY", () => {
    const dataDir = /DATA_DIR=(\S+)/.exec(readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8"))?.[1];
    expect(dataDir).toBe("/app/.data");
    for (const name of ["risk-service", "partner-sync"]) {
      expect(services[name]?.volumes, name).toContain(`auth-key:${dataDir}/auth`);
      expect(environmentOf(services[name] ?? {}).AUTH_SIGNING_KEY, name).toMatch(/^\$\{AUTH_SIGNING_KEY:-\}$/);
    }
    expect(Object.keys(compose.volumes ?? {})).toContain("auth-key");
  });
});
