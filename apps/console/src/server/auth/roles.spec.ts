import { describe, expect, it } from "vitest";
import { highestRole, isValidSubject, roleAtLeast } from "./roles";

describe("roles and subjects", () => {
  it("when a provider lists several roles, then the strongest known one counts", () => {
    expect(highestRole(["viewer", "smartrecover-operator", "operator", "reviewer"])).toBe("operator");
    expect(highestRole("admin")).toBe("admin");
    expect(highestRole(["root", 7])).toBeNull();
  });

  it("when roles are compared, then each has everything of the ones before it", () => {
    expect(roleAtLeast("admin", "viewer")).toBe(true);
    expect(roleAtLeast("reviewer", "operator")).toBe(false);
  });

  it("when a name is a system actor or has other characters, then it is not a subject", () => {
    expect(isValidSubject("ana.lyst@example.com")).toBe(true);
    for (const name of ["system", "Partner-Sync", "risk-service", "auth0|123", "", "a".repeat(65)]) {
      expect(isValidSubject(name)).toBe(false);
    }
  });
});
