import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningConsole, startConsole } from "./console-test-kit";

const INDEX = '<!doctype html><html lang="en"><head><title>Recovery console</title></head><body></body></html>';
const BUNDLE = "console.log('bundle');";
let staticDir: string;
let running: RunningConsole;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), "console-static-"));
  mkdirSync(join(staticDir, "assets"));
  writeFileSync(join(staticDir, "index.html"), INDEX);
  writeFileSync(join(staticDir, "assets", "index-Ab12Cd34.js"), BUNDLE);
  writeFileSync(join(staticDir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  running = await startConsole({ CONSOLE_STATIC_DIR: staticDir });
});
afterAll(async () => {
  await running.close();
  rmSync(staticDir, { recursive: true, force: true });
});

const page = (path: string) => fetch(`${running.url}${path}`, { headers: { accept: "text/html,*/*" } });

describe("serving the built SPA", () => {
  it("when / is asked, then index.html is served, revalidated each time, with a strict CSP", async () => {
    const response = await page("/");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("when a client route such as /review/42 is opened, then index.html is served", async () => {
    const response = await page("/review/42?tab=open");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX);
  });

  it("when a hashed asset is asked, then it is cached for good", async () => {
    const response = await fetch(`${running.url}/assets/index-Ab12Cd34.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(BUNDLE);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("when an unhashed file is asked, then it is revalidated", async () => {
    const response = await fetch(`${running.url}/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-cache");
  });

  it("when a missing asset, a server path or a non-HTML request misses, then a JSON 404, never the SPA", async () => {
    for (const response of [
      await page("/assets/missing-00000000.js"),
      await page("/console/nothing-here"),
      await fetch(`${running.url}/review/42`, { headers: { accept: "application/json" } }),
    ]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ status_code: 404, code: "ROUTE_NOT_FOUND" });
    }
  });

  it("when the health probes are asked, then they answer without a session", async () => {
    expect(await (await fetch(`${running.url}/healthz`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${running.url}/readyz`)).json()).toEqual({ status: "ready" });
  });
});

describe("before the SPA is built", () => {
  it("when a page is opened, then 503 says how to build it", async () => {
    const empty = mkdtempSync(join(tmpdir(), "console-unbuilt-"));
    const unbuilt = await startConsole({ CONSOLE_STATIC_DIR: empty });
    try {
      const response = await fetch(`${unbuilt.url}/`, { headers: { accept: "text/html" } });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("pnpm build:console");
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
