import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { highestKnownRole, ROLES, roleBelow, roleSatisfies } from "./roles";
import { subjectProblem } from "./subject";
import { MAX_TOKEN_LIFETIME_SECONDS, parseTokenLifetime } from "./token-lifetime";

describe("roles", () => {
  it("when roles are compared, then each has everything of the roles before it (domain.md §9 order)", () => {
    const order = ["viewer", "reviewer", "operator", "admin"] as const;
    for (const [i, held] of order.entries()) {
      for (const [j, needed] of order.entries())
        expect(roleSatisfies(held, needed), `${held} vs ${needed}`).toBe(i >= j);
    }
    expect([roleBelow("viewer"), roleBelow("reviewer"), roleBelow("admin")]).toEqual([undefined, "viewer", "operator"]);
  });

  it("when a roles claim is a string, an array or anything else, then the highest known role counts", () => {
    expect(highestKnownRole("operator")).toBe("operator");
    expect(highestKnownRole(["viewer", "offline_access", "admin", "reviewer"])).toBe("admin");
    expect(highestKnownRole(["uma_authorization", "Admin"])).toBeUndefined();
    expect(highestKnownRole(undefined)).toBeUndefined();
    expect(highestKnownRole({ admin: true })).toBeUndefined();
    expect(highestKnownRole([])).toBeUndefined();
  });

  it("when a claim mixes roles and other strings in any order, then the answer is the highest role by rank", () => {
    const rank = new Map([
      ["viewer", 1],
      ["reviewer", 2],
      ["operator", 3],
      ["admin", 4],
    ]);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...ROLES), fc.string())), (claim) => {
        const best = Math.max(0, ...claim.map((value) => rank.get(value) ?? 0));
        const expected = [...rank].find(([, value]) => value === best)?.[0];
        expect(highestKnownRole(claim)).toBe(expected);
      }),
    );
  });
});

describe("subjects", () => {
  it.each(["a", "alice", "Ops.Bot_7", "jane.doe@example.com", "x".repeat(64), "svc-export"])(
    "when the subject is %s, then it is accepted",
    (subject) => expect(subjectProblem(subject)).toBeUndefined(),
  );

  it.each(["", "x".repeat(65), "with space", "semi;colon", "ümlaut", "tab\there", "new\nline", "slash/name"])(
    "when the subject is %j, then it is refused for its characters or length",
    (subject) => expect(subjectProblem(subject)).toMatch(/1–64 characters/),
  );

  it.each(["system", "partner-sync", "risk-service", "system:outbox", "SYSTEM", "Partner-Sync", "System:anything"])(
    "when the subject is the reserved %s, then it is refused as reserved",
    (subject) => expect(subjectProblem(subject)).toMatch(/reserved/),
  );

  it("when a subject merely contains a reserved word, then it is accepted", () => {
    expect(subjectProblem("systems-team")).toBeUndefined();
    expect(subjectProblem("my-risk-service")).toBeUndefined();
  });
});

describe("token lifetimes", () => {
  it.each([
    ["30s", 30],
    ["15m", 900],
    ["8h", 28_800],
    ["30d", 2_592_000],
    ["1s", 1],
    ["720h", 2_592_000],
  ])("when the lifetime is %s, then it is %i seconds", (text, seconds) => {
    expect(parseTokenLifetime(text)).toBe(seconds);
  });

  it.each(["31d", "721h", "43201m", "2592001s"])("when %s is over 30 days, then it is refused", (text) => {
    expect(() => parseTokenLifetime(text)).toThrow(/at most 30d/);
  });

  it.each(["", "8", "h", "0s", "08h", "8H", "8 h", " 8h", "8h ", "1.5h", "-1h", "8hours", "1w", "1e3s", "８h"])(
    "when the lifetime is written %j, then it is refused",
    (text) => {
      expect(() => parseTokenLifetime(text)).toThrow(/whole number followed by s, m, h or d/);
    },
  );

  it("when 30 days is expressed in any unit, then it is exactly the maximum", () => {
    expect(MAX_TOKEN_LIFETIME_SECONDS).toBe(30 * 24 * 60 * 60);
  });
});
