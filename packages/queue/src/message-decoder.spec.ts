import { HighPriorityDebtorMessage, QUEUE_MESSAGE_SCHEMA_VERSION } from "@smartrecover/contracts";
import { describe, expect, it } from "vitest";
import { decodeMessage as decode } from "./message-decoder";

const contract = {
  schema: HighPriorityDebtorMessage,
  version: { field: "schema_version", supported: QUEUE_MESSAGE_SCHEMA_VERSION },
};
const decodeMessage = (body: string) => decode(body, contract);

const valid = {
  message_id: "0b7c3f0e-4a57-4c44-9d6c-3c1d8f2a9e11",
  schema_version: 1,
  run_id: "5d1c8a7e-2f3b-4e6a-8c9d-0a1b2c3d4e5f",
  debtor_id: 42,
  debt_amount: "30000.00",
  risk_score: 377,
  risk_level: "CRITICAL",
  priority: "11310000.00",
  payment_status: "UNPAID",
  processed_at: "2026-01-02T03:04:05.000Z",
};

describe("decodeMessage", () => {
  it("when the body is a valid version-1 message, then it is returned typed", () => {
    expect(decodeMessage(JSON.stringify(valid))).toEqual({ ok: true, message: valid });
  });

  it("when the body is not JSON, then the reason says malformed JSON and where, without quoting the body", () => {
    expect(decodeMessage("{not json")).toEqual({ ok: false, reason: "malformed JSON at position 1 (line 1 column 2)" });
    expect(decodeMessage("secret 4111")).toEqual({ ok: false, reason: "malformed JSON" });
  });

  it("when the schema version is not 1, then the reason names the version", () => {
    const decoded = decodeMessage(JSON.stringify({ ...valid, schema_version: 2 }));
    expect(decoded).toEqual({ ok: false, reason: "unsupported schema_version 2; expected 1" });
  });

  it("when the schema version is missing, then the reason says so", () => {
    const { schema_version: _, ...rest } = valid;
    expect(decodeMessage(JSON.stringify(rest))).toMatchObject({
      ok: false,
      reason: expect.stringContaining("(missing)"),
    });
  });

  it("when a field breaks the contract, then the reason names the field", () => {
    const decoded = decodeMessage(JSON.stringify({ ...valid, debt_amount: 30000 }));
    expect(decoded).toMatchObject({ ok: false, reason: expect.stringContaining("debt_amount") });
  });

  it("when the body is JSON but not an object, then it is rejected by the schema", () => {
    expect(decodeMessage("[1,2]")).toMatchObject({ ok: false, reason: expect.stringMatching(/^schema/) });
  });

  it("when no version field is declared, then only the schema decides", () => {
    const decoded = decode(JSON.stringify({ ...valid, schema_version: 2 }), { schema: HighPriorityDebtorMessage });
    expect(decoded).toMatchObject({ ok: false, reason: expect.stringMatching(/^schema: schema_version/) });
  });
});
