import type { AddressInfo } from "node:net";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleTestApp } from "../testing/test-app";
import { createTestTokens } from "../testing/test-tokens";
import type { HttpApp } from "./create-http-app";

// Debian's Chromium (see the environment notes); CI installs it with apt-get when missing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const tokens = createTestTokens();

describe("the Swagger UI at /docs under helmet's Content-Security-Policy", () => {
  let app: HttpApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    app = await roleTestApp(tokens.auth());
    await app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Opens /docs, recording console errors and uncaught page errors (CSP refusals show up as console errors). */
  async function openDocs(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(`${base}/docs`);
    await page.locator(".swagger-ui .info .title").waitFor();
    return { page, problems };
  }

  async function tryListThings(page: Page): Promise<string> {
    const operation = page.locator("#operations-default-get_api_things_");
    await operation.locator(".opblock-summary").click();
    await operation.locator("button.try-out__btn").click();
    await operation.locator("button.execute").click();
    const status = operation.locator(".live-responses-table tbody td.response-col_status").first();
    await status.waitFor();
    // The cell reads e.g. "200 Undocumented": the status code comes first.
    return /^\d{3}/.exec((await status.textContent())?.trim() ?? "")?.[0] ?? "";
  }

  it("when the page loads, then the UI renders with the API's title and no CSP refusal or script error", async () => {
    const { page, problems } = await openDocs();
    expect(await page.locator(".swagger-ui .info .title").textContent()).toContain("auth test");
    expect(await page.locator("button.authorize").count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("when a call is tried without authorizing, then the UI shows 401", async () => {
    const { page } = await openDocs();
    expect(await tryListThings(page)).toBe("401");
    await page.close();
  });

  it("when a token is entered through Authorize, then the UI sends it and the call answers 200", async () => {
    const { page, problems } = await openDocs();
    await page.locator("button.authorize").click();
    await page.locator(".modal-ux input").fill(await tokens.token("viewer", { subject: "docs-user" }));
    await page.locator(".modal-ux button.authorize").click();
    await page.locator(".modal-ux button.btn-done").click();
    expect(await tryListThings(page)).toBe("200");
    expect(
      await page.locator(".live-responses-table tbody td.response-col_description").first().textContent(),
    ).toContain("docs-user");
    expect(problems).toEqual([]);
    await page.close();
  });
});
