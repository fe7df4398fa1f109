import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { redactUrlForLog } from "./logger";

const loggerModule = resolve(import.meta.dirname, "logger.ts");

function logOnce(destination: "stdout" | "stderr") {
  const script = `import { createLogger } from ${JSON.stringify(loggerModule)};
    createLogger({ level: "info", name: "probe", destination: ${JSON.stringify(destination)} }).info({ password: "hunter2" }, "hello");`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
}

describe("createLogger", () => {
  it("when the destination is stderr, then stdout stays empty (a CLI's --json output is the only thing there)", () => {
    const result = logOnce("stderr");
    expect(result.stdout).toBe("");
    expect(JSON.parse(result.stderr.trim())).toMatchObject({ msg: "hello", name: "probe" });
  });

  it("when logging to stdout (services), then lines are JSON and passwords are redacted", () => {
    const result = logOnce("stdout");
    const line = JSON.parse(result.stdout.trim());
    expect(line).toMatchObject({ msg: "hello", password: "[redacted]" });
    expect(result.stdout).not.toContain("hunter2");
  });
});

describe("redactUrlForLog", () => {
  it("when a URL carries a credential-like query value or a JWT anywhere, then the log sees [redacted] instead", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";
    expect(redactUrlForLog(`/api/x?access_token=${jwt}&page=2`)).toBe("/api/x?access_token=[redacted]&page=2");
    expect(redactUrlForLog("/api/x?page=2&Token=abc123&key=k#frag")).toBe(
      "/api/x?page=2&Token=[redacted]&key=[redacted]#frag",
    );
    expect(redactUrlForLog(`/api/share/${jwt}/view`)).toBe("/api/share/[redacted]/view");
  });

  it("when a URL has no credentials, then it is logged unchanged", () => {
    expect(redactUrlForLog("/api/risk_service/debtors/?limit=50&cursor=abc")).toBe(
      "/api/risk_service/debtors/?limit=50&cursor=abc",
    );
  });
});
