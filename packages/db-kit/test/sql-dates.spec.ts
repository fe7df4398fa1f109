import { describe, expect, it } from "vitest";
import { mysqlTimestamp, readDate, sqliteTimestamp } from "../src/sql-dates";

describe("readDate", () => {
  const instant = "2026-03-29T01:30:00.250Z";

  it("when given each form a driver returns, then it reads the same UTC instant", () => {
    expect(
      [
        new Date(instant),
        "2026-03-29T01:30:00.250+00:00",
        "2026-03-29T03:30:00.250+02:00",
        "2026-03-29 01:30:00.250",
        Date.parse(instant),
      ].map((value) => readDate(value).toISOString()),
    ).toEqual(Array(5).fill(instant));
  });

  it("when SQLite's CURRENT_TIMESTAMP text (no zone) is read in a non-UTC process, then it is UTC, not local time", () => {
    const previous = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      expect(readDate("2026-03-29 01:30:00").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it("when the value is NULL, then it stays null; when unreadable, then it is an error naming the value", () => {
    expect(readDate(null)).toBeNull();
    expect(() => readDate("yesterday")).toThrow(/unreadable stored date: yesterday/);
  });

  it("when a date is written, then each dialect's text matches what Prisma's adapters write", () => {
    const date = new Date("2026-11-27T10:11:12.345Z");
    expect(sqliteTimestamp(date)).toBe("2026-11-27T10:11:12.345+00:00");
    expect(mysqlTimestamp(date)).toBe("2026-11-27 10:11:12.345");
  });
});
