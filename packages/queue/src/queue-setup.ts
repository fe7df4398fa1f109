import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { DEFAULT_MAX_RECEIVE_COUNT } from "./defaults";
import type { QueueSettings } from "./sqs-client";

export { DEFAULT_MAX_RECEIVE_COUNT };

/** 14 days, SQS's maximum: dead letters wait for an operator, not for a deadline. */
const DLQ_RETENTION_SECONDS = String(14 * 24 * 60 * 60);

export interface QueueUrls {
  queueUrl: string;
  dlqUrl: string;
}

/**
 * Creates the dead-letter queue and the main queue if missing and (re)applies the redrive
 * policy. CreateQueue without attributes returns the existing queue, and SetQueueAttributes
 * is idempotent, so this is safe to run at every start-up and by several processes at once.
 */
export async function ensureQueues(
  sqs: SQSClient,
  names: Pick<QueueSettings, "queueName" | "dlqName">,
  options: { maxReceiveCount?: number } = {},
): Promise<QueueUrls> {
  const dlqUrl = await createQueue(sqs, names.dlqName);
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: dlqUrl, Attributes: { MessageRetentionPeriod: DLQ_RETENTION_SECONDS } }),
  );
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }));
  const dlqArn = attributes.Attributes?.QueueArn;
  if (!dlqArn) throw new Error(`queue ${names.dlqName} has no QueueArn`);
  const queueUrl = await createQueue(sqs, names.queueName);
  const redrivePolicy = JSON.stringify({
    deadLetterTargetArn: dlqArn,
    maxReceiveCount: String(options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT),
  });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { RedrivePolicy: redrivePolicy } }));
  return { queueUrl, dlqUrl };
}

/**
 * Finds both queues; creates them with the default redrive policy only when the main queue
 * does not exist. Publishers use this so they never overwrite the policy the consumer set.
 */
export async function openQueues(sqs: SQSClient, names: Pick<QueueSettings, "queueName" | "dlqName">) {
  try {
    const [queue, dlq] = await Promise.all([
      sqs.send(new GetQueueUrlCommand({ QueueName: names.queueName })),
      sqs.send(new GetQueueUrlCommand({ QueueName: names.dlqName })),
    ]);
    if (queue.QueueUrl && dlq.QueueUrl) return { queueUrl: queue.QueueUrl, dlqUrl: dlq.QueueUrl };
  } catch (error) {
    if (!isMissingQueue(error)) throw error;
  }
  return ensureQueues(sqs, names);
}

/**
 * Finds both queues and creates nothing (SQS_CREATE_QUEUES=false): a missing queue is an error
 * naming it and the command that creates it. Needs only sqs:GetQueueUrl.
 */
export async function lookUpQueues(
  sqs: SQSClient,
  names: Pick<QueueSettings, "queueName" | "dlqName">,
): Promise<QueueUrls> {
  const lookUp = async (name: string) => {
    try {
      const found = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      if (found.QueueUrl) return found.QueueUrl;
    } catch (error) {
      if (!isMissingQueue(error)) throw error;
    }
    throw new Error(`queue ${name} does not exist and SQS_CREATE_QUEUES is false: run \`pnpm cli queues-setup\``);
  };
  const [queueUrl, dlqUrl] = await Promise.all([lookUp(names.queueName), lookUp(names.dlqName)]);
  return { queueUrl, dlqUrl };
}

function isMissingQueue(error: unknown): boolean {
  // The JSON protocol names it QueueDoesNotExist; older query-protocol servers use the legacy code.
  const name = (error as { name?: string }).name;
  return name === "QueueDoesNotExist" || name === "AWS.SimpleQueueService.NonExistentQueue";
}

async function createQueue(sqs: SQSClient, name: string): Promise<string> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!created.QueueUrl) throw new Error(`CreateQueue returned no URL for ${name}`);
  return created.QueueUrl;
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** Approximate counts (SQS's own caveat: they may lag by a second or so on AWS). */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}
