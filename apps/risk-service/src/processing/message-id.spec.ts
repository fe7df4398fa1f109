import { validate, version } from "uuid";
import { describe, expect, it } from "vitest";
import { newMessageId } from "./message-id";

describe("newMessageId", () => {
  it("when called many times, then every id is a distinct UUIDv7", () => {
    const ids = Array.from({ length: 5000 }, () => newMessageId());
    for (const id of ids) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("when ids are made within one millisecond and across the pool refill, then they keep increasing", () => {
    const now = Date.now() + 60_000;
    const ids = Array.from({ length: 1000 }, () => newMessageId(now));
    expect([...ids].sort()).toEqual(ids);
  });

  it("when time moves on, then the id's timestamp follows it", () => {
    const now = Date.now() + 120_000;
    const id = newMessageId(now);
    const msecs = Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);
    expect(msecs).toBe(now);
  });
});
