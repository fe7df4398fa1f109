import { randomBytes } from "node:crypto";
import {
  connectQueues,
  listDeadLetters,
  publishMessages,
  type QueueConnection,
  type QueueSettings,
  queueDepth,
} from "@smartrecover/queue";

/** Fresh queue names on an SQS endpoint, and the variables that point a service at them. */
export function freshQueues(endpoint: string, label: string) {
  const name = `${label}-${randomBytes(4).toString("hex")}`;
  const settings: QueueSettings = { region: "us-east-1", endpoint, queueName: name, dlqName: `${name}-dlq` };
  const env = { SQS_ENDPOINT: endpoint, SQS_QUEUE_NAME: settings.queueName, SQS_DLQ_NAME: settings.dlqName };
  // Created as the consumer creates them: with the redrive policy (5 receives).
  const queues = connectQueues(settings, { mode: "ensure", maxReceiveCount: 5 });
  return { settings, env, queues };
}

/** Publishes bodies with SendMessageBatch, as a producer would; fails unless SQS took them all. */
export async function publishBodies(queues: QueueConnection, bodies: readonly string[]): Promise<void> {
  const { queueUrl } = await queues.urls();
  const outcome = await publishMessages(
    queues.sqs,
    queueUrl,
    bodies.map((body, i) => ({ key: String(i), body })),
  );
  if (outcome.published.length !== bodies.length) {
    throw new Error(
      `SQS took ${outcome.published.length} of ${bodies.length} messages: ${outcome.halted ?? outcome.failed[0]?.error}`,
    );
  }
}

/** Messages on the main queue and on the DLQ, visible, in flight or delayed. */
export async function queueTotals(queues: QueueConnection): Promise<{ main: number; dlq: number }> {
  const { queueUrl, dlqUrl } = await queues.urls();
  const [main, dlq] = await Promise.all([queueDepth(queues.sqs, queueUrl), queueDepth(queues.sqs, dlqUrl)]);
  return {
    main: main.visible + main.inFlight + main.delayed,
    dlq: dlq.visible + dlq.inFlight + dlq.delayed,
  };
}

export async function deadLetters(queues: QueueConnection, limit: number) {
  return listDeadLetters(queues.sqs, (await queues.urls()).dlqUrl, { limit });
}

/** A copy in random order (Fisher–Yates with the given generator). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
