import { openServiceDatabase, type ServiceDatabase } from "@smartrecover/db-kit";
import type { ConsumerOptions, QueueConnection } from "@smartrecover/queue";
import { createLogger, findUpward, type Logger } from "@smartrecover/service-kit";
import type { PartnerSyncConfig } from "./config";
import type { PartnerSyncConsumer } from "./consumer/partner-sync-consumer";
import { DiscrepancyService } from "./discrepancies/discrepancy.service";
import { PartnerBookService } from "./partner-books/partner-book-import.service";
import { PoisonMessageService } from "./poison-messages/poison-message.service";
import { createMessageApplier, type MessageApplier } from "./reconciliation/message-applier";
import { toleranceFrom } from "./reconciliation/reconciliation-rules";
import { ReportService } from "./reports/report.service";

/** Where partner-sync's migrations live (`<dialect>/migrations/<name>/migration.sql`). */
export const PARTNER_SYNC_MIGRATIONS_ROOT = findUpward(import.meta.url, "prisma/partner-sync");

/** The use cases partner-sync offers, each over the one database. */
export interface PartnerSyncServices {
  readonly discrepancies: DiscrepancyService;
  readonly reports: ReportService;
  readonly poisonMessages: PoisonMessageService;
  /** Partner book imports (domain.md §10) and the export of the current book. */
  readonly partnerBooks: PartnerBookService;
  /** Reconciles queue messages (the consumer's handler). */
  readonly applier: MessageApplier;
  /** Resolves once the database answers a query (readiness). */
  ping(): Promise<void>;
}

/** partner-sync assembled: every part a server, a command, the demo or a test needs. */
export interface PartnerSync {
  readonly config: PartnerSyncConfig;
  readonly logger: Logger;
  readonly db: ServiceDatabase;
  readonly services: PartnerSyncServices;
  /** Present when asked for (`consumer` option); call `consumer.consumer.start()` to begin. */
  readonly consumer?: PartnerSyncConsumer;
  /**
   * Shuts down in a fixed order: the consumer stops polling and lets in-flight batches commit and
   * settle, its SQS client closes, then the database. Idempotent.
   */
  close(options?: { waitForPolls?: boolean }): Promise<void>;
}

export interface ConsumerRequest {
  /** An SQS connection the caller owns (tests, a process that also publishes). */
  queues?: QueueConnection;
  /** Overrides of the consumer's tuning, e.g. shorter long polls. */
  tuning?: Partial<ConsumerOptions>;
}

export interface OpenPartnerSyncOptions {
  logger?: Logger;
  /** Ages, review timestamps and applied-at times come from this clock (tests move it). */
  clock?: () => Date;
  /** Apply pending migrations first (default true; never with MIGRATE_ON_START=false). */
  migrate?: boolean;
  /** Create the SQS consumer too; the AWS SDK is loaded only then. */
  consumer?: boolean | ConsumerRequest;
}

/**
 * The composition root: config → database → services (each over its feature's repository
 * modules, which take the database or a transaction handle) → queue.
 */
export async function openPartnerSync(
  config: PartnerSyncConfig,
  options: OpenPartnerSyncOptions = {},
): Promise<PartnerSync> {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: "partner-sync" });
  const clock = options.clock ?? (() => new Date());
  const db = await openServiceDatabase({
    url: config.PARTNER_SYNC_DATABASE_URL,
    migrationsRoot: PARTNER_SYNC_MIGRATIONS_ROOT,
    // MIGRATE_ON_START=false: a DDL user migrates in a separate step; this process may only have DML rights.
    migrate: (options.migrate ?? true) && config.MIGRATE_ON_START,
  });
  const services: PartnerSyncServices = {
    discrepancies: new DiscrepancyService(db, clock, { requireSecondPerson: config.REVIEW_REQUIRE_SECOND_PERSON }),
    reports: new ReportService(db, clock),
    poisonMessages: new PoisonMessageService(db),
    partnerBooks: new PartnerBookService(db, {
      tolerance: toleranceFrom(config.RECONCILIATION_TOLERANCE_PERCENT),
      maxBytes: config.PARTNER_BOOK_MAX_BYTES,
      clock,
    }),
    applier: createMessageApplier(db, {
      partnerName: config.PARTNER_NAME,
      tolerancePercent: config.RECONCILIATION_TOLERANCE_PERCENT,
      simulatorSeed: config.PARTNER_SIMULATOR_SEED,
      missingProbability: config.PARTNER_MISSING_PROBABILITY,
      bookSource: config.PARTNER_BOOK_SOURCE,
      clock,
    }),
    ping: async () => {
      await db.query("SELECT 1");
    },
  };
  let consumer: PartnerSyncConsumer | undefined;
  if (options.consumer) {
    const request = options.consumer === true ? {} : options.consumer;
    try {
      const { createPartnerSyncConsumer } = await import("./consumer/partner-sync-consumer");
      consumer = createPartnerSyncConsumer(config, { ...request, applier: services.applier, logger, clock });
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    db,
    services,
    consumer,
    close(closeOptions) {
      closing ??= (async () => {
        try {
          await consumer?.stop(closeOptions);
        } finally {
          await db.close();
        }
      })();
      return closing;
    },
  };
}
