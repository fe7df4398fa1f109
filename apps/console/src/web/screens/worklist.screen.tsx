import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import type { Discrepancy } from "../api/api-types";
import { formatCount, formatMoney, typeLabel, words } from "../components/format";
import { QueryStatus } from "../components/query-status";
import { usePageTitle } from "../components/use-page-title";
import { useSignedIn } from "../session/session-context";

const SIZES = [10, 25, 50, 100] as const;

/**
 * The debtors to work first (risk-service's priority order), each with what reconciliation says
 * of it. partner-sync has no per-debtor status call, so the open discrepancies with the highest
 * priorities are read once and matched by debtor.
 */
export function WorklistScreen() {
  usePageTitle("Worklist");
  const id = useId();
  const { api } = useSignedIn();
  const [top, setTop] = useState<number>(25);
  const priority = useQuery({ queryKey: ["priority", top], queryFn: () => api.priority(top) });
  const open = useQuery({
    queryKey: ["discrepancies", "worklist-open"],
    queryFn: () =>
      api.discrepancies(new URLSearchParams({ status: "OPEN,ACKNOWLEDGED", sort: "priority", limit: "500" })),
  });
  const openByDebtor = new Map<number, Discrepancy[]>();
  for (const item of open.data?.items ?? []) {
    openByDebtor.set(item.debtor_id, [...(openByDebtor.get(item.debtor_id) ?? []), item]);
  }
  const rows = priority.data?.top ?? [];

  return (
    <section className="screen" aria-labelledby="worklist-title">
      <div className="screen-header">
        <h1 id="worklist-title">Worklist</h1>
        <div className="field field-inline">
          <label htmlFor={`${id}-top`}>Show the top</label>
          <select id={`${id}-top`} value={top} onChange={(event) => setTop(Number(event.target.value))}>
            {SIZES.map((size) => (
              <option key={size} value={size}>
                {size} debtors
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="lead">Debtors in processing order: highest risk score × debt first.</p>
      <QueryStatus
        isPending={priority.isPending}
        error={priority.error}
        isEmpty={rows.length === 0}
        what="the worklist"
        empty="No debtors to work."
        onRetry={() => void priority.refetch()}
      />
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Top {top} debtors by priority</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Rank
                </th>
                <th scope="col">Debtor</th>
                <th scope="col" className="num">
                  Priority
                </th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col">Level</th>
                <th scope="col" className="num">
                  Debt
                </th>
                <th scope="col">Reconciliation</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const found = openByDebtor.get(row.debtor_id) ?? [];
                return (
                  <tr key={row.debtor_id}>
                    <td className="num">{index + 1}</td>
                    <th scope="row">
                      {row.name ?? "Debtor"} <span className="muted">#{row.debtor_id}</span>
                    </th>
                    <td className="num">{formatMoney(row.priority)}</td>
                    <td className="num">{formatCount(row.risk_score)}</td>
                    <td>
                      {row.risk_level ? (
                        <span className={`badge badge-level-${row.risk_level.toLowerCase()}`}>
                          {words(row.risk_level)}
                        </span>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="num">{formatMoney(row.debt_amount)}</td>
                    <td>
                      {open.isPending ? (
                        "…"
                      ) : found.length === 0 ? (
                        <span className="muted">No open discrepancy</span>
                      ) : (
                        found.map((item) => (
                          <Link key={item.id} to={`/review/${item.id}`} className="chip">
                            {typeLabel(item.type)}
                          </Link>
                        ))
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
