import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import {
  type LocalSqsServer,
  publishMessages,
  type QueueConnection,
  queueDepth,
  startLocalSqs,
} from "@smartrecover/queue";
import type { HttpApp, Role } from "@smartrecover/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_PREFIX } from "../src/app";
import type { DeadLetterList, RedriveOutcome } from "../src/dead-letters/dead-letter.schemas";
import type { PartnerSync } from "../src/service";
import { freshQueueSettings, openTestQueues } from "./support/consumer-fixtures";
import { buildTestApp, openTestService, testTokens } from "./support/test-service";

// The dead-letter API against a real SQS server (fauxqs on loopback); the database plays no part.
describe("dead-letter API", () => {
  let testDb: TestDatabase;
  let server: LocalSqsServer;
  let queues: QueueConnection;
  let sync: PartnerSync;
  let app: HttpApp;
  const bodies = ['{"message_id":"m-1","debtor_id":1}', "not json at all", '{"message_id":"m-3"}'];

  beforeAll(async () => {
    testDb = createTestDatabase("sqlite", "dead_letters");
    server = await startLocalSqs();
    queues = openTestQueues(freshQueueSettings(server, "dlq-api"));
    sync = await openTestService(testDb.url, { deadLetterQueues: queues });
    app = await buildTestApp(sync);
    const { dlqUrl } = await queues.urls();
    const sent = await publishMessages(
      queues.sqs,
      dlqUrl,
      bodies.map((body, i) => ({ key: String(i), body })),
    );
    expect(sent.published).toHaveLength(3);
  });

  afterAll(async () => {
    await app?.close();
    await sync?.close();
    queues?.close();
    await server?.stop();
    await testDb?.drop();
  });

  async function call<T>(role: Role | null, method: "GET" | "POST", url: string, payload?: unknown) {
    const headers = role ? { authorization: `Bearer ${await testTokens.token(role)}` } : {};
    const response = await app.inject({ method, url: `${API_PREFIX}${url}`, headers, payload: payload as object });
    return { status: response.statusCode, body: response.json() as T };
  }

  it("when an admin lists dead letters, then each is shown without being consumed, bodies only on request", async () => {
    const list = await call<DeadLetterList>("admin", "GET", "/dead-letters/");
    expect(list.status).toBe(200);
    expect(list.body.depth).toBe(3);
    expect(list.body.items.map((item) => item.message_id).sort()).toEqual(["m-1", "m-3", null].sort());
    expect(list.body.items.every((item) => item.body === undefined)).toBe(true);
    const withBodies = await call<DeadLetterList>("admin", "GET", "/dead-letters/?bodies=true");
    expect(withBodies.body.items.map((item) => item.body).sort()).toEqual([...bodies].sort());
  });

  it("when anyone below admin asks for dead letters or a redrive, then it is refused and nothing moves", async () => {
    for (const role of ["viewer", "reviewer", "operator"] as const) {
      expect((await call(role, "GET", "/dead-letters/")).status).toBe(403);
      expect((await call(role, "POST", "/dead-letters/redrive/", {})).status).toBe(403);
    }
    expect((await call(null, "POST", "/dead-letters/redrive/", {})).status).toBe(401);
    expect((await call("operator", "GET", "/poison-messages/?bodies=true")).status).toBe(403);
    expect((await call("viewer", "GET", "/poison-messages/")).status).toBe(403);
    expect((await call("admin", "GET", "/poison-messages/?bodies=true")).status).toBe(200);
    const { dlqUrl } = await queues.urls();
    const depth = await queueDepth(queues.sqs, dlqUrl);
    expect(depth.visible + depth.inFlight).toBe(3);
  });

  it("when an admin redrives two, then two move to the main queue and one stays", async () => {
    expect((await call("admin", "POST", "/dead-letters/redrive/", { limit: 0 })).status).toBe(400);
    const moved = await call<RedriveOutcome>("admin", "POST", "/dead-letters/redrive/", { limit: 2 });
    expect(moved).toEqual({ status: 200, body: { redriven: 2, failed: 0 } });
    const { dlqUrl, queueUrl } = await queues.urls();
    const [dlq, main] = await Promise.all([queueDepth(queues.sqs, dlqUrl), queueDepth(queues.sqs, queueUrl)]);
    expect(dlq.visible + dlq.inFlight).toBe(1);
    expect(main.visible + main.inFlight).toBe(2);
  });
});
