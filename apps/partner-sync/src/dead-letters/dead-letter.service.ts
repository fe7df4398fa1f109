import type { QueueConnection, QueueUrls } from "@smartrecover/queue";
import { ServiceUnavailableError } from "@smartrecover/service-kit";
import type { PartnerSyncConfig } from "../config";
import type { DeadLetterList, RedriveOutcome } from "./dead-letter.schemas";

/**
 * The dead-letter queue for operators: list without consuming, redrive to the main queue. The queue
 * package (and the AWS SDK behind it) is loaded and connected on first use, so an API that is
 * never asked about dead letters neither loads it nor needs SQS to start.
 */
export class DeadLetterService {
  private connection?: Promise<QueueConnection>;

  constructor(
    private readonly config: PartnerSyncConfig,
    private readonly given?: QueueConnection,
  ) {}

  async list(limit: number, withBodies: boolean): Promise<DeadLetterList> {
    const queues = await this.connect();
    const queue = await import("@smartrecover/queue");
    const { dlqUrl } = await reach(queues);
    const letters = await queue.listDeadLetters(queues.sqs, dlqUrl, { limit });
    const depth = await queue.queueDepth(queues.sqs, dlqUrl);
    return {
      queue: queues.settings.dlqName,
      depth: depth.visible + depth.inFlight,
      items: letters.map((letter) => ({
        sqs_message_id: letter.sqsMessageId,
        message_id: letter.messageId ?? null,
        sent_at: letter.sentAt?.toISOString() ?? null,
        reason: letter.reason ?? null,
        ...(withBodies ? { body: letter.body } : {}),
      })),
    };
  }

  async redrive(limit?: number): Promise<RedriveOutcome> {
    const queues = await this.connect();
    const queue = await import("@smartrecover/queue");
    return queue.redriveDeadLetters(queues.sqs, await reach(queues), { limit });
  }

  /** Closes the SQS client this service opened (a given connection stays its owner's). */
  async close(): Promise<void> {
    const opened = this.connection;
    this.connection = undefined;
    if (opened && !this.given) (await opened).close();
  }

  private connect(): Promise<QueueConnection> {
    if (this.given) return Promise.resolve(this.given);
    this.connection ??= import("@smartrecover/queue").then((queue) =>
      // "ensure", as the consumer and the dlq CLI do: the redrive policy follows the configuration.
      queue.connectQueues(queue.queueSettingsFromConfig(this.config), {
        mode: "ensure",
        maxReceiveCount: this.config.SQS_MAX_RECEIVE_COUNT,
      }),
    );
    return this.connection;
  }
}

/** SQS not answering is not the caller's fault: 503, so the console can say "try again". */
async function reach(queues: QueueConnection): Promise<QueueUrls> {
  try {
    return await queues.urls();
  } catch (error) {
    throw new ServiceUnavailableError("QUEUE_UNAVAILABLE", (error as Error).message, 5);
  }
}
