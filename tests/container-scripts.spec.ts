import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthcheckOf, interpolate, loadCompose } from "./support/compose-file";
import { REPO_ROOT, runCommand } from "./support/run-command";

let bin: string;

/** Puts a stand-in for a command in `bin`: a Node script that logs its arguments (fresh log) and replies. */
function fakeCommand(name: string, reply: string): void {
  const log = join(bin, `${name}.log`);
  rmSync(log, { force: true });
  writeFileSync(
    join(bin, name),
    `#!${process.execPath}
const args = process.argv.slice(2);
require("node:fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
${reply}
`,
  );
  chmodSync(join(bin, name), 0o755);
}

const calls = (name: string): string[][] =>
  readFileSync(join(bin, `${name}.log`), { encoding: "utf8", flag: "a+" })
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), "smartrecover-fake-bin-"));
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe("docker/healthcheck.mjs", () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === "/readyz" ? 200 : 503;
      response.end();
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const probe = (url: string) => runCommand([process.execPath, "docker/healthcheck.mjs", url]);

  it("when the URL answers 200, then it exits 0", async () => {
    expect((await probe(`${base}/readyz`)).code).toBe(0);
  });

  it("when the URL answers 503, then it exits 1 and says so", async () => {
    const result = await probe(`${base}/not-ready`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("answered 503");
  });

  it("when nothing listens, then it exits 1", async () => {
    server.closeAllConnections();
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    expect((await probe(`http://127.0.0.1:${port}/readyz`)).code).toBe(1);
  });
});

describe("LocalStack's ready hook and healthcheck", () => {
  const hook = join(REPO_ROOT, "docker/localstack/ready.d/create-queues.sh");
  const arn = "arn:aws:sqs:eu-west-1:000000000000:orders-dlq";

  it("when the hook runs, then it creates the dead-letter queue first and gives the main queue a redrive policy to it", async () => {
    fakeCommand(
      "awslocal",
      `if (args[1] === "create-queue") console.log("http://localstack:4566/queue/eu-west-1/000000000000/" + args[3]);
if (args[1] === "get-queue-attributes") console.log(${JSON.stringify(arn)});`,
    );
    const env = { PATH: `${bin}:${process.env.PATH}`, SQS_QUEUE_NAME: "orders", SQS_DLQ_NAME: "orders-dlq" };
    const result = await runCommand([hook], { ...env, SQS_MAX_RECEIVE_COUNT: "3" });
    expect(result.code, result.stderr).toBe(0);
    const made = calls("awslocal");
    const created = made.filter((args) => args[1] === "create-queue").map((args) => args[3]);
    expect(created).toEqual(["orders-dlq", "orders"]);
    const [dlqAttributes, mainAttributes] = made.filter((args) => args[1] === "set-queue-attributes");
    expect(dlqAttributes).toContain("MessageRetentionPeriod=1209600");
    const attributes = JSON.parse(mainAttributes?.at(-1) ?? "{}");
    expect(JSON.parse(attributes.RedrivePolicy)).toEqual({ deadLetterTargetArn: arn, maxReceiveCount: "3" });
    expect(mainAttributes).toContain("http://localstack:4566/queue/eu-west-1/000000000000/orders");
  });

  it("when a queue call fails, then the hook fails (LocalStack marks it ERROR and stays unhealthy)", async () => {
    fakeCommand("awslocal", `if (args[1] === "create-queue") process.exit(254);`);
    const result = await runCommand([hook], { PATH: `${bin}:${process.env.PATH}` });
    expect(result.code).not.toBe(0);
    expect(calls("awslocal").filter((args) => args[1] === "set-queue-attributes")).toEqual([]);
  });

  const readyBody = (state: string, completed = true) =>
    JSON.stringify({ completed, scripts: [{ stage: "READY", name: "create-queues.sh", state }] }, null, 1);

  it.each([
    ["SUCCESSFUL", true, 0],
    ["ERROR", true, 1],
    ["RUNNING", false, 1],
  ])("when the hook is %s (stage completed: %s), then the healthcheck exits %i", async (state, completed, code) => {
    fakeCommand("curl", `process.stdout.write(${JSON.stringify(readyBody(state as string, completed as boolean))});`);
    const [kind, shell = ""] = healthcheckOf(loadCompose().services.localstack ?? {}) ?? [];
    expect(kind).toBe("CMD-SHELL");
    const result = await runCommand(["sh", "-c", interpolate(shell)], { PATH: `${bin}:${process.env.PATH}` });
    expect(result.code).toBe(code);
    expect(calls("curl").at(-1)).toContain("http://localhost:4566/_localstack/init/ready");
  });
});
