import { HighPriorityDebtorMessage, QUEUE_MESSAGE_SCHEMA_VERSION } from "@smartrecover/contracts";
import {
  type ConsumerCounters,
  type ConsumerOptions,
  connectQueues,
  MessageConsumer,
  type QueueConnection,
  type QueueLogger,
  queueSettingsFromConfig,
  type ReceivedMessage,
} from "@smartrecover/queue";
import { checkProcessedAt, MESSAGE_SIGNATURE_ATTRIBUTE, verifyMessageBody } from "@smartrecover/service-kit";
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
  /** "Now" for the processed_at check (tests move it). */
  clock?: () => Date;
}

type TrustSettings = Pick<PartnerSyncConfig, "MESSAGE_SIGNING_KEY" | "MESSAGE_MAX_CLOCK_SKEW_SECONDS">;

/**
 * Why a schema-valid message cannot be trusted, or undefined. With MESSAGE_SIGNING_KEY set, the
 * body must carry risk-service's HMAC of exactly these bytes. A processed_at beyond the allowed
 * clock skew would win every later "latest wins" comparison, so it is refused too.
 */
export function distrustOf(
  settings: TrustSettings,
  now: () => Date,
): (received: ReceivedMessage, message: HighPriorityDebtorMessage) => string | undefined {
  return (received, message) => {
    const key = settings.MESSAGE_SIGNING_KEY;
    if (key !== undefined) {
      const signature = received.attributes?.[MESSAGE_SIGNATURE_ATTRIBUTE];
      if (signature === undefined) return "unsigned message: MESSAGE_SIGNING_KEY requires a signature";
      if (!verifyMessageBody(received.body, signature, key)) return "message signature does not verify";
    }
    const at = checkProcessedAt(message.processed_at, now(), settings.MESSAGE_MAX_CLOCK_SKEW_SECONDS);
    return at.ok ? undefined : at.reason;
  };
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
      distrust: distrustOf(config, deps.clock ?? (() => new Date())),
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
