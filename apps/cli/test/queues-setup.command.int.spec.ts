import {
  createSqsClient,
  type LocalSqsServer,
  openQueues,
  publishMessages,
  queueDepth,
  receiveMessages,
  startLocalSqs,
} from "@smartrecover/queue";
import { NO_AWS, runCommand } from "@smartrecover/system-tests/support/run-command";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const QUEUES_SETUP = ["pnpm", "--silent", "cli", "queues-setup"];

describe("pnpm cli queues-setup", () => {
  let server: LocalSqsServer;
  let sqs: ReturnType<typeof createSqsClient>;

  beforeAll(async () => {
    server = await startLocalSqs();
    sqs = createSqsClient({ region: "us-east-1", endpoint: server.endpoint });
  });

  afterAll(async () => {
    sqs?.destroy();
    await server?.stop();
  });

  const env = (names: { queue: string; dlq: string }) => ({
    ...NO_AWS,
    SQS_ENDPOINT: server.endpoint,
    SQS_QUEUE_NAME: names.queue,
    SQS_DLQ_NAME: names.dlq,
  });

  it("when run twice, then both queues exist, the second run reports the same queues and both exit 0", async () => {
    const names = { queue: "setup-twice", dlq: "setup-twice-dlq" };
    const first = await runCommand(QUEUES_SETUP, env(names));
    const second = await runCommand(QUEUES_SETUP, env(names));
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const [, queueUrl = "", dlqUrl = ""] = /queue (\S+) ready; .* go to (\S+)/.exec(first.stdout) ?? [];
    expect(queueUrl).toMatch(/\/setup-twice$/);
    expect(dlqUrl).toMatch(/\/setup-twice-dlq$/);
    // GetQueueAttributes fails on a queue that does not exist.
    expect(await queueDepth(sqs, queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await queueDepth(sqs, dlqUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("when given --max-receive-count 2, then a message received three times ends in the dead-letter queue", async () => {
    const names = { queue: "setup-redrive", dlq: "setup-redrive-dlq" };
    const result = await runCommand([...QUEUES_SETUP, "--max-receive-count", "2"], env(names));
    expect(result.code, result.stderr).toBe(0);
    const urls = await openQueues(sqs, { queueName: names.queue, dlqName: names.dlq });
    await publishMessages(sqs, urls.queueUrl, [{ key: "k", body: "never deleted" }]);
    for (let i = 0; i < 3; i++) {
      await receiveMessages(sqs, urls.queueUrl, { max: 1, waitTimeSeconds: 0, visibilityTimeoutSeconds: 0 });
    }
    expect((await queueDepth(sqs, urls.dlqUrl)).visible).toBe(1);
    expect(await queueDepth(sqs, urls.queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("when no queue is configured, then it names the missing setting and exits 1", async () => {
    const result = await runCommand(QUEUES_SETUP, NO_AWS);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no queue configured: set SQS_ENDPOINT/);
  });

  it("when --max-receive-count is 0, then it prints one error line and exits 2", async () => {
    const result = await runCommand([...QUEUES_SETUP, "--max-receive-count", "0"], env({ queue: "x", dlq: "x-dlq" }));
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/--max-receive-count must be between 1 and 1000/);
  });
});
