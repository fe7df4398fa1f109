import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { Link } from "react-router";
import type { DiscrepancyType } from "../api/api-types";
import {
  formatAge,
  formatCount,
  formatDateTime,
  formatMoney,
  formatPercent,
  typeLabel,
  words,
} from "../components/format";
import { QueryStatus } from "../components/query-status";
import { usePageTitle } from "../components/use-page-title";
import { useSignedIn } from "../session/session-context";

const AgeingChart = lazy(() => import("../components/ageing-chart"));

const TYPES: DiscrepancyType[] = ["BALANCE_MISMATCH", "STATUS_MISMATCH", "MISSING_AT_PARTNER"];

export function OverviewScreen() {
  usePageTitle("Overview");
  const { api } = useSignedIn();
  const summary = useQuery({ queryKey: ["summary"], queryFn: () => api.summary() });
  const oldest = useQuery({
    queryKey: ["discrepancies", "oldest-open"],
    queryFn: () => api.discrepancies(new URLSearchParams({ status: "OPEN,ACKNOWLEDGED", sort: "age", limit: "1" })),
  });
  const lastRun = useQuery({ queryKey: ["process-runs", "latest"], queryFn: () => api.processRuns(1) });

  const data = summary.data;
  const reconciled = data ? data.reconciliation.matched + data.reconciliation.discrepancy : 0;
  const ageing = data
    ? [
        { bucket: "0–1 days", count: data.discrepancies.unresolved_ageing["0_1_days"] },
        { bucket: "2–7 days", count: data.discrepancies.unresolved_ageing["2_7_days"] },
        { bucket: "8–30 days", count: data.discrepancies.unresolved_ageing["8_30_days"] },
        { bucket: "Over 30 days", count: data.discrepancies.unresolved_ageing.over_30_days },
      ]
    : [];
  const oldestItem = oldest.data?.items[0];
  const run = lastRun.data?.items[0];

  return (
    <section className="screen" aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <QueryStatus
        isPending={summary.isPending}
        error={summary.error}
        what="the reconciliation summary"
        onRetry={() => void summary.refetch()}
      />
      {data && (
        <>
          <dl className="stats">
            <div className="stat">
              <dt>Debtors reconciled</dt>
              <dd>{formatCount(reconciled)}</dd>
            </div>
            <div className="stat">
              <dt>Matched share</dt>
              <dd>{formatPercent(data.reconciliation.matched, reconciled)}</dd>
            </div>
            <div className="stat">
              <dt>Waiting for the partner</dt>
              <dd>{formatCount(data.reconciliation.pending)}</dd>
            </div>
            <div className="stat">
              <dt>Unresolved discrepancies</dt>
              <dd>{formatCount(data.discrepancies.by_status.OPEN + data.discrepancies.by_status.ACKNOWLEDGED)}</dd>
            </div>
          </dl>
          <div className="panels panels-split">
            <section className="panel" aria-labelledby="open-by-type">
              <h2 id="open-by-type">Open by type</h2>
              <table className="data-table compact">
                <caption className="visually-hidden">Unresolved discrepancies by type</caption>
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col" className="num">
                      Unresolved
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {TYPES.map((type) => (
                    <tr key={type}>
                      <th scope="row">{typeLabel(type)}</th>
                      <td className="num">{formatCount(data.discrepancies.unresolved_by_type[type])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="panel" aria-labelledby="ageing-title">
              <h2 id="ageing-title">Unresolved ageing</h2>
              <Suspense fallback={<div className="chart chart-placeholder" aria-hidden="true" />}>
                <AgeingChart
                  bars={ageing}
                  label={`Unresolved discrepancies by age: ${ageing.map((bar) => `${bar.bucket} ${bar.count}`).join(", ")}`}
                />
              </Suspense>
              <table className="data-table compact ageing-table">
                <caption className="visually-hidden">Unresolved discrepancies by age</caption>
                <thead>
                  <tr>
                    {ageing.map((bar) => (
                      <th scope="col" key={bar.bucket} className="num">
                        {bar.bucket}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    {ageing.map((bar) => (
                      <td key={bar.bucket} className="num">
                        {formatCount(bar.count)}
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
      <div className="panels">
        <section className="panel" aria-labelledby="oldest-title">
          <h2 id="oldest-title">Oldest open item</h2>
          <QueryStatus
            isPending={oldest.isPending}
            error={oldest.error}
            what="the oldest open item"
            isEmpty={!oldestItem}
            empty="Nothing is open."
          />
          {oldestItem && (
            <p>
              <Link to={`/review/${oldestItem.id}`}>Discrepancy #{oldestItem.id}</Link>: {typeLabel(oldestItem.type)}{" "}
              for debtor {oldestItem.debtor_id}, open for {formatAge(oldestItem.age_days)} (since{" "}
              {formatDateTime(oldestItem.first_seen_at)}).
            </p>
          )}
        </section>
        <section className="panel" aria-labelledby="last-run-title">
          <h2 id="last-run-title">Last processing run</h2>
          <QueryStatus
            isPending={lastRun.isPending}
            error={lastRun.error}
            what="the last processing run"
            isEmpty={!run}
            empty="No run yet."
          />
          {run && (
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <span className={`badge badge-${run.status.toLowerCase()}`}>{words(run.status)}</span>
              </dd>
              <dt>Started</dt>
              <dd>{formatDateTime(run.started_at)}</dd>
              <dt>Debtors processed</dt>
              <dd>
                {formatCount(run.debtors_processed)} of {formatCount(run.heap_size)}
              </dd>
              <dt>High priority</dt>
              <dd>
                {formatCount(run.high_priority_count)} above {formatMoney(run.threshold)}
              </dd>
            </dl>
          )}
          <p>
            <Link to="/processing">All runs</Link>
          </p>
        </section>
      </div>
    </section>
  );
}
