import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseConfig } from "../config";
import { checkProcessedAt } from "./message-clock";
import { MESSAGE_SIGNATURE_ATTRIBUTE, signMessageBody, verifyMessageBody } from "./message-signature";
import { messageTrustEnv } from "./message-trust-env";

const KEY = "k".repeat(32);
const OTHER_KEY = "o".repeat(32);
const body = JSON.stringify({ debtor_id: 42, risk_level: "HIGH", processed_at: "2026-12-01T10:00:00.000Z" });

describe("message signatures", () => {
  it("when a body is signed, then the value is v1= and the HMAC-SHA256 of the body under the key (RFC 4231 vector)", () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    const expectedHex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    expect(signMessageBody("what do ya want for nothing?", "Jefe")).toBe(
      `v1=${Buffer.from(expectedHex, "hex").toString("base64url")}`,
    );
  });

  it("when the attribute name is read, then it is a valid SQS message attribute name", () => {
    expect(MESSAGE_SIGNATURE_ATTRIBUTE).toMatch(/^(?!aws\.|amazon\.)[A-Za-z0-9_-][A-Za-z0-9_.-]{0,254}$/i);
  });

  it("when the body and key are the signer's, then it verifies", () => {
    expect(verifyMessageBody(body, signMessageBody(body, KEY), KEY)).toBe(true);
  });

  it("when the message is unsigned, signed with another key, or carries a mangled signature, then it does not verify", () => {
    expect(verifyMessageBody(body, undefined, KEY)).toBe(false);
    expect(verifyMessageBody(body, "", KEY)).toBe(false);
    expect(verifyMessageBody(body, signMessageBody(body, OTHER_KEY), KEY)).toBe(false);
    const good = signMessageBody(body, KEY);
    expect(verifyMessageBody(body, good.slice(3), KEY)).toBe(false);
    expect(verifyMessageBody(body, `v2=${good.slice(3)}`, KEY)).toBe(false);
    expect(verifyMessageBody(body, `${good}A`, KEY)).toBe(false);
    expect(verifyMessageBody(body, good.toUpperCase(), KEY)).toBe(false);
    const rawHex = createHmac("sha256", KEY).update(body).digest("hex");
    expect(verifyMessageBody(body, rawHex, KEY)).toBe(false);
  });

  it("when any character of a signed body changes, then the signature no longer verifies", () => {
    const signature = signMessageBody(body, KEY);
    fc.assert(
      fc.property(fc.nat(body.length - 1), fc.string({ minLength: 1, maxLength: 1 }), (at, char) => {
        fc.pre(body[at] !== char);
        const changed = body.slice(0, at) + char + body.slice(at + 1);
        expect(verifyMessageBody(changed, signature, KEY)).toBe(false);
      }),
    );
  });
});

describe("processed_at clock skew", () => {
  const now = new Date("2026-12-01T12:00:00.000Z");

  it("when processed_at is in the past or within the skew ahead, then it is believable", () => {
    expect(checkProcessedAt("2026-11-01T00:00:00.000Z", now, 300)).toEqual({ ok: true });
    expect(checkProcessedAt("2026-12-01T12:05:00.000Z", now, 300)).toEqual({ ok: true });
    expect(checkProcessedAt(new Date("2026-12-01T12:04:59.000Z"), now, 300)).toEqual({ ok: true });
  });

  it("when processed_at is later than now plus the skew, then it is refused saying by how much", () => {
    expect(checkProcessedAt("2026-12-01T12:05:01.000Z", now, 300)).toEqual({
      ok: false,
      reason: "processed_at is 301 s in the future (at most 300 s allowed)",
    });
    expect(checkProcessedAt("2027-01-01T00:00:00.000Z", now, 0)).toMatchObject({ ok: false });
    expect(checkProcessedAt("2026-12-01T12:00:01.000Z", now, 0)).toMatchObject({ ok: false });
  });

  it("when processed_at is not a timestamp, then it is refused", () => {
    expect(checkProcessedAt("yesterday", now, 300)).toEqual({
      ok: false,
      reason: "processed_at is not a valid timestamp",
    });
  });

  it("when the variables are unset, then the skew is 300 s and no key is set; a short key is refused", () => {
    const Env = z.object(messageTrustEnv);
    expect(parseConfig(Env, {})).toEqual({ MESSAGE_MAX_CLOCK_SKEW_SECONDS: 300, MESSAGE_SIGNING_KEY: undefined });
    expect(parseConfig(Env, { MESSAGE_SIGNING_KEY: "" }).MESSAGE_SIGNING_KEY).toBeUndefined();
    expect(() => parseConfig(Env, { MESSAGE_SIGNING_KEY: "short-key" })).toThrow(
      /MESSAGE_SIGNING_KEY: must be at least 32 bytes/,
    );
    expect(() => parseConfig(Env, { MESSAGE_SIGNING_KEY: "short-key" })).not.toThrow(/short-key/);
  });
});
