import { HighPriorityDebtorMessage, QUEUE_MESSAGE_SCHEMA_VERSION } from "@smartrecover/contracts";
import {
  type ConsumerCounters,
  type ConsumerOptions,
  connectQueues,
  MessageConsumer,
  type QueueConnection,
  type QueueLogger,
  queueSettingsFromConfig,
} from "@smartrecover/queue";
import type { PartnerSyncConfig } from "../config";
import type { MessageApplier } from "../reconciliation/message-applier";
import { coalesceApplies } from "./apply-coalescer";

/**
 * Group commit: batches from all receive loops are applied one transaction at a time, merged up
 * to this many messages, because parallel applier transactions on the same tables contend on
 * MariaDB. On SQLite the applier never yields mid-transaction, so batches merge only when the
 * coalescer gathers for one event-loop turn.
 */
const MAX_MESSAGES_PER_TRANSACTION = 100;

export interface PartnerSyncConsumer {
  readonly consumer: MessageConsumer<HighPriorityDebtorMessage>;
  readonly queues: QueueConnection;
  counters(): ConsumerCounters;
  /** Stops polling, lets in-flight batches commit and settle, then closes the SQS client it opened (idempotent). */
  stop(options?: { waitForPolls?: boolean }): Promise<void>;
}

export interface ConsumerDeps {
  applier: Pick<MessageApplier, "applyBatch" | "recordPoison">;
  logger?: QueueLogger;
  /** An existing connection (tests, or a process that also publishes); closed by the caller then. */
  queues?: QueueConnection;
  /** Overrides of the consumer's tuning, e.g. shorter long polls in tests. */
  tuning?: Partial<ConsumerOptions>;
}

/**
 * The SQS consumer of partner-sync: queues created idempotently with the configured redrive
 * policy (this service owns it), messages decoded against the queue contract, valid ones applied
 * through the group-committing applier, poison recorded before it is dead-lettered.
 * Call `consumer.start()` to begin.
 */
export function createPartnerSyncConsumer(config: PartnerSyncConfig, deps: ConsumerDeps): PartnerSyncConsumer {
  const queues =
    deps.queues ??
    connectQueues(queueSettingsFromConfig(config), { mode: "ensure", maxReceiveCount: config.SQS_MAX_RECEIVE_COUNT });
  const coalesced = coalesceApplies(deps.applier, {
    maxMessages: MAX_MESSAGES_PER_TRANSACTION,
    maxParallel: 1,
    gatherOneTurn: true,
  });
  const consumer = new MessageConsumer(
    queues,
    {
      schema: HighPriorityDebtorMessage,
      version: { field: "schema_version", supported: QUEUE_MESSAGE_SCHEMA_VERSION },
      handle: coalesced.applyBatch,
      recordPoison: deps.applier.recordPoison,
    },
    {
      concurrency: config.CONSUMER_CONCURRENCY,
      batchSize: config.CONSUMER_BATCH_SIZE,
      visibilityTimeoutSeconds: config.SQS_VISIBILITY_TIMEOUT_SECONDS,
      logger: deps.logger,
      ...deps.tuning,
    },
  );
  let stopping: Promise<void> | undefined;
  return {
    consumer,
    queues,
    counters: () => consumer.counters(),
    stop(options) {
      stopping ??= consumer.stop(options).finally(() => {
        if (!deps.queues) queues.close();
      });
      return stopping;
    },
  };
}
