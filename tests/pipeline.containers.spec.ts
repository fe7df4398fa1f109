import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import { Network, type StartedNetwork, type StartedTestContainer } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandOf, environmentOf, loadCompose } from "./support/compose-file";
import {
  type DockerAvailability,
  dockerAvailability,
  rewriteAddresses,
  startComposeService,
} from "./support/containers";
import { runCommand } from "./support/run-command";

// `pnpm test:containers` (vitest.containers.config.ts) sets SMARTRECOVER_CONTAINER_TESTS. Without
// Docker the suite is skipped with a message; SMARTRECOVER_REQUIRE_DOCKER=1 (CI) makes that an error.
const optedIn = process.env.SMARTRECOVER_CONTAINER_TESTS === "1";
const docker: DockerAvailability = optedIn
  ? await dockerAvailability()
  : { available: false, reason: "opt-in suite: run `pnpm test:containers`" };
if (optedIn && !docker.available) {
  const message = `Docker is needed for the containers suite (MySQL 8 and LocalStack through testcontainers): ${docker.reason}`;
  if (process.env.SMARTRECOVER_REQUIRE_DOCKER === "1") throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
}
const title = "pipeline on docker compose's MySQL 8 and LocalStack";
const skipped = optedIn ? "Docker is needed" : "opt-in, run pnpm test:containers";

describe.skipIf(!docker.available)(docker.available ? title : `${title} (skipped: ${skipped})`, () => {
  const compose = loadCompose();
  let network: StartedNetwork;
  let mysql: StartedTestContainer;
  let localstack: StartedTestContainer;
  let addresses: Record<string, string>;
  let sqs: SQSClient;

  const service = (name: string) => {
    const found = compose.services[name];
    if (!found) throw new Error(`docker-compose.yml has no ${name} service`);
    return found;
  };
  const envOf = (name: string) => rewriteAddresses(environmentOf(service(name)), addresses);
  const queueEnv = () => envOf("queues-setup");

  /** Runs a job's compose command unchanged, except for the values given in `overrides`. */
  async function runJob(name: string, overrides: Record<string, string> = {}) {
    const command = commandOf(service(name));
    for (const [option, value] of Object.entries(overrides)) {
      const at = command.indexOf(option);
      expect(at, `${name} has no ${option}`).toBeGreaterThan(0);
      command[at + 1] = value;
    }
    const result = await runCommand(command, envOf(name));
    expect(result.code, `${command.join(" ")}\n${result.stderr}`).toBe(0);
    return result;
  }

  beforeAll(async () => {
    network = await new Network().start();
    [mysql, localstack] = await Promise.all([
      startComposeService("mysql", service("mysql"), 3306, network),
      startComposeService("localstack", service("localstack"), 4566, network),
    ]);
    addresses = {
      "mysql:3306": `${mysql.getHost()}:${mysql.getMappedPort(3306)}`,
      "localstack:4566": `${localstack.getHost()}:${localstack.getMappedPort(4566)}`,
    };
    const env = queueEnv();
    sqs = new SQSClient({
      region: env.AWS_REGION ?? "",
      endpoint: env.SQS_ENDPOINT ?? "",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  }, 300_000);

  afterAll(async () => {
    sqs?.destroy();
    await Promise.all([mysql?.stop(), localstack?.stop()]);
    await network?.stop();
  });

  async function queueUrl(name: string) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    return QueueUrl ?? "";
  }

  async function attributes(url: string) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }),
    );
    return Attributes;
  }

  it("when LocalStack reports healthy, then its ready hook has created both queues with the redrive policy", async () => {
    const env = queueEnv();
    const dlq = await attributes(await queueUrl(env.SQS_DLQ_NAME ?? ""));
    const main = await attributes(await queueUrl(env.SQS_QUEUE_NAME ?? ""));
    const policy = JSON.parse(main.RedrivePolicy ?? "{}");
    expect(policy.deadLetterTargetArn).toBe(dlq.QueueArn);
    expect(Number(policy.maxReceiveCount)).toBe(5);
    expect(dlq.MessageRetentionPeriod).toBe("1209600");
  });

  it("when compose's jobs run, then every high-priority debtor ends up as a valid message on the LocalStack queue", async () => {
    await runJob("migrate");
    await runJob("queues-setup");
    await runJob("generate-debtors", { "--count": "300" });
    const processed = await runJob("process-debtors");

    const published = Number(/Messages published\s+([\d,]+)/.exec(processed.stdout)?.[1]?.replaceAll(",", ""));
    expect(published).toBeGreaterThan(0);
    expect(processed.stdout).toMatch(/Still pending\s+0\b/);
    const env = queueEnv();
    const main = await queueUrl(env.SQS_QUEUE_NAME ?? "");
    expect(Number((await attributes(main)).ApproximateNumberOfMessages)).toBe(published);
    expect(Number((await attributes(await queueUrl(env.SQS_DLQ_NAME ?? ""))).ApproximateNumberOfMessages)).toBe(0);

    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: main, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect(Messages.length).toBeGreaterThan(0);
    for (const message of Messages) {
      expect(HighPriorityDebtorMessage.safeParse(JSON.parse(message.Body ?? "")).success, message.Body).toBe(true);
    }
  });
});
