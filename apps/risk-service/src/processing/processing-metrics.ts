import { Counter, Gauge, type Registry } from "prom-client";
import type { ProcessRunObserver } from "./process-run.service";
import type { RunReport } from "./run-report";

/**
 * Counters of processing runs started through this API process, on the app's registry; ABANDONED
 * counts dead owners' runs this process recorded when it took the lease.
 */
export class ProcessingMetrics implements ProcessRunObserver {
  private readonly runs: Counter<"status">;
  private readonly processed: Counter;
  private readonly highPriority: Counter;
  private readonly errors: Counter;
  private readonly queued: Counter;
  private readonly active: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.runs = new Counter({
      name: "risk_processing_runs_total",
      help: "Processing runs finished, by outcome",
      labelNames: ["status"],
      registers,
    });
    this.processed = new Counter({
      name: "risk_processing_debtors_processed_total",
      help: "Debtors re-scored by processing runs",
      registers,
    });
    this.highPriority = new Counter({
      name: "risk_processing_high_priority_total",
      help: "High-priority debtors found by processing runs",
      registers,
    });
    this.errors = new Counter({
      name: "risk_processing_errors_total",
      help: "Per-debtor errors recorded by processing runs",
      registers,
    });
    this.queued = new Counter({
      name: "risk_processing_messages_queued_total",
      help: "Queue messages written to the outbox by processing runs",
      registers,
    });
    this.active = new Gauge({
      name: "risk_processing_run_active",
      help: "1 while a processing run is going",
      registers,
    });
  }

  started(): void {
    this.active.set(1);
  }

  completed(report: RunReport): void {
    this.ended("COMPLETED", report);
  }

  stopped(report: RunReport): void {
    this.ended("STOPPED", report);
  }

  /** Counted by the process that found the dead owner's run, when it took the lease. */
  abandoned(count: number): void {
    this.runs.inc({ status: "ABANDONED" }, count);
  }

  private ended(status: "COMPLETED" | "STOPPED", report: RunReport): void {
    this.active.set(0);
    this.runs.inc({ status });
    this.processed.inc(report.summary.total_debtors_successfully_processed);
    this.highPriority.inc(report.summary.high_priority_debtors_successfully_processed);
    this.errors.inc(report.summary.errors_count);
    this.queued.inc(report.summary.messages_queued);
  }

  failed(): void {
    this.active.set(0);
    this.runs.inc({ status: "FAILED" });
  }
}
