import type { ServiceDatabase } from "@smartrecover/db-kit";
import type { QueueConnection } from "@smartrecover/queue";
import { type Logger, queueTargetConfigured } from "@smartrecover/service-kit";
import pino from "pino";
import type { RiskServiceConfig } from "./config";
import { openRiskDatabase } from "./db/risk-database";
import { DebtorRepository } from "./debtors/debtor.repository";
import { DebtorService } from "./debtors/debtor.service";
import { TestDebtorGenerator } from "./generator/generate-debtors";
import { OutboxRepository } from "./outbox/outbox.repository";
import type { OutboxPublisher, OutboxPublisherOptions } from "./outbox/outbox-publisher";
import { BulkProcessor, type RunEvents } from "./processing/bulk-processor";
import { ProcessRunService } from "./processing/process-run.service";
import { ProcessingRepository } from "./processing/processing.repository";
import { RiskScoreRepository } from "./scoring/risk-score.repository";

export interface RiskServiceOptions {
  /** Where the service logs; silent when absent (CLI commands print their own output). */
  logger?: Logger;
  /** Apply pending migrations when opening the database (default true; never with MIGRATE_ON_START=false). */
  migrate?: boolean;
  /**
   * Connect SQS and build the outbox publisher when a queue target is configured (default false:
   * commands that publish nothing never load the AWS SDK).
   */
  queue?: boolean | { publisher: OutboxPublisherOptions };
}

/** Each table has one repository that writes it. */
export interface RiskRepositories {
  readonly debtors: DebtorRepository;
  readonly scores: RiskScoreRepository;
  readonly processing: ProcessingRepository;
  readonly outbox: OutboxRepository;
}

export interface RiskQueue {
  readonly connection: QueueConnection;
  readonly publisher: OutboxPublisher;
}

/** Everything risk-service is made of, assembled once. */
export interface RiskService {
  readonly config: RiskServiceConfig;
  readonly logger: Logger;
  readonly db: ServiceDatabase;
  readonly repositories: RiskRepositories;
  readonly debtors: DebtorService;
  readonly processor: BulkProcessor;
  readonly processRuns: ProcessRunService;
  readonly generator: TestDebtorGenerator;
  /** Present only when asked for and a queue target is configured. */
  readonly queue: RiskQueue | undefined;
  /** Answers when the database does (readiness). */
  ready(): Promise<void>;
  /**
   * Stops a processing run at its next batch boundary (recorded STOPPED), stops the publisher
   * after its current page, then closes SQS and the database.
   */
  close(): Promise<void>;
}

/**
 * The composition root: config → database → repositories → services → queue. The HTTP server,
 * the CLI commands, the demo and the tests take their parts from here.
 */
export async function openRiskService(
  config: RiskServiceConfig,
  options: RiskServiceOptions = {},
): Promise<RiskService> {
  const logger = options.logger ?? pino({ level: "silent" });
  // MIGRATE_ON_START=false: a DDL user migrates in a separate step; this process may only have DML rights.
  const migrate = (options.migrate ?? true) && config.MIGRATE_ON_START;
  const db = await openRiskDatabase(config.RISK_DATABASE_URL, { migrate });
  const repositories: RiskRepositories = {
    debtors: new DebtorRepository(db),
    scores: new RiskScoreRepository(),
    processing: new ProcessingRepository(db),
    outbox: new OutboxRepository(db),
  };
  const runEvents: RunEvents = {};
  const processor = new BulkProcessor(
    db,
    repositories.processing,
    repositories.scores,
    repositories.outbox,
    { leaseMs: config.PROCESSING_LEASE_SECONDS * 1000 },
    runEvents,
  );
  const processRuns = new ProcessRunService(processor, repositories.processing, logger);
  runEvents.abandoned = processRuns.events.abandoned;
  let queue: RiskQueue | undefined;
  try {
    if (options.queue && queueTargetConfigured(config)) {
      const publisherOptions = options.queue === true ? {} : options.queue.publisher;
      queue = await connectQueue(config, repositories.outbox, {
        logger,
        signingKey: config.MESSAGE_SIGNING_KEY,
        ...publisherOptions,
      });
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    db,
    repositories,
    debtors: new DebtorService(db, repositories.debtors, repositories.scores),
    processor,
    processRuns,
    generator: new TestDebtorGenerator(db, repositories.debtors, repositories.scores),
    queue,
    async ready() {
      await db.query("SELECT 1");
    },
    close() {
      closing ??= (async () => {
        processRuns.stop();
        await processRuns.idle();
        await queue?.publisher.stop();
        queue?.connection.close();
        await db.close();
      })();
      return closing;
    },
  };
}

/** The AWS SDK and the publisher load here, only for commands that publish. */
async function connectQueue(
  config: RiskServiceConfig,
  outbox: OutboxRepository,
  options: OutboxPublisherOptions,
): Promise<RiskQueue> {
  const [{ connectQueues, queueSettingsFromConfig }, { OutboxPublisher }] = await Promise.all([
    import("@smartrecover/queue"),
    import("./outbox/outbox-publisher"),
  ]);
  const connection = connectQueues(queueSettingsFromConfig(config));
  return { connection, publisher: new OutboxPublisher(outbox, connection, options) };
}
