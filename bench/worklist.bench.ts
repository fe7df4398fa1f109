// The console's worklist sources (issue 14): risk-service's GET /debtors/priority/?top=10 and
// /debtors/high-risk/ at the server, over debtors seeded in plain SQL (100,000 by default;
// 1,000,000 with --large), 80 % of them scored, on SQLite and MariaDB. Goal: both ≤ 20 ms at the
// server with 1,000,000 debtors (they walk the stored priority and score indexes).
import { join } from "node:path";
import type { SqlExecutor } from "@smartrecover/db-kit";
import { createLogger } from "@smartrecover/service-kit";
import { createTestTokens } from "@smartrecover/service-kit/testing";
import { API_PREFIX, buildApp } from "../apps/risk-service/src/app";
import { loadRiskServiceConfig } from "../apps/risk-service/src/config";
import { openRiskService } from "../apps/risk-service/src/service";
import {
  type BenchSection,
  type BenchSettings,
  type GoalCheck,
  int,
  log,
  markdownTable,
  median,
  withMysqlDatabase,
  withTempDir,
} from "./bench-kit";
import { ms, msRange, N, TEN_THOUSAND, type Timed, timeRequests } from "./server-timing";

const GOAL_MS = 20;

interface Result {
  database: string;
  debtors: number;
  seedSeconds: number;
  timings: Timed[];
}

// The factor scores shown with a stored score; the bench reads pages, so one set serves every row.
const FACTORS = JSON.stringify({
  debt_ratio: 5,
  payment_history: 4,
  employment_status: 5,
  contract_type: 5,
  industry_sector: 5,
  family_situation: 4,
});

const pick = (column: string, values: readonly string[], salt: number) =>
  `CASE (${N} + ? + ${salt}) % ${values.length} ${values.map((v, i) => `WHEN ${i} THEN '${v}'`).join(" ")} END`;

/**
 * Seeds debtors 10,000 per INSERT … SELECT (the triggers set each one's priority, as for any
 * writer), then scores 80 % of them with scores spread over 45–450 and levels to match.
 */
async function seed(db: SqlExecutor, count: number): Promise<void> {
  const at = new Date();
  for (let base = 0; base < count; base += 10_000) {
    await db.execute(
      `INSERT INTO debtors (id, name, total_debt_amount, monthly_income, late_payments_count, employment_status,
          contract_type, industry_sector, family_situation, payment_status, created_at, updated_at)
        SELECT ${N} + ? + 1, 'Bench Debtor', 500 + ((${N} + ?) * 7919 % 7450000) / 100, 2000 + ((${N} + ?) * 104729 % 1000000) / 100,
          (${N} + ?) % 13,
          ${pick("employment_status", ["EMPLOYED", "GOVERNMENT_EMPLOYED", "SELF_EMPLOYED", "RETIRED", "UNEMPLOYED", "STUDENT"], 1)},
          ${pick("contract_type", ["PERMANENT", "CONTRACT", "TEMPORARY", "FREELANCE"], 2)},
          ${pick("industry_sector", ["HEALTHCARE", "FINANCE", "RETAIL", "HOSPITALITY", "CONSTRUCTION"], 3)},
          ${pick("family_situation", ["MARRIED_DUAL_INCOME", "SINGLE_NO_DEPENDENTS", "SINGLE_WITH_DEPENDENTS"], 4)},
          'UNPAID', ?, ?
        FROM ${TEN_THOUSAND} WHERE ${N} + ? < ?`,
      [base, base, base, base, base, base, base, base, at, at, base, count],
    );
  }
  // Scores come from numbers, not from a SELECT on debtors: on MySQL a statement that reads debtors
  // cannot write risk_scores, whose triggers update debtors (error 1442). Ids run from 1 as the debtors were given.
  for (let base = 0; base < count; base += 10_000) {
    await db.execute(
      `INSERT INTO risk_scores (debtor_id, total_score, risk_level, factor_breakdown, calculated_at)
        SELECT id, s, CASE WHEN s <= 135 THEN 'LOW' WHEN s <= 270 THEN 'MEDIUM' WHEN s <= 360 THEN 'HIGH' ELSE 'CRITICAL' END,
          ?, ?
        FROM (SELECT ${N} + ? + 1 AS id, 45 + ((${N} + ? + 1) * 31) % 406 AS s FROM ${TEN_THOUSAND}
               WHERE ${N} + ? < ? AND (${N} + ? + 1) % 5 <> 0) scored`,
      [FACTORS, at, base, base, base, count, base],
    );
  }
}

async function measure(database: string, url: string, count: number, settings: BenchSettings): Promise<Result> {
  const tokens = createTestTokens();
  const config = loadRiskServiceConfig({
    RISK_DATABASE_URL: url,
    LOG_LEVEL: "silent",
    AUTH_SIGNING_KEY: tokens.signingKey,
    RATE_LIMIT_PER_MINUTE: "1000000",
  });
  const headers = { authorization: `Bearer ${await tokens.token("viewer", { subject: "bench-viewer" })}` };
  const logger = createLogger({ level: "silent", name: "bench", pretty: false });
  const service = await openRiskService(config, { logger });
  const app = await buildApp(config, service, { defaultMetrics: false });
  try {
    const started = performance.now();
    await seed(service.db, count);
    const seedSeconds = (performance.now() - started) / 1000;
    log(`${database} ${int(count)} debtors: seeded in ${seedSeconds.toFixed(1)} s`);
    let cursor = "";
    for (let page = 1; page < 100; page += 1) {
      const response = await app.inject({
        method: "GET",
        url: `${API_PREFIX}/debtors/high-risk/?limit=50${cursor}`,
        headers,
      });
      cursor = `&cursor=${response.json().next_cursor}`;
    }
    const cases: Array<[string, string]> = [
      ["GET /debtors/priority/?top=10", `${API_PREFIX}/debtors/priority/?top=10`],
      ["GET /debtors/priority/?top=100", `${API_PREFIX}/debtors/priority/?top=100`],
      ["GET /debtors/high-risk/?limit=50 (page 1)", `${API_PREFIX}/debtors/high-risk/?limit=50`],
      ["GET /debtors/high-risk/?limit=50 (page 100)", `${API_PREFIX}/debtors/high-risk/?limit=50${cursor}`],
    ];
    const requests = settings.quick ? 40 : 100;
    const timings: Timed[] = cases.map(([label]) => ({ label, p95: [], p50: [] }));
    for (let run = 0; run < settings.runs; run += 1) {
      for (const [index, [, url]] of cases.entries()) {
        const timed = await timeRequests(app, url, requests, headers);
        timings[index]?.p95.push(timed.p95);
        timings[index]?.p50.push(timed.p50);
      }
    }
    return { database, debtors: count, seedSeconds, timings };
  } finally {
    await app.close();
    await service.close();
  }
}

export async function worklistBench(settings: BenchSettings): Promise<BenchSection> {
  const counts = settings.large ? [1_000_000] : [settings.quick ? 30_000 : 100_000];
  const results: Result[] = [];
  for (const count of counts) {
    await withTempDir("worklist", async (dir) => {
      results.push(await measure("SQLite", `file:${join(dir, "risk.db")}`, count, settings));
    });
    await withMysqlDatabase(`${settings.mysqlServer}/sr_bench_worklist`, async (url) => {
      results.push(await measure("MariaDB", url, count, settings));
    });
  }
  const largest = Math.max(...counts);
  const goals: GoalCheck[] = results
    .filter((result) => result.debtors === largest)
    .flatMap((result) =>
      [0, 2].map((index) => {
        const timed = result.timings[index] as Timed;
        const p95 = median(timed.p95);
        return {
          goal: `worklist (${result.database}, ${int(largest)} debtors): ${timed.label} ≤ ${GOAL_MS} ms p95 at the server`,
          measured: `${p95.toFixed(1)} ms`,
          met: p95 <= GOAL_MS,
        };
      }),
    );
  const rows = results.flatMap((result) =>
    result.timings.map((timed) => [
      result.database,
      int(result.debtors),
      timed.label,
      ms(timed.p50),
      ms(timed.p95),
      msRange(timed.p95),
    ]),
  );
  return {
    title: "Worklist (risk-service priority and high-risk)",
    body: [
      "Each request goes through the app in-process (Fastify inject with a viewer's token: auth, validation, query,",
      "serialization; no network).",
      `${settings.quick ? 40 : 100} requests per case after 5 warm-ups; medians of ${settings.runs} runs. Debtors seeded in plain SQL`,
      `(80 % scored; the priority triggers run as for any writer): ${results.map((r) => `${r.database} ${int(r.debtors)}: ${r.seedSeconds.toFixed(1)} s`).join(", ")}.`,
      "`pnpm bench worklist --large` measures 1,000,000 debtors instead (the goal's size; seeding takes minutes).",
      "",
      markdownTable(["database", "debtors", "request", "p50", "p95", "p95 range"], rows),
    ].join("\n"),
    goals,
  };
}
