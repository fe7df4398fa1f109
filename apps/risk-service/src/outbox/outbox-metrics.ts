import { Counter, Gauge, type Registry } from "prom-client";
import type { OutboxRepository } from "./outbox.repository";
import type { OutboxPublisher } from "./outbox-publisher";

/**
 * The outbox backlog, read from the database at scrape time (true across processes: every
 * risk-service pod reports the same backlog, so dashboards take the max), and the rows this
 * process's relay published.
 */
export function registerOutboxMetrics(
  registry: Registry,
  outbox: Pick<OutboxRepository, "pendingBacklog">,
  publisher?: Pick<OutboxPublisher, "publishedTotal">,
): void {
  const registers = [registry];
  // Both gauges of one scrape (collected concurrently) share one query.
  let inFlight: ReturnType<OutboxRepository["pendingBacklog"]> | undefined;
  const read = () => {
    inFlight ??= outbox.pendingBacklog().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  new Gauge({
    name: "risk_outbox_pending_messages",
    help: "Outbox rows not yet accepted by SQS",
    registers,
    async collect() {
      this.set((await read()).pending);
    },
  });
  new Gauge({
    name: "risk_outbox_oldest_pending_age_seconds",
    help: "Age of the oldest outbox row not yet accepted by SQS; 0 when none is pending",
    registers,
    async collect() {
      const { oldestCreatedAt } = await read();
      this.set(oldestCreatedAt ? Math.max(0, Date.now() - oldestCreatedAt.getTime()) / 1000 : 0);
    },
  });
  new Counter({
    name: "risk_outbox_published_total",
    help: "Outbox rows this process's relay published to SQS",
    registers,
    collect() {
      // The publisher's own count is monotonic; the exporter mirrors it.
      this.reset();
      this.inc(publisher?.publishedTotal ?? 0);
    },
  });
}
