import { DEFAULT_MAX_RECEIVE_COUNT } from "@smartrecover/queue/defaults";
import {
  commonEnv,
  intOption,
  parseConfig,
  QUEUE_NOT_CONFIGURED,
  queueTargetConfigured,
} from "@smartrecover/service-kit";
import type { Command } from "commander";
import { z } from "zod";

const QueueEnv = z.object(commonEnv);

/**
 * `queues-setup`: creates the main queue and its dead-letter queue if missing and (re)applies the
 * redrive policy, with the same ensureQueues the consumer runs at start-up. docker compose runs it
 * as a one-shot job against LocalStack; it is idempotent, so running it again changes nothing.
 */
export function registerQueuesSetupCommand(program: Command): void {
  program
    .command("queues-setup")
    .description("Create the SQS queue and its dead-letter queue (idempotent)")
    .option(
      "--max-receive-count <n>",
      "receives after which SQS dead-letters a message",
      intOption("--max-receive-count", 1, 1000),
      DEFAULT_MAX_RECEIVE_COUNT,
    )
    .action((options: { maxReceiveCount: number }) => setUpQueues(options.maxReceiveCount));
}

async function setUpQueues(maxReceiveCount: number): Promise<void> {
  const config = parseConfig(QueueEnv);
  if (!queueTargetConfigured(config)) throw new Error(QUEUE_NOT_CONFIGURED);
  // The AWS SDK loads only when this command runs.
  const { createSqsClient, ensureQueues, queueSettingsFromConfig } = await import("@smartrecover/queue");
  const settings = queueSettingsFromConfig(config);
  const sqs = createSqsClient(settings);
  try {
    const urls = await ensureQueues(sqs, settings, { maxReceiveCount });
    console.log(`queue ${urls.queueUrl} ready; dead letters after ${maxReceiveCount} receives go to ${urls.dlqUrl}`);
  } finally {
    sqs.destroy();
  }
}
