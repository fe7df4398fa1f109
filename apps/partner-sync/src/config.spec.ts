import { ConfigError } from "@smartrecover/service-kit";
import { describe, expect, it } from "vitest";
import { loadPartnerSyncConfig } from "./config";

describe("loadPartnerSyncConfig", () => {
  it("when nothing is set, then the documented defaults apply", () => {
    const config = loadPartnerSyncConfig({ DATA_DIR: "data-folder" });
    expect(config).toMatchObject({
      PARTNER_SYNC_DATABASE_URL: expect.stringMatching(/^file:data-folder[/\\]partner-sync\.db$/),
      PARTNER_SYNC_API_PORT: 3001,
      PARTNER_NAME: "simulated-partner",
      PARTNER_SIMULATOR_SEED: 42,
      PARTNER_MISSING_PROBABILITY: 0.02,
      RECONCILIATION_TOLERANCE_PERCENT: 1,
      CONSUMER_BATCH_SIZE: 10,
      SQS_MAX_RECEIVE_COUNT: 5,
    });
  });

  it("when the tolerance is negative, then start-up fails naming the variable", () => {
    expect(() => loadPartnerSyncConfig({ RECONCILIATION_TOLERANCE_PERCENT: "-0.5" })).toThrow(ConfigError);
    expect(() => loadPartnerSyncConfig({ RECONCILIATION_TOLERANCE_PERCENT: "-0.5" })).toThrow(
      /RECONCILIATION_TOLERANCE_PERCENT: must not be negative/,
    );
  });

  it("when the tolerance is above 100, then 100 is used", () => {
    expect(loadPartnerSyncConfig({ RECONCILIATION_TOLERANCE_PERCENT: "250" }).RECONCILIATION_TOLERANCE_PERCENT).toBe(
      100,
    );
  });

  it("when the tolerance is not a decimal with at most four decimals, then start-up fails", () => {
    for (const bad of ["1.23456", "abc", "1e2", "1,5"]) {
      expect(() => loadPartnerSyncConfig({ RECONCILIATION_TOLERANCE_PERCENT: bad })).toThrow(
        /RECONCILIATION_TOLERANCE_PERCENT/,
      );
    }
    expect(loadPartnerSyncConfig({ RECONCILIATION_TOLERANCE_PERCENT: " 2.5 " }).RECONCILIATION_TOLERANCE_PERCENT).toBe(
      2.5,
    );
  });

  it("when a number is out of range, then start-up fails naming it; an empty value means the default", () => {
    expect(() => loadPartnerSyncConfig({ PARTNER_MISSING_PROBABILITY: "1.5" })).toThrow(/PARTNER_MISSING_PROBABILITY/);
    expect(() => loadPartnerSyncConfig({ PARTNER_SIMULATOR_SEED: "-1" })).toThrow(/PARTNER_SIMULATOR_SEED/);
    expect(() => loadPartnerSyncConfig({ CONSUMER_BATCH_SIZE: "11" })).toThrow(/CONSUMER_BATCH_SIZE/);
    expect(() => loadPartnerSyncConfig({ PARTNER_SYNC_DATABASE_URL: "postgres://x/y" })).toThrow(
      /PARTNER_SYNC_DATABASE_URL/,
    );
    expect(loadPartnerSyncConfig({ PARTNER_SIMULATOR_SEED: "" }).PARTNER_SIMULATOR_SEED).toBe(42);
  });
});
