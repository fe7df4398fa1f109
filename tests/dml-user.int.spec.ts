import {
  createMysqlDmlUser,
  createTestDatabase,
  type MysqlDmlUser,
  type TestDatabase,
} from "@smartrecover/db-kit/testing";
import { type LocalSqsServer, startLocalSqs } from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exitWithin,
  lastJsonLine,
  PARTNER_SYNC_SERVER,
  ProcessGroup,
  RISK_SERVER,
  waitUntil,
} from "./faults/support/processes";
import { freePort } from "./faults/support/risk-side";

/**
 * Migrations as a step: `db-migrate` runs as the DDL user (root here), then both services, the
 * generator, process-debtors and the consumer run as a user with SELECT, INSERT, UPDATE and
 * DELETE only, with MIGRATE_ON_START=false and SQS_CREATE_QUEUES=false, on MariaDB.
 */
const DEBTORS = 400;

describe("a DML-only MariaDB user", () => {
  const processes = new ProcessGroup();
  let risk: TestDatabase;
  let sync: TestDatabase;
  let sqs: LocalSqsServer;
  let dml: MysqlDmlUser;
  let asRoot: Record<string, string>;
  let asDml: Record<string, string>;

  beforeAll(async () => {
    risk = createTestDatabase("mysql", "dml_risk");
    sync = createTestDatabase("mysql", "dml_sync");
    sqs = await startLocalSqs();
    const queue = { SQS_ENDPOINT: sqs.endpoint, SQS_QUEUE_NAME: "dml-main", SQS_DLQ_NAME: "dml-dlq" };
    asRoot = { ...queue, RISK_DATABASE_URL: risk.url, PARTNER_SYNC_DATABASE_URL: sync.url };
    dml = await createMysqlDmlUser([risk.url, sync.url]);
    asDml = {
      ...queue,
      RISK_DATABASE_URL: dml.urls[0] ?? "",
      PARTNER_SYNC_DATABASE_URL: dml.urls[1] ?? "",
      MIGRATE_ON_START: "false",
      SQS_CREATE_QUEUES: "false",
    };
  });

  afterAll(async () => {
    await processes.stopAll();
    await dml?.dispose();
    await sqs?.stop();
    await risk?.drop();
    await sync?.drop();
  });

  it("when the DDL user migrates and sets up the queues first, then the whole pipeline and both services run as the DML user", async () => {
    // Before the step, the DML user cannot even migrate: it really has no DDL rights.
    const early = await processes.run("generate as DML, migrating", ["generate-test-debtors", "--count", "1"], {
      ...asDml,
      MIGRATE_ON_START: "true",
    });
    expect(early.code).not.toBe(0);
    expect(early.output).toMatch(/denied/i);

    const migrated = await processes.run("db-migrate as DDL user", ["db-migrate"], asRoot);
    expect(migrated.code, migrated.output).toBe(0);
    const queues = await processes.run("queues-setup", ["queues-setup"], asRoot);
    expect(queues.code, queues.output).toBe(0);

    const generated = await processes.run(
      "generate as DML",
      ["generate-test-debtors", "--count", String(DEBTORS), "--seed", "3", "--json"],
      asDml,
    );
    expect(generated.code, generated.output).toBe(0);
    const processed = await processes.run(
      "process-debtors as DML",
      ["process-debtors", "--threshold", "0", "--batch-size", "50", "--json"],
      asDml,
    );
    expect(processed.code, processed.output).toBe(0);
    const report = lastJsonLine<{ summary: { messages_queued: number }; delivery: { published: number } }>(
      processed.stdout,
    );
    expect(report.summary.messages_queued).toBe(DEBTORS);
    expect(report.delivery.published).toBe(DEBTORS);
    const consumed = await processes.run("consume as DML", ["consume", "--until-empty", "--json"], asDml);
    expect(consumed.code, consumed.output).toBe(0);
    expect(lastJsonLine<{ applied: number }>(consumed.stdout).applied).toBe(DEBTORS);

    const [riskPort, syncPort] = [await freePort(), await freePort()];
    const servers = [
      processes.start("risk-service as DML", RISK_SERVER, [], { ...asDml, RISK_API_PORT: String(riskPort) }),
      processes.start("partner-sync as DML", PARTNER_SYNC_SERVER, [], {
        ...asDml,
        PARTNER_SYNC_API_PORT: String(syncPort),
      }),
    ];
    for (const port of [riskPort, syncPort]) {
      await waitUntil(
        `the service on ${port} to be ready`,
        () =>
          fetch(`http://127.0.0.1:${port}/readyz`)
            .then((r) => r.status)
            .catch(() => 0),
        (status) => status === 200,
        { intervalMs: 100 },
      );
    }
    for (const server of servers) server.kill("SIGTERM");
    for (const server of servers) {
      expect(await exitWithin(server, 20_000), server.output().slice(-2000)).toEqual({ code: 0, signal: null });
    }
  }, 240_000);
});
