// `pnpm cli partner-book import` as users run it (its own process, timed as a whole command):
// a book of N rows over N synced debtors waiting for their first book, on SQLite and MariaDB,
// and one large book for peak memory. The databases are prepared in-process, not timed.

import { once } from "node:events";
import { copyFileSync, createWriteStream } from "node:fs";
import { join } from "node:path";
import { migrateDatabase } from "@smartrecover/db-kit";
import { loadPartnerSyncConfig } from "../apps/partner-sync/src/config";
import { upsertSyncRecords } from "../apps/partner-sync/src/reconciliation/sync-record.repository";
import { openPartnerSync, PARTNER_SYNC_MIGRATIONS_ROOT } from "../apps/partner-sync/src/service";
import {
  type BenchSection,
  type BenchSettings,
  fixed,
  int,
  log,
  markdownTable,
  median,
  runCli,
  spread,
  withMysqlDatabase,
  withTempDir,
} from "./bench-kit";

const PARTNER = "bench-partner";

interface ImportAnswer {
  rows: number;
  summary: { debtors_rereconciled: number; matched: number; discrepancies_opened: number };
}

const formatCents = (cents: number) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

/** Debtor i: internal balance 100.00 + i cents, UNPAID; the book differs for every tenth one. */
export async function writeBook(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write("debtor_id,balance,status,reference\r\n");
  for (let id = 1; id <= rows; id += 1) {
    const cents = 10_000 + id;
    const line = `${id},${formatCents(id % 10 === 0 ? cents * 2 : cents)},UNPAID,ACC-${id}\r\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

export async function prepareDatabase(url: string, synced: number): Promise<void> {
  await migrateDatabase(url, PARTNER_SYNC_MIGRATIONS_ROOT);
  const config = loadPartnerSyncConfig({ PARTNER_SYNC_DATABASE_URL: url, LOG_LEVEL: "silent" });
  const sync = await openPartnerSync(config, { migrate: false });
  try {
    const now = new Date();
    for (let from = 1; from <= synced; from += 5_000) {
      await sync.db.transaction(async (tx) => {
        for (let start = from; start < Math.min(from + 5_000, synced + 1); start += 500) {
          const rows = [];
          for (let id = start; id < Math.min(start + 500, synced + 1); id += 1) {
            rows.push({
              debtorId: id,
              internal: { balanceCents: 10_000 + id, status: "UNPAID" as const },
              external: null,
              reconciliationStatus: "PENDING" as const,
              pendingReason: "NO_PARTNER_BOOK" as const,
              messageId: `bench-${id}`,
              processedAt: now,
              priority: "600000.00",
            });
          }
          await upsertSyncRecords(tx, PARTNER, rows, now);
        }
      });
    }
  } finally {
    await sync.close();
  }
}

function importOnce(file: string, url: string) {
  const result = runCli<ImportAnswer>(["partner-book", "import", file, "--partner", PARTNER, "--json"], {
    PARTNER_SYNC_DATABASE_URL: url,
    PARTNER_BOOK_SOURCE: "imported",
  });
  if (result.output.rows <= 0) throw new Error("nothing imported");
  return result;
}

export async function partnerBookBench(settings: BenchSettings): Promise<BenchSection> {
  const rows = settings.quick ? 10_000 : Number(process.env.BENCH_BOOK_ROWS ?? 100_000);
  const largeRows = settings.quick ? 50_000 : Number(process.env.BENCH_BOOK_LARGE_ROWS ?? 1_000_000);
  const table: Array<Array<string | number>> = [];
  const goals: BenchSection["goals"] = [];
  await withTempDir("partner-book", async (dir) => {
    const book = join(dir, "book.csv");
    await writeBook(book, rows);
    const template = join(dir, "template.db");
    await prepareDatabase(`file:${template}`, rows);

    const measure = async (label: string, runs: number, run: (i: number) => Promise<ReturnType<typeof importOnce>>) => {
      const seconds: number[] = [];
      const cpu: number[] = [];
      const rss: number[] = [];
      let answer: ImportAnswer | null = null;
      for (let i = 0; i < runs; i += 1) {
        const result = await run(i);
        seconds.push(result.wallSeconds);
        if (result.cpuSeconds !== null) cpu.push(result.cpuSeconds);
        if (result.peakRssMb !== null) rss.push(result.peakRssMb);
        answer = result.output;
        log(`${label} run ${i + 1}: ${fixed(result.wallSeconds)} s, CPU ${fixed(result.cpuSeconds ?? 0)} s`);
      }
      const s = answer?.summary;
      table.push([
        label,
        int(answer?.rows ?? 0),
        int(s?.debtors_rereconciled ?? 0),
        fixed(median(seconds)),
        spread(seconds, (v) => fixed(v)),
        cpu.length ? fixed(median(cpu)) : "n/a",
        rss.length ? `${median(rss)} MB` : "n/a",
      ]);
      return { seconds: median(seconds), rss: rss.length ? median(rss) : null };
    };

    const sqlite = await measure("SQLite", settings.runs, async (i) => {
      const file = join(dir, `run-${i}.db`);
      copyFileSync(template, file);
      return importOnce(book, `file:${file}`);
    });
    goals.push({
      goal: `import + re-reconcile ${int(rows)} rows on SQLite ≤ 8 s (whole command)`,
      measured: `${fixed(sqlite.seconds)} s`,
      met: sqlite.seconds <= 8,
    });

    // One run: preparing a MariaDB database of this size costs more than the import itself.
    await measure("MariaDB (1 run)", 1, async (i) => {
      return withMysqlDatabase(`${settings.mysqlServer}/sr_bench_book_${process.pid}_${i}`, async (url) => {
        await prepareDatabase(url, rows);
        return importOnce(book, url);
      });
    });

    const large = join(dir, "large.csv");
    await writeBook(large, largeRows);
    const once = runCli<ImportAnswer>(["partner-book", "import", large, "--partner", PARTNER, "--json"], {
      PARTNER_SYNC_DATABASE_URL: `file:${join(dir, "large.db")}`,
      PARTNER_BOOK_SOURCE: "imported",
    });
    log(`SQLite ${int(largeRows)} rows: ${fixed(once.wallSeconds)} s, ${once.peakRssMb ?? "n/a"} MB`);
    table.push([
      "SQLite, large book (1 run)",
      int(once.output.rows),
      int(once.output.summary.debtors_rereconciled),
      fixed(once.wallSeconds),
      "-",
      once.cpuSeconds === null ? "n/a" : fixed(once.cpuSeconds),
      once.peakRssMb === null ? "n/a" : `${once.peakRssMb} MB`,
    ]);
    if (once.peakRssMb !== null) {
      goals.push({
        goal: `import ${int(largeRows)} rows with peak RSS ≤ 400 MB`,
        measured: `${once.peakRssMb} MB`,
        met: once.peakRssMb <= 400,
      });
    }
  });
  return {
    title: "Partner book import (`partner-book import`)",
    body: [
      `\`pnpm cli partner-book import FILE --partner P --json\` as its own process, wall time of the whole command (start-up,`,
      `migrations check, read + stage, switch, re-reconcile, summary), median of ${settings.runs} runs. The book has one row per`,
      "synced debtor, every tenth one with a balance twice ours; all debtors wait PENDING for their first book, so each",
      "run re-reconciles all of them. The large book goes to an empty database (rows for debtors never synced): read,",
      "stage and switch only; its peak RSS is the whole process's. CPU seconds (user + system) show the work itself when",
      "the shared machine makes wall time wait for a core.",
      "",
      markdownTable(["database", "rows", "debtors re-reconciled", "seconds", "range (s)", "CPU s", "peak RSS"], table),
    ].join("\n"),
    goals,
  };
}
