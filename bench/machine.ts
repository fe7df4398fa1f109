// What the machine is and what it was doing: hardware and versions once, and before each suite
// the load average plus two fixed probes (CPU and disk). The probes are the same work every
// time, so a slow probe flags a suite that ran while something else was using the machine.
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import { openRiskDatabase } from "../apps/risk-service/src/db/risk-database";
import { scoreDebtor } from "../apps/risk-service/src/scoring/risk-scorer";
import { type BenchSettings, fixed, markdownTable, median } from "./bench-kit";

export interface MachineState {
  suite: string;
  at: string;
  load1: number;
  load5: number;
  /** Milliseconds to score 300,000 fixed debtors in this process. */
  cpuProbeMs: number;
  /** Median milliseconds to write 64 random 4 KiB pages and fsync them. */
  fsyncProbeMs: number;
}

const PROBE_INPUTS = Array.from({ length: 1000 }, (_, i) => ({
  totalDebtCents: 100_000 + i * 7_919,
  monthlyIncomeCents: 150_000 + (i % 97) * 1_000,
  latePaymentsCount: i % 13,
  employmentStatus: ["EMPLOYED", "UNEMPLOYED", "RETIRED"][i % 3] as string,
  contractType: ["PERMANENT", "TEMPORARY"][i % 2] as string,
  industrySector: ["FINANCE", "RETAIL", "HOSPITALITY"][i % 3] as string,
  familySituation: ["SINGLE_NO_DEPENDENTS", "MARRIED_DUAL_INCOME"][i % 2] as string,
}));

function cpuProbe(): number {
  const started = performance.now();
  let sink = 0;
  for (let round = 0; round < 300; round += 1) for (const input of PROBE_INPUTS) sink += scoreDebtor(input).totalScore;
  if (sink < 0) throw new Error("unreachable");
  return performance.now() - started;
}

function fsyncProbe(): number {
  const dir = mkdtempSync(join(tmpdir(), "smartrecover-bench-fsync-"));
  const page = Buffer.alloc(4096, 7);
  const times: number[] = [];
  try {
    const fd = openSync(join(dir, "probe"), "w");
    try {
      for (let round = 0; round < 9; round += 1) {
        const started = performance.now();
        for (let i = 0; i < 64; i += 1) writeSync(fd, page, 0, page.length, ((i * 7_919 + round) % 4_096) * 4096);
        fsyncSync(fd);
        times.push(performance.now() - started);
      }
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return median(times);
}

export function machineState(suite: string): MachineState {
  const [load1 = 0, load5 = 0] = loadavg();
  return {
    suite,
    at: new Date().toISOString().slice(11, 19),
    load1,
    load5,
    cpuProbeMs: cpuProbe(),
    fsyncProbeMs: fsyncProbe(),
  };
}

async function databaseVersion(url: string, sql: string): Promise<string> {
  const db = await openRiskDatabase(url, { migrate: false });
  try {
    const [row] = await db.query<{ version: string }>(sql);
    return String(row?.version ?? "?");
  } finally {
    await db.close();
  }
}

export async function machineDescription(settings: BenchSettings): Promise<string> {
  const sqlite = await databaseVersion(
    `file:${join(tmpdir(), `smartrecover-bench-version-${process.pid}.db`)}`,
    "SELECT sqlite_version() AS version",
  ).catch(() => "?");
  rmSync(join(tmpdir(), `smartrecover-bench-version-${process.pid}.db`), { force: true });
  const mariadb = await databaseVersion(`${settings.mysqlServer}/mysql`, "SELECT VERSION() AS version").catch(
    (error: Error) => `unreachable (${error.message})`,
  );
  const cpu = cpus();
  return [
    `${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${type()} ${release()}`,
    `Node ${process.version}, SQLite ${sqlite} (better-sqlite3), MariaDB ${mariadb} on 127.0.0.1`,
  ].join("; ");
}

export function machineTable(states: readonly MachineState[]): string {
  return markdownTable(
    ["before suite", "time (UTC)", "load avg 1 / 5 min", "CPU probe (ms)", "fsync probe (ms)"],
    states.map((s) => [
      s.suite,
      s.at,
      `${fixed(s.load1)} / ${fixed(s.load5)}`,
      Math.round(s.cpuProbeMs),
      fixed(s.fsyncProbeMs),
    ]),
  );
}
