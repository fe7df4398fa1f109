import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PASSWORDS } from "../server/console-test-kit";
import {
  launchChromium,
  screenshot,
  seriousViolations,
  signInThroughForm,
  watchConsoleErrors,
} from "./browser-harness";
import { type ConsoleStack, startConsoleStack } from "./console-stack";

let stack: ConsoleStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, reducedMotion: "reduce" });
  page = await context.newPage();
  consoleErrors = watchConsoleErrors(page);
});
afterEach(async () => {
  await context.close();
});

async function signInAs(role: keyof typeof PASSWORDS): Promise<void> {
  await signInThroughForm(page, stack.consoleUrl, role, PASSWORDS[role]);
  await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
}

/** Console errors other than the 4xx answers a test provokes on purpose. */
const unexpectedErrors = () => consoleErrors.filter((text) => !/status of 4\d\d/.test(text));

describe("the built SPA", () => {
  it("when index.html is loaded, then the JavaScript it pulls in at once stays within 250 KB gzipped", () => {
    const html = readFileSync(join(stack.staticDir, "index.html"), "utf8");
    const initial = [
      ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g),
    ].map((match) => match[1] ?? "");
    expect(initial.length).toBeGreaterThan(0);
    const gzipped = initial.reduce((sum, path) => sum + gzipSync(readFileSync(join(stack.staticDir, path))).length, 0);
    expect(gzipped).toBeLessThanOrEqual(250 * 1024);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc)[^>]*>/);
  });
});

describe("recovery console in Chromium", () => {
  it("when a page has an unlabelled field and unreadable text, then the accessibility check reports them", async () => {
    await page.setContent(
      '<html lang="en"><head><title>t</title></head><body><main><input type="text"><p style="color:#eee;background:#fff">faint</p></main></body></html>',
    );
    const found = (await seriousViolations(page)).map((violation) => violation.id);
    expect(found).toEqual(expect.arrayContaining(["label", "color-contrast"]));
  });

  it("when the password is wrong, then sign-in is refused; typed with the keyboard and right, the overview opens", async () => {
    await page.goto(`${stack.consoleUrl}/review`);
    await page.getByLabel("Username").fill("reviewer");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByText("Wrong username or password").count()).toBe(1);
    expect(await page.context().cookies()).toEqual([]);

    await page.getByLabel("Password").focus();
    await page.keyboard.type(PASSWORDS.reviewer);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Review queue", level: 1 }).waitFor();
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: "sr_session", httpOnly: true, sameSite: "Strict", secure: false });
    expect(unexpectedErrors()).toEqual([]);
  });

  it("when every screen is opened, then axe-core finds no serious or critical violation and each is photographed", async () => {
    await page.goto(`${stack.consoleUrl}/sign-in`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "sign-in");

    await signInAs("admin");
    const screens: Array<{ link: string; heading: string; ready: string; shot: string }> = [
      { link: "Overview", heading: "Overview", ready: "Discrepancy #", shot: "overview" },
      { link: "Review queue", heading: "Review queue", ready: "Showing 1–", shot: "review-queue" },
      { link: "Worklist", heading: "Worklist", ready: "Debtor 4001 Example", shot: "worklist" },
      { link: "Processing", heading: "Processing", ready: "debtors", shot: "processing" },
      { link: "Partner books", heading: "Partner books", ready: "acme-collections", shot: "partner-books" },
      { link: "Dead letters", heading: "Dead letters", ready: "body is not JSON", shot: "dead-letters" },
    ];
    for (const screen of screens) {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: screen.link }).click();
      await page.getByRole("heading", { name: screen.heading, level: 1 }).waitFor();
      await page.getByText(screen.ready).first().waitFor();
      if (screen.shot === "overview") await page.locator(".recharts-bar-rectangle").first().waitFor();
      expect({ screen: screen.shot, violations: await seriousViolations(page) }).toEqual({
        screen: screen.shot,
        violations: [],
      });
    }

    await page.goto(`${stack.consoleUrl}/review/104`);
    await page.getByRole("heading", { name: "Audit timeline" }).waitFor();
    await page.getByRole("table", { name: "Factor scores (0–10)" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "discrepancy", { fullPage: true });
    expect(unexpectedErrors()).toEqual([]);
  });

  it("when filtered by minimum priority and sorted by priority, then every row is at least that and highest first", async () => {
    await signInAs("reviewer");
    await page.getByRole("link", { name: "Review queue" }).click();
    await page.getByLabel("Minimum priority").fill("700000");
    await page.getByLabel("Sort by").selectOption({ label: "Priority, highest first" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => page.url()).toContain("min_priority=700000");
    const column = await page.getByRole("columnheader").allTextContents();
    const priorityCells = page.locator(`tbody tr td:nth-child(${column.indexOf("Priority") + 1})`);
    const priorities = async () =>
      (await priorityCells.allTextContents()).map((text) => Number(text.replaceAll(",", "")));
    // The previous page stays visible while the filtered one loads.
    await expect.poll(async () => (await priorities()).every((value) => value >= 700_000)).toBe(true);
    const shown = await priorities();
    expect(shown.length).toBeGreaterThan(3);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
  });

  it("when five rows are acknowledged in bulk, then each row gets its own result and they leave the Open tab", async () => {
    await signInAs("reviewer");
    await page.getByRole("link", { name: "Review queue" }).click();
    await page.getByText("Showing 1–").waitFor();
    const boxes = page.getByRole("checkbox", { name: /^Select discrepancy / });
    const labels: string[] = [];
    for (let index = 0; index < 5; index++) {
      const box = boxes.nth(index);
      labels.push((await box.getAttribute("aria-label")) ?? "");
      await box.check();
    }
    const ids = labels.map((label) => label.replace("Select discrepancy ", ""));
    await page.getByRole("button", { name: "Acknowledge selected" }).click();
    const results = page.getByRole("table", { name: "Result per discrepancy" });
    await results.waitFor();
    const rows = await results.locator("tbody tr").allTextContents();
    expect(rows).toEqual(ids.map((id) => `#${id}Acknowledged`));
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Acknowledged 5 of 5." }).count()).toBe(1);
    for (const id of ids) {
      await expect
        .poll(() => page.getByRole("checkbox", { name: `Select discrepancy ${id}`, exact: true }).count())
        .toBe(0);
    }
    await screenshot(page, "review-queue-bulk-result");
  });

  it("when one is resolved with a note, then the note is in its timeline; assign to me names the reviewer", async () => {
    await signInAs("reviewer");
    await page.goto(`${stack.consoleUrl}/review?tab=acknowledged`);
    await page.getByText("Showing 1–").waitFor();
    const link = page.locator("tbody tr").first().getByRole("link");
    const id = ((await link.textContent()) ?? "").replace("#", "");
    await link.click();
    await page.getByRole("heading", { name: `Discrepancy #${id}`, level: 1 }).waitFor();

    await page.getByRole("button", { name: "Assign to me" }).click();
    await expect.poll(() => page.getByText("Assignment saved.").count()).toBe(1);
    await expect.poll(() => page.getByText("Assigned to reviewer", { exact: true }).count()).toBe(1);

    await page.getByLabel("Resolution note").fill("Partner confirmed the corrected balance by e-mail");
    await page.getByRole("button", { name: "Resolve", exact: true }).click();
    await expect.poll(() => page.getByText("Resolved.", { exact: true }).count()).toBe(1);
    const timeline = page.getByRole("list", { name: "Audit events, oldest first" });
    await expect.poll(() => timeline.getByText("Partner confirmed the corrected balance by e-mail").count()).toBe(1);
    await expect.poll(() => timeline.getByText("Resolved: Acknowledged → Resolved").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Resolve", exact: true }).count()).toBe(0);
  });

  it("when a viewer signs in, then no action control is shown and the services refuse an action anyway", async () => {
    await signInAs("viewer");
    await page.getByRole("link", { name: "Review queue" }).click();
    await page.getByText("Showing 1–").waitFor();
    expect(await page.getByRole("checkbox").count()).toBe(0);
    expect(await page.getByRole("button", { name: /selected$/ }).count()).toBe(0);
    expect(
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dead letters" }).count(),
    ).toBe(0);

    const answer = await page.evaluate(async () => {
      const session = (await (await fetch("/console/session")).json()) as { csrf_token: string };
      const response = await fetch("/api/partner_sync/discrepancies/105/acknowledge/", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": session.csrf_token },
        body: "{}",
      });
      return { status: response.status, body: await response.json() };
    });
    expect(answer).toMatchObject({ status: 403, body: { message: "needs the reviewer role" } });
  });

  it("when an operator uploads a partner book with bad rows, then the 422's row errors are listed", async () => {
    await signInAs("operator");
    await page.getByRole("link", { name: "Partner books" }).click();
    await page.getByRole("textbox", { name: "Partner", exact: true }).fill("acme-collections");
    await page.getByLabel("CSV file").setInputFiles({
      name: "acme-2026-12-02.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("debtor_id,balance,status\n4001,1200.50,UNPAID\n4002,99.999,PAID\n4003,10.125,PARTIAL\n"),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    const errors = page.getByRole("table", { name: "Row errors" });
    await errors.waitFor();
    expect(await errors.locator("tbody tr").allTextContents()).toEqual([
      "3balancemust have at most 2 decimals",
      "4balancemust have at most 2 decimals",
    ]);
    await page.getByText("The file was refused: 2 row errors. Nothing was stored.").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "partner-books-row-errors");
  });

  it("when the processing run is polled, then its progress moves on without a reload", async () => {
    await signInAs("operator");
    await page.getByRole("link", { name: "Processing" }).click();
    const bar = page.getByRole("progressbar").first();
    await bar.waitFor();
    const first = Number(await bar.getAttribute("value"));
    await expect
      .poll(async () => Number((await bar.getAttribute("value")) ?? first), { timeout: 10_000 })
      .toBeGreaterThan(first);
  });

  it("when the session's lifetime has passed, then the next call returns the user to sign-in with a notice", async () => {
    await signInAs("reviewer");
    stack.clock.advance(8 * 3600 + 60);
    await page.getByRole("link", { name: "Worklist" }).click();
    await page.getByRole("heading", { name: "Sign in to the recovery console" }).waitFor();
    expect(await page.getByRole("status").textContent()).toContain("Your session has ended");
    stack.clock.advance(-(8 * 3600 + 60));
  });
});
