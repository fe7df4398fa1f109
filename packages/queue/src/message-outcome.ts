/**
 * What became of one message, as the handler reports it. The consumer settles each message with
 * SQS from its outcome alone: applied, duplicate and stale are deleted (their effects, if any,
 * are committed); poison is recorded and dead-lettered at once; retryLater is left for
 * redelivery, so SQS dead-letters it after maxReceiveCount. Exceptions are for the unexpected.
 */
export type MessageOutcome =
  | { outcome: "applied" }
  | { outcome: "duplicate" }
  | { outcome: "stale" }
  | { outcome: "poison"; reason: string }
  | { outcome: "retryLater"; reason: string };

export type OutcomeName = MessageOutcome["outcome"];

export const poison = (reason: string): MessageOutcome => ({ outcome: "poison", reason });
export const retryLater = (reason: string): MessageOutcome => ({ outcome: "retryLater", reason });

/**
 * The consumer's counters: monotonically increasing counts since it was created, named as
 * Prometheus counters are (`_total`) with their help text, so an exporter can register one
 * counter per entry without a second list of names.
 */
export const CONSUMER_COUNTERS = {
  messages_received_total: "Messages received from the queue",
  messages_applied_total: "Messages whose effects were committed",
  messages_duplicate_total: "Messages recognised as already applied (nothing changed)",
  messages_stale_total: "Messages older than what was already applied (recorded, nothing else changed)",
  messages_poison_total: "Messages that can never be applied: recorded, then dead-lettered at once",
  messages_retry_later_total: "Messages left for redelivery, whatever the reason",
  messages_failed_total: "Messages left for redelivery because handling them failed",
  messages_deleted_total: "Messages deleted from the queue after their outcome was settled",
  messages_dead_lettered_total: "Messages the consumer moved to the dead-letter queue itself",
  receive_errors_total: "Receive calls that failed (SQS unreachable or refusing)",
  visibility_extensions_total: "Heartbeats that extended the visibility of messages still being worked on",
} as const;

export type CounterName = keyof typeof CONSUMER_COUNTERS;
export type ConsumerCounters = Record<CounterName, number>;

export function zeroCounters(): ConsumerCounters {
  return Object.fromEntries(Object.keys(CONSUMER_COUNTERS).map((name) => [name, 0])) as ConsumerCounters;
}

/** The counter each handler outcome adds to. */
export const OUTCOME_COUNTER: Record<OutcomeName, CounterName> = {
  applied: "messages_applied_total",
  duplicate: "messages_duplicate_total",
  stale: "messages_stale_total",
  poison: "messages_poison_total",
  retryLater: "messages_retry_later_total",
};
