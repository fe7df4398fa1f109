// Latency "at the server": requests go through the app in-process (Fastify's inject: routing,
// validation, the handler, the database, serialization), so no client, socket or network time is
// counted. Each measurement warms up first and reports the p95 of its requests.
import type { HttpApp } from "@smartrecover/service-kit";
import { fixed, median, spread } from "./bench-kit";

export interface Timed {
  label: string;
  p95: number[];
  p50: number[];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** `requests` calls of `url` after a warm-up; returns p50 and p95 in milliseconds. Throws on a non-200. */
export async function timeRequests(
  app: HttpApp,
  url: string | (() => string),
  requests: number,
  headers: Record<string, string> = {},
): Promise<{ p50: number; p95: number }> {
  const call = async () => {
    const target = typeof url === "string" ? url : url();
    const started = performance.now();
    const response = await app.inject({ method: "GET", url: target, headers });
    const ms = performance.now() - started;
    if (response.statusCode !== 200)
      throw new Error(`${target}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    return ms;
  };
  for (let i = 0; i < 5; i += 1) await call();
  const times: number[] = [];
  for (let i = 0; i < requests; i += 1) times.push(await call());
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

export const ms = (values: readonly number[]) => `${fixed(median(values), 1)} ms`;
export const msRange = (values: readonly number[]) => spread(values, (v) => fixed(v, 1));

/** The digits 0–9 as a derived table, crossed with itself to number rows in plain SQL on both databases. */
export const DIGITS =
  "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";

/** `n` from 0 to 9,999 over four crossed digit tables (add a base to number past it). */
export const TEN_THOUSAND = `${DIGITS} a CROSS JOIN ${DIGITS} b CROSS JOIN ${DIGITS} c CROSS JOIN ${DIGITS} e`;
export const N = "(a.d + 10 * b.d + 100 * c.d + 1000 * e.d)";
