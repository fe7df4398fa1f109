import type { SQSClient } from "@aws-sdk/client-sqs";
import { ensureQueues, lookUpQueues, openQueues, type QueueUrls } from "./queue-setup";
import { createSqsClient, type QueueSettings } from "./sqs-client";

/** An SQS client plus the queue URLs, looked up lazily so a process can start while SQS is down. */
export interface QueueConnection {
  readonly sqs: SQSClient;
  readonly settings: QueueSettings;
  /** Resolves (and caches) both queue URLs; a failed lookup is retried on the next call. */
  urls(): Promise<QueueUrls>;
  close(): void;
}

export interface ConnectOptions {
  /**
   * "ensure": create the queues and (re)apply the redrive policy (the consumer owns it).
   * "open": only create them, with the default policy, when they do not exist yet (publishers).
   */
  mode?: "ensure" | "open";
  maxReceiveCount?: number;
  sqs?: SQSClient;
}

export function connectQueues(settings: QueueSettings, options: ConnectOptions = {}): QueueConnection {
  const sqs = options.sqs ?? createSqsClient(settings);
  let resolved: Promise<QueueUrls> | undefined;
  return {
    sqs,
    settings,
    urls() {
      if (!resolved) {
        // With SQS_CREATE_QUEUES=false the queues (and their policy) are someone else's: look up only.
        const lookup =
          settings.createQueues === false
            ? lookUpQueues(sqs, settings)
            : options.mode === "ensure"
              ? ensureQueues(sqs, settings, { maxReceiveCount: options.maxReceiveCount })
              : openQueues(sqs, settings);
        resolved = lookup.catch((error: Error) => {
          resolved = undefined;
          const where = settings.endpoint ?? `AWS ${settings.region}`;
          throw new Error(`SQS unavailable (${where}): ${error.message || error.name}`, { cause: error });
        });
      }
      return resolved;
    },
    close() {
      if (!options.sqs) sqs.destroy();
    },
  };
}
