import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

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
