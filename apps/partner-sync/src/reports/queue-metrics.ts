import { type QueueConnection, queueDepth, type Settlement } from "@smartrecover/queue";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** A scrape must answer even when SQS does not: a depth older than this is left out. */
const DEPTH_TIMEOUT_MS = 2_000;

/** What the queue metrics need of a consumer running in this process. */
export interface ObservedConsumer {
  readonly queues: QueueConnection;
  readonly consumer: { on(event: "settled", listener: (settlements: readonly Settlement[]) => void): unknown };
  counters(): { [name: string]: number };
}

const OUTCOMES = {
  applied: "messages_applied_total",
  duplicate: "messages_duplicate_total",
  stale: "messages_stale_total",
  poison: "messages_poison_total",
  retry_later: "messages_retry_later_total",
} as const;

type Depths = Record<"main" | "dlq", Awaited<ReturnType<typeof queueDepth>>>;

async function readDepths(queues: QueueConnection): Promise<Depths> {
  const urls = await withTimeout(queues.urls());
  const [main, dlq] = await withTimeout(
    Promise.all([queueDepth(queues.sqs, urls.queueUrl), queueDepth(queues.sqs, urls.dlqUrl)]),
  );
  return { main, dlq };
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timed out")), DEPTH_TIMEOUT_MS).unref()),
  ]);
}

/**
 * Queue-side metrics of partner-sync: the consumer's outcomes as `_total` counters, the depth of
 * the main queue and the DLQ (GetQueueAttributes at scrape time: the value KEDA also scales
 * on), the age of the oldest message and the send-to-settle lag.
 *
 * SQS has no API for the age of the oldest message (CloudWatch's ApproximateAgeOfOldestMessage
 * is not reachable from here), so the gauge is the age of the oldest message in the latest
 * batch this process received, and 0 once the main queue is empty. It rises when the consumers
 * fall behind, which is what the alert watches.
 */
export function registerQueueMetrics(registry: Registry, observed: ObservedConsumer): void {
  const registers = [registry];
  new Counter({
    name: "partner_sync_messages_total",
    help: "Messages this process's consumer settled, by outcome (applied, duplicate, stale, poison, retry_later)",
    labelNames: ["outcome"],
    registers,
    collect() {
      // The consumer's own counters are monotonic; the exporter mirrors them rather than keeping a second count.
      this.reset();
      const counters = observed.counters();
      for (const [outcome, counter] of Object.entries(OUTCOMES)) this.inc({ outcome }, counters[counter] ?? 0);
    },
  });
  const lag = new Histogram({
    name: "partner_sync_message_lag_seconds",
    help: "Seconds from SQS accepting a message to its outcome being committed here (applied messages)",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });
  let oldestInLatestBatch: number | undefined;
  observed.consumer.on("settled", (settlements) => {
    const now = Date.now();
    let oldest: number | undefined;
    for (const { message, outcome } of settlements) {
      if (message.sentAt === undefined) continue;
      oldest = oldest === undefined ? message.sentAt : Math.min(oldest, message.sentAt);
      if (outcome.outcome === "applied") lag.observe(Math.max(0, now - message.sentAt) / 1000);
    }
    if (oldest !== undefined) oldestInLatestBatch = oldest;
  });
  // Both gauges of one scrape (collected concurrently) share one pair of GetQueueAttributes calls.
  let inFlight: Promise<Depths | undefined> | undefined;
  const depths = () => {
    inFlight ??= readDepths(observed.queues)
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  new Gauge({
    name: "partner_sync_queue_messages",
    help: "Approximate messages in the queue (queue=main|dlq) by state (visible, in_flight, delayed)",
    labelNames: ["queue", "state"],
    registers,
    async collect() {
      this.reset();
      // SQS unreachable: no sample rather than a wrong one (the receive-error counter says why).
      const read = await depths();
      if (!read) return;
      for (const queue of ["main", "dlq"] as const) {
        this.set({ queue, state: "visible" }, read[queue].visible);
        this.set({ queue, state: "in_flight" }, read[queue].inFlight);
        this.set({ queue, state: "delayed" }, read[queue].delayed);
      }
    },
  });
  new Gauge({
    name: "partner_sync_queue_oldest_message_age_seconds",
    help: "Age of the oldest message in the latest batch received here; 0 when the main queue is empty",
    registers,
    async collect() {
      this.reset();
      const read = await depths();
      if (!read) return;
      const main = read.main;
      const empty = main.visible + main.inFlight + main.delayed === 0;
      this.set(empty || oldestInLatestBatch === undefined ? 0 : Math.max(0, Date.now() - oldestInLatestBatch) / 1000);
    },
  });
}
