import { randomBytes } from "node:crypto";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit";
import { createMysqlOutageUser, type MysqlOutage } from "@smartrecover/db-kit/testing";
import { type LocalSqsServer, type QueueConnection, startLocalSqs } from "@smartrecover/queue";
import type { RiskService } from "@smartrecover/risk-service/service";
import { createTestTokens } from "@smartrecover/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLI,
  exitWithin,
  type ManagedProcess,
  PARTNER_SYNC_SERVER,
  ProcessGroup,
  RISK_SERVER,
  waitUntil,
} from "../faults/support/processes";
import { freshQueues, publishBodies } from "../faults/support/queues";
import { freePort, generateDebtors, openRisk, outboxCounts } from "../faults/support/risk-side";
import { inboxCount, openSyncDatabase, poisonCount } from "../faults/support/sync-side";

const WORKED = {
  total_debt_amount: "30000.00",
  monthly_income: "4000.00",
  late_payments_count: 3,
  employment_status: "UNEMPLOYED",
  contract_type: "FREELANCE",
  industry_sector: "HOSPITALITY",
  family_situation: "SINGLE_WITH_DEPENDENTS",
};

// Both services and the CLI at LOG_LEVEL=info through a whole scenario, with MySQL URLs holding
// passwords: API calls (good, invalid, malformed), a processing run, publishing, consuming,
// poison messages carrying a debtor's name and a password, the DLQ listing, and a service that
// fails to start with a wrong password. Tokens are in play (valid, forged, expired, one pasted
// into a URL) and queue messages are signed. No output may contain a debtor's name, a password, a
// message body, a token or a signing key; no API answer may contain a token or a key.
describe("logs at info level", () => {
  const processes = new ProcessGroup();
  const outputs: Array<{ label: string; text: () => string }> = [];
  const secretName = `Zelda Secretname-${randomBytes(3).toString("hex")}`;
  const wrongPassword = `wrong-${randomBytes(8).toString("hex")}`;
  const tokens = createTestTokens();
  const messageKey = randomBytes(48).toString("base64url");
  const usedTokens: string[] = [];
  const answers: string[] = [];
  /** A token for the role, remembered so the scan below looks for it. */
  const tokenFor = async (role: "operator" | "admin") => {
    const token = await tokens.token(role, { subject: `hygiene-${role}` });
    usedTokens.push(token);
    return token;
  };
  let riskDb: TestDatabase;
  let syncDb: TestDatabase;
  let risk: RiskService;
  let sync: ServiceDatabase;
  let riskAccount: MysqlOutage;
  let syncAccount: MysqlOutage;
  let sqs: LocalSqsServer;
  let queues: QueueConnection;
  let queueEnv: Record<string, string>;

  beforeAll(async () => {
    riskDb = createTestDatabase("mysql", "sec_logs_risk");
    syncDb = createTestDatabase("mysql", "sec_logs_sync");
    risk = await openRisk(riskDb.url);
    sync = await openSyncDatabase(syncDb.url);
    riskAccount = await createMysqlOutageUser(riskDb.url);
    syncAccount = await createMysqlOutageUser(syncDb.url);
    await generateDebtors(risk, 300, 7);
    sqs = await startLocalSqs();
    const target = freshQueues(sqs.endpoint, "logs");
    queues = target.queues;
    queueEnv = {
      ...target.env,
      LOG_LEVEL: "info",
      AUTH_SIGNING_KEY: tokens.signingKey,
      MESSAGE_SIGNING_KEY: messageKey,
    };
  });

  afterAll(async () => {
    await processes.stopAll();
    queues?.close();
    await sqs?.stop();
    await risk?.close();
    await sync?.close();
    await riskAccount?.dispose();
    await syncAccount?.dispose();
    await riskDb?.drop();
    await syncDb?.drop();
  });

  function track(process: ManagedProcess): ManagedProcess {
    outputs.push({ label: process.label, text: () => process.output() });
    return process;
  }
  async function cli(label: string, args: string[], env: Record<string, string>) {
    const process = track(processes.start(label, CLI, args, { ...queueEnv, ...env }));
    return { exit: await exitWithin(process, 60_000), output: process.output() };
  }
  const ready = (port: number) =>
    waitUntil(
      `the service on ${port}`,
      () => status(`http://127.0.0.1:${port}/readyz`),
      (code) => code === 200,
      {
        intervalMs: 100,
      },
    );

  it("when the services and the CLI work through a scenario at info level, then no log holds a debtor's name, a password, a message body, a token or a signing key", async () => {
    const riskPort = await freePort();
    const riskService = track(
      processes.start("risk-service", RISK_SERVER, [], {
        ...queueEnv,
        RISK_DATABASE_URL: riskAccount.url,
        RISK_API_PORT: String(riskPort),
      }),
    );
    await ready(riskPort);
    const api = `http://127.0.0.1:${riskPort}/api/risk_service`;
    const operator = await tokenFor("operator");
    const send = (url: string, method: string, body: object | string, token = operator) =>
      request(url, { method, token, body, answers });
    const read = (url: string, token: string) => request(url, { method: "GET", token, answers });
    const created = await send(`${api}/debtors/`, "POST", { ...WORKED, name: secretName });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: number }).id;
    expect((await send(`${api}/debtors/${id}/`, "PATCH", { name: `${secretName} Jr` })).status).toBe(200);
    expect(
      (await send(`${api}/debtors/`, "POST", { ...WORKED, name: secretName, employment_status: "X" })).status,
    ).toBe(400);
    // Malformed JSON whose first bytes are a name: the parser's message must not carry it to the log.
    expect((await send(`${api}/debtors/`, "POST", `${secretName} owes 30000`)).status).toBe(400);
    expect((await send(`${api}/debtors/`, "POST", `{"name": ${secretName}}`)).status).toBe(400);
    expect((await send(`${api}/debtors/${id}/`, "PUT", `{"name":"${secretName}",`)).status).toBe(400);
    expect((await read(`${api}/debtors/?limit=5`, operator)).status).toBe(200);
    // Tokens that fail: forged (another key), expired, and one pasted into a URL instead of a header.
    const forged = await tokens.sign(tokens.validClaims({ role: "admin" }), { key: randomBytes(48) });
    const expired = await tokens.sign(tokens.validClaims({ exp: Math.floor(Date.now() / 1000) - 120 }));
    usedTokens.push(forged, expired);
    expect((await read(`${api}/debtors/?limit=5`, forged)).status).toBe(401);
    expect((await read(`${api}/debtors/?limit=5`, expired)).status).toBe(401);
    expect((await request(`${api}/debtors/?limit=5&access_token=${operator}`, { method: "GET", answers })).status).toBe(
      401,
    );
    expect((await send(`${api}/process-runs/`, "POST", { batch_size: 50 })).status).toBe(202);
    await waitUntil(
      "the run to be published",
      () => outboxCounts(risk.db),
      (c) => c.rows > 0 && c.pending === 0,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const published = await outboxCounts(risk.db);

    await publishBodies(queues, [
      `{"name": "${secretName}", "password": "${syncAccount.password}"`,
      JSON.stringify({ message_id: "p-1", schema_version: 1, debtor_name: secretName, risk_level: secretName }),
      `${secretName} owes 30000.00`,
    ]);
    const syncPort = await freePort();
    const partnerSync = track(
      processes.start("partner-sync", PARTNER_SYNC_SERVER, [], {
        ...queueEnv,
        PARTNER_SYNC_DATABASE_URL: syncAccount.url,
        PARTNER_SYNC_API_PORT: String(syncPort),
      }),
    );
    await ready(syncPort);
    await waitUntil(
      "partner-sync to apply and dead-letter everything",
      async () => [await inboxCount(sync), await poisonCount(sync)],
      ([applied, poison]) => applied === published.rows && poison === 3,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const review = `http://127.0.0.1:${syncPort}/api/partner_sync`;
    const admin = await tokenFor("admin");
    expect((await read(`${review}/poison-messages/?bodies=true`, admin)).status).toBe(200);
    expect((await read(`${review}/discrepancies/?page_size=5`, admin)).status).toBe(200);
    expect((await read(`${review}/discrepancies/?page_size=5`, forged)).status).toBe(401);
    expect((await send(`${review}/discrepancies/1/acknowledge/`, "POST", `{"note": ${secretName}`, admin)).status).toBe(
      400,
    );

    riskService.kill("SIGTERM");
    partnerSync.kill("SIGTERM");
    expect(await exitWithin(riskService, 20_000)).toEqual({ code: 0, signal: null });
    expect(await exitWithin(partnerSync, 30_000)).toEqual({ code: 0, signal: null });

    const sync_ = { PARTNER_SYNC_DATABASE_URL: syncAccount.url };
    expect((await cli("dlq list", ["dlq", "list"], sync_)).exit.code).toBe(0);
    expect((await cli("dlq list --json", ["dlq", "list", "--json"], sync_)).exit.code).toBe(0);
    expect((await cli("consume", ["consume", "--until-empty"], sync_)).exit.code).toBe(0);
    expect(
      (await cli("process-debtors", ["process-debtors", "--json"], { RISK_DATABASE_URL: riskAccount.url })).exit.code,
    ).toBe(0);
    const wrongUrl = syncAccount.url.replace(syncAccount.password, wrongPassword);
    const refused = track(
      processes.start("partner-sync, wrong password", PARTNER_SYNC_SERVER, [], {
        ...queueEnv,
        PARTNER_SYNC_DATABASE_URL: wrongUrl,
        PARTNER_SYNC_API_PORT: String(await freePort()),
      }),
    );
    expect((await exitWithin(refused, 30_000)).code).toBe(1);
    expect(refused.output()).toMatch(/failed to start: .*Access denied/);

    const names = (await risk.db.query<{ name: string }>("SELECT name FROM debtors")).map((row) => row.name);
    const [first] = await risk.db.query<{ payload: string }>("SELECT payload FROM outbox_messages ORDER BY id LIMIT 1");
    if (!first) throw new Error("no outbox row: the scenario published nothing");
    const payload = first.payload;
    const secrets = [riskAccount.password, syncAccount.password, wrongPassword, payload, secretName, ...names];
    const credentials = [tokens.signingKey, messageKey, ...usedTokens];
    expect(usedTokens.length).toBe(4);
    expect(names).toContain(`${secretName} Jr`);
    const leaks = outputs.flatMap(({ label, text }) =>
      [...secrets, ...credentials]
        .filter((secret) => text().includes(secret) || text().includes(JSON.stringify(secret).slice(1, -1)))
        .map((secret) => `${label}: ${secret.slice(0, 60)}`),
    );
    expect(leaks).toEqual([]);
    // No answer, error or not, echoes a token or a key (a JWT's signature part is enough to look for).
    expect(answers.length).toBeGreaterThan(10);
    const echoed = answers.filter((body) =>
      credentials.some((secret) => body.includes(secret) || body.includes(secret.split(".").at(-1) ?? secret)),
    );
    expect(echoed).toEqual([]);
    // The scan read real logs: request lines, the consumer, the poison warnings.
    const all = outputs.map(({ text }) => text()).join("\n");
    expect(all).toContain('"msg":"incoming request"');
    expect(all).toContain('"msg":"poison message dead-lettered"');
    expect(all).toContain('"msg":"client error"');
  }, 240_000);
});

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url)).status;
  } catch {
    return 0;
  }
}

/** A request with a bearer token (when given); the answer's body is kept for the echo check. */
async function request(
  url: string,
  options: { method: string; token?: string; body?: object | string; answers: string[] },
): Promise<{ status: number; json(): Promise<unknown> }> {
  const response = await fetch(url, {
    method: options.method,
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  options.answers.push(text);
  return { status: response.status, json: async () => JSON.parse(text) };
}
