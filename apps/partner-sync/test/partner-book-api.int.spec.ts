import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import type { HttpApp } from "@smartrecover/service-kit";
import Fastify from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { partnerBookRoutes } from "../src/partner-books/partner-book.routes";
import type { PartnerSync } from "../src/service";
import { makeMessage, snapshotTables } from "./support/fixtures";
import { buildTestApp, openTestService } from "./support/test-service";

const PARTNER = "acme-collections";
const MAX_BYTES = 4096;
const URL = `/api/partner_sync/partner-books/?partner=${PARTNER}`;
const GOOD = "debtor_id,balance,status\n1,100.00,PAID\n2,50.5,unpaid\n";

const csv = (body: string | Buffer) => ({
  method: "POST" as const,
  url: URL,
  headers: { "content-type": "text/csv" },
  payload: body,
});

function multipart(file: Buffer, boundary = "----smartrecover-test") {
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="book.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return {
    method: "POST" as const,
    url: URL,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    payload,
  };
}

/** Each refused file of issue #12, with the line and column its first error must name. */
const REFUSED: Array<[name: string, body: Buffer, line: number, column: string | null]> = [
  ["a wrong header", Buffer.from("debtor,balance,status\n1,1.00,PAID\n"), 1, "debtor"],
  ["a missing column", Buffer.from("debtor_id,balance\n1,1.00\n"), 1, "status"],
  ["a malformed decimal", Buffer.from("debtor_id,balance,status\n1,1.00,PAID\n2,1.2.3,PAID\n"), 3, "balance"],
  ["three decimals", Buffer.from("debtor_id,balance,status\n1,1.005,PAID\n"), 2, "balance"],
  ["a negative balance", Buffer.from("debtor_id,balance,status\n1,1.00,PAID\n2,-4.00,PAID\n"), 3, "balance"],
  ["an unknown status", Buffer.from("debtor_id,balance,status\n1,1.00,SETTLED\n"), 2, "status"],
  [
    "a debtor id twice",
    Buffer.from("debtor_id,balance,status\n7,1.00,PAID\n8,1.00,PAID\n7,2.00,PAID\n"),
    4,
    "debtor_id",
  ],
  ["an empty file", Buffer.alloc(0), 1, null],
  ["a header only", Buffer.from("debtor_id,balance,status\n"), 2, null],
  [
    "bytes that are not UTF-8",
    Buffer.concat([Buffer.from("debtor_id,balance,status,reference\n1,1.00,PAID,caf"), Buffer.from([0xe9, 0x0a])]),
    2,
    "reference",
  ],
];

describe.each(TEST_DIALECTS)("partner book API on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let app: HttpApp;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "book_api");
    sync = await openTestService(testDb.url, {
      env: { PARTNER_BOOK_SOURCE: "imported", PARTNER_NAME: PARTNER, PARTNER_BOOK_MAX_BYTES: String(MAX_BYTES) },
    });
    db = sync.db;
    app = await buildTestApp(sync);
    await sync.services.applier.applyBatch([
      makeMessage({ debtor_id: 1, debt_amount: "100.00", payment_status: "PAID" }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await sync?.close();
    await testDb?.drop();
  });

  it.each(REFUSED)(
    "when the file has %s, then 422 names the line and nothing changes",
    async (_name, body, line, column) => {
      const before = await snapshotTables(db);
      const response = await app.inject(csv(body));
      expect(response.statusCode, response.body).toBe(422);
      const answer = response.json();
      expect(answer.code).toBe("INVALID_PARTNER_BOOK");
      expect(answer.total_errors).toBeGreaterThanOrEqual(1);
      expect(answer.errors[0]).toMatchObject({ line, column });
      expect(await snapshotTables(db)).toEqual(before);
    },
  );

  it("when a file has more than 100 errors, then 100 are listed and the total counts them all", async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `${i + 1},x,PAID`).join("\n");
    const response = await app.inject(csv(`debtor_id,balance,status\n${rows}\n`));
    expect(response.statusCode).toBe(422);
    expect([response.json().errors.length, response.json().total_errors]).toEqual([100, 150]);
  });

  it("when the upload is larger than PARTNER_BOOK_MAX_BYTES, then 413 and nothing changes", async () => {
    const before = await snapshotTables(db);
    const rows = Array.from({ length: 400 }, (_, i) => `${i + 1},1.00,PAID`).join("\n");
    const big = Buffer.from(`debtor_id,balance,status\n${rows}\n`);
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    const response = await app.inject(csv(big));
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe("PARTNER_BOOK_TOO_LARGE");
    const multi = await app.inject(multipart(big));
    expect(multi.statusCode).toBe(413);
    expect(await snapshotTables(db)).toEqual(before);
  });

  it("when a valid file is posted as text/csv, then 201 with the summary, and the same file again is 409 naming it", async () => {
    const response = await app.inject(csv(GOOD));
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      partner: PARTNER,
      state: "COMPLETE",
      rows: 2,
      resumed: false,
      summary: { rows: 2, debtors_rereconciled: 1, matched: 1, rows_for_never_synced_debtors: 1 },
    });
    const before = await snapshotTables(db);
    const again = await app.inject(multipart(Buffer.from(GOOD)));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "DUPLICATE_PARTNER_BOOK", earlier_import: { id: created.id } });
    expect(again.json().message).toContain(`import ${created.id}`);
    expect(await snapshotTables(db)).toEqual(before);
  });

  it("when a valid file is uploaded as multipart, then it becomes the book; the imports are listed and readable", async () => {
    const response = await app.inject(multipart(Buffer.from("debtor_id;balance;status\r\n1;90.00;PAID\r\n")));
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json().id;
    expect(response.json().summary).toMatchObject({ debtors_rereconciled: 1, matched: 0, discrepancies_opened: 1 });

    const list = await app.inject({ method: "GET", url: "/api/partner_sync/partner-books/?limit=1" });
    expect(list.json()).toMatchObject({ items: [{ id }], next_before: id });
    const next = await app.inject({ method: "GET", url: `/api/partner_sync/partner-books/?before=${id}` });
    expect(next.json().items.map((item: { state: string }) => item.state)).toEqual(["COMPLETE"]);
    const one = await app.inject({ method: "GET", url: `/api/partner_sync/partner-books/${id}/` });
    expect(one.json()).toMatchObject({ id, rows: 1, imported_by: "anonymous" });
    const missing = await app.inject({ method: "GET", url: "/api/partner_sync/partner-books/999999/" });
    expect(missing.statusCode).toBe(404);
  });

  it("when the OpenAPI document is read, then it describes the import's answers and the listing", async () => {
    const docs = (await app.inject({ url: "/docs/json" })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
      components: { schemas: Record<string, unknown> };
    };
    const post = docs.paths["/api/partner_sync/partner-books/"]?.post;
    expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(["201", "409", "413", "422"]));
    expect(docs.paths["/api/partner_sync/partner-books/{id}/"]?.get).toBeDefined();
    expect(Object.keys(docs.components.schemas)).toEqual(
      expect.arrayContaining(["PartnerBookImport", "PartnerBookRefused", "PartnerBookDuplicate"]),
    );
  });

  it("when the partner is not named, then 400 and nothing is read", async () => {
    const response = await app.inject({ ...csv(GOOD), url: "/api/partner_sync/partner-books/" });
    expect(response.statusCode).toBe(400);
  });

  it("when the routes register, then importing needs the operator role and reading the viewer role", async () => {
    const roles: string[] = [];
    const probe = Fastify();
    probe.setValidatorCompiler(validatorCompiler);
    probe.setSerializerCompiler(serializerCompiler);
    probe.addHook("onRoute", (route) => {
      roles.push(`${[route.method].flat().join(",")} ${route.url} ${route.config?.role}`);
    });
    await probe.register(partnerBookRoutes, { prefix: "/api/partner_sync", service: sync.services.partnerBooks });
    await probe.ready();
    expect(roles.filter((line) => !line.startsWith("HEAD")).sort()).toEqual([
      "GET /api/partner_sync/partner-books/ viewer",
      "GET /api/partner_sync/partner-books/:id/ viewer",
      "POST /api/partner_sync/partner-books/ operator",
    ]);
    await probe.close();
  });
});
