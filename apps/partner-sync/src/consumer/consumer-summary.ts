import type { ConsumerCounters } from "@smartrecover/queue";

/**
 * The consumer's counters under the names `consume --json`, the demo and
 * partner_sync_consumer_messages{counter} have always used (a contract for scripts and dashboards).
 */
export interface ConsumerSummary {
  received: number;
  deleted: number;
  /** Left for redelivery, whatever the reason. */
  retried: number;
  deadLettered: number;
  receiveErrors: number;
  applied: number;
  duplicate: number;
  stale: number;
  poison: number;
  /** Left for redelivery because applying them failed. */
  failed: number;
}

export function consumerSummary(counters: ConsumerCounters): ConsumerSummary {
  return {
    received: counters.messages_received_total,
    deleted: counters.messages_deleted_total,
    retried: counters.messages_retry_later_total,
    deadLettered: counters.messages_dead_lettered_total,
    receiveErrors: counters.receive_errors_total,
    applied: counters.messages_applied_total,
    duplicate: counters.messages_duplicate_total,
    stale: counters.messages_stale_total,
    poison: counters.messages_poison_total,
    failed: counters.messages_failed_total,
  };
}
