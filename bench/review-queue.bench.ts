// The review queue behind the console (issue 14): partner-sync's discrepancy list at the server,
// over discrepancies seeded in plain SQL (25,000 open by default; 1,000,000 in all with --large),
// on SQLite and MariaDB. Goal: a page of 50 of 25,000 open answers in ≤ 150 ms (p95) and stays
// fast at 1,000,000 (keyset pages walk the (review_state, key, id) indexes).
import { join } from "node:path";
import type { SqlExecutor } from "@smartrecover/db-kit";
import { createLogger } from "@smartrecover/service-kit";
import { createTestTokens } from "@smartrecover/service-kit/testing";
import { API_PREFIX, buildApp } from "../apps/partner-sync/src/app";
import { loadPartnerSyncConfig } from "../apps/partner-sync/src/config";
import { openPartnerSync } from "../apps/partner-sync/src/service";
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

const GOAL_P95_MS = 150;
const PAGE = 50;

interface Scenario {
  total: number;
  open: number;
  acknowledged: number;
}

interface Result {
  database: string;
  scenario: Scenario;
  seedSeconds: number;
  timings: Timed[];
}

/**
 * Seeds `total` discrepancies, 10,000 per INSERT … SELECT. States are spread over the ids by a
 * permutation (7919 is prime to every total used), priorities and ages vary, and a few are
 * assigned to the bench's reviewer, so filters and sorts do real work.
 */
async function seed(db: SqlExecutor, scenario: Scenario): Promise<void> {
  const { total, open, acknowledged } = scenario;
  const now = Date.now();
  for (let base = 0; base < total; base += 10_000) {
    const firstSeen = new Date(now - ((base / 10_000) % 90) * 86_400_000 - 3_600_000);
    const rank = `((${N} + ?) * 7919 % ?)`;
    await db.execute(
      `INSERT INTO discrepancy_records (debtor_id, partner_name, type, review_state, internal_value, external_value,
          difference_amount, difference_percent, tolerance_percent, source_message_id, last_message_id, first_seen_at,
          last_seen_at, occurrences, unresolved_flag, resolved_at, updated_at, priority, assignee)
        SELECT ${N} + ? + 1, 'bench-partner',
          CASE (${N} + ?) % 3 WHEN 0 THEN 'BALANCE_MISMATCH' WHEN 1 THEN 'STATUS_MISMATCH' ELSE 'MISSING_AT_PARTNER' END,
          CASE WHEN ${rank} < ? THEN 'OPEN' WHEN ${rank} < ? THEN 'ACKNOWLEDGED'
               WHEN (${N} + ?) % 2 = 0 THEN 'RESOLVED' ELSE 'AUTO_RESOLVED' END,
          '1000.00', '1100.00', 100.00, 10.0000, 1.0000, 'bench', 'bench', ?, ?, 1,
          CASE WHEN ${rank} < ? THEN 1 ELSE NULL END, NULL, ?,
          ((${N} + ?) * 104729 % 4500000000) / 100,
          CASE WHEN (${N} + ?) % 97 = 0 THEN 'bench-reviewer' ELSE NULL END
        FROM ${TEN_THOUSAND} WHERE ${N} + ? < ?`,
      [
        base,
        base,
        base,
        total,
        open,
        base,
        total,
        open + acknowledged,
        base,
        firstSeen,
        firstSeen,
        base,
        total,
        open + acknowledged,
        firstSeen,
        base,
        base,
        base,
        total,
      ],
    );
  }
}

async function measure(database: string, url: string, scenario: Scenario, settings: BenchSettings): Promise<Result> {
  const tokens = createTestTokens();
  const config = loadPartnerSyncConfig({
    PARTNER_SYNC_DATABASE_URL: url,
    LOG_LEVEL: "silent",
    AUTH_SIGNING_KEY: tokens.signingKey,
    RATE_LIMIT_PER_MINUTE: "1000000",
  });
  const logger = createLogger({ level: "silent", name: "bench", pretty: false });
  const sync = await openPartnerSync(config, { logger });
  const app = await buildApp(config, sync.services, { logger, defaultMetrics: false });
  try {
    const seedStarted = performance.now();
    await seed(sync.db, scenario);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`${database} ${int(scenario.total)}: seeded in ${seedSeconds.toFixed(1)} s`);
    const headers = { authorization: `Bearer ${await tokens.token("reviewer", { subject: "bench-reviewer" })}` };
    const list = (query: string) => `${API_PREFIX}/discrepancies/?${query}`;
    // A cursor 100 pages into the open queue, by priority: keyset pages cost what page 1 costs.
    let cursor = "";
    for (let page = 1; page < 100; page += 1) {
      const response = await app.inject({
        method: "GET",
        url: list(`status=OPEN&sort=priority&limit=${PAGE}${cursor}`),
        headers,
      });
      cursor = `&cursor=${response.json().next_cursor}`;
    }
    const cases: Array<[string, string]> = [
      ["open, by priority, page 1 (keyset)", list(`status=OPEN&sort=priority&limit=${PAGE}`)],
      ["open, by priority, page 100 (keyset)", list(`status=OPEN&sort=priority&limit=${PAGE}${cursor}`)],
      ["open, oldest first, page 1 (keyset)", list(`status=OPEN&sort=age&limit=${PAGE}`)],
      [
        "open, priority ≥ 20,000,000, by priority",
        list(`status=OPEN&min_priority=20000000&sort=priority&limit=${PAGE}`),
      ],
      [
        "assigned to me, unresolved, by priority",
        list(`assignee=me&status=OPEN,ACKNOWLEDGED&sort=priority&limit=${PAGE}`),
      ],
      ["open, page 1 with total (page/page_size)", list(`status=OPEN&sort=priority&page=1&page_size=${PAGE}`)],
      ["tab counts", `${API_PREFIX}/discrepancies/counts/`],
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
    return { database, scenario, seedSeconds, timings };
  } finally {
    await app.close();
    await sync.close();
  }
}

export async function reviewQueueBench(settings: BenchSettings): Promise<BenchSection> {
  const scenarios: Scenario[] = settings.large
    ? [{ total: 1_000_000, open: 250_000, acknowledged: 100_000 }]
    : [{ total: 30_000, open: 25_000, acknowledged: 2_000 }];
  const results: Result[] = [];
  for (const scenario of scenarios) {
    await withTempDir("review-queue", async (dir) => {
      results.push(await measure("SQLite", `file:${join(dir, "partner-sync.db")}`, scenario, settings));
    });
    await withMysqlDatabase(`${settings.mysqlServer}/sr_bench_review_queue`, async (url) => {
      results.push(await measure("MariaDB", url, scenario, settings));
    });
  }
  const goals: GoalCheck[] = results
    .filter((result) => result.scenario.open === 25_000)
    .map((result) => {
      const page = median(result.timings[0]?.p95 ?? []);
      return {
        goal: `review queue (${result.database}): a page of ${PAGE} of 25,000 open discrepancies ≤ ${GOAL_P95_MS} ms p95 at the server`,
        measured: `${page.toFixed(1)} ms`,
        met: page <= GOAL_P95_MS,
      };
    });
  const rows = results.flatMap((result) =>
    result.timings.map((timed) => [
      result.database,
      `${int(result.scenario.total)} (${int(result.scenario.open)} open)`,
      timed.label,
      ms(timed.p50),
      ms(timed.p95),
      msRange(timed.p95),
    ]),
  );
  return {
    title: "Review queue (partner-sync discrepancy list)",
    body: [
      `Each request goes through the app in-process (Fastify inject with a reviewer's token: auth, validation, query,`,
      `serialization; no network). ${settings.quick ? 40 : 100} requests per case after 5 warm-ups; medians of ${settings.runs} runs.`,
      `Discrepancies seeded in plain SQL (${results.map((r) => `${r.database} ${int(r.scenario.total)}: ${r.seedSeconds.toFixed(1)} s`).join(", ")}).`,
      "`pnpm bench review-queue --large` measures 1,000,000 discrepancies (250,000 open) instead.",
      "",
      markdownTable(["database", "discrepancies", "request", "p50", "p95", "p95 range"], rows),
    ].join("\n"),
    goals,
  };
}
