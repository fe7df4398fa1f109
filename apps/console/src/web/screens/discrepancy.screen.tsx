import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { formatAge, formatDateTime, formatMoney, stateLabel, typeLabel } from "../components/format";
import { QueryStatus } from "../components/query-status";
import { usePageTitle } from "../components/use-page-title";
import { AuditTimeline } from "../review/audit-timeline";
import { DebtorScore } from "../review/debtor-score";
import { DiscrepancyActions } from "../review/discrepancy-actions";
import { useSignedIn } from "../session/session-context";

export function DiscrepancyScreen() {
  const params = useParams();
  const id = Number(params.id);
  usePageTitle(`Discrepancy #${params.id}`);
  const { api, can } = useSignedIn();
  const valid = Number.isInteger(id) && id > 0;
  const query = useQuery({ queryKey: ["discrepancy", id], queryFn: () => api.discrepancy(id), enabled: valid });
  const item = query.data;

  return (
    <section className="screen" aria-labelledby="discrepancy-title">
      <p className="breadcrumb">
        <Link to="/review">← Review queue</Link>
      </p>
      <div className="title-row">
        <h1 id="discrepancy-title">Discrepancy #{params.id}</h1>
        {item && (
          <span className={`badge badge-${item.review_state.toLowerCase()}`}>{stateLabel(item.review_state)}</span>
        )}
      </div>
      {!valid && <p role="alert">This is not a discrepancy number.</p>}
      {valid && !item && <QueryStatus isPending={query.isPending} error={query.error} what="the discrepancy" />}
      {item && (
        <div className="detail-grid">
          <section className="panel" aria-labelledby="values-title">
            <h2 id="values-title">{typeLabel(item.type)}</h2>
            <dl className="facts">
              <dt>Our value</dt>
              <dd>{formatMoney(item.internal_value)}</dd>
              <dt>Partner value ({item.partner_name})</dt>
              <dd>{item.external_value === null ? "No record at the partner" : formatMoney(item.external_value)}</dd>
              <dt>Difference</dt>
              <dd>
                {item.difference_amount === null
                  ? "—"
                  : `${formatMoney(item.difference_amount)}${item.difference_percent ? ` (${item.difference_percent} %, tolerance ${item.tolerance_percent} %)` : ""}`}
              </dd>
              <dt>Priority</dt>
              <dd>{formatMoney(item.priority)}</dd>
              <dt>Age</dt>
              <dd>
                {formatAge(item.age_days)} (first seen {formatDateTime(item.first_seen_at)}, seen {item.occurrences}{" "}
                {item.occurrences === 1 ? "time" : "times"})
              </dd>
              <dt>Assignee</dt>
              <dd>{item.assignee ?? "Unassigned"}</dd>
            </dl>
          </section>
          <section className="panel" aria-labelledby="debtor-title">
            <h2 id="debtor-title">Debtor {item.debtor_id}</h2>
            <DebtorScore debtorId={item.debtor_id} />
          </section>
          {can("reviewer") && (
            <section className="panel panel-wide" aria-labelledby="actions-title">
              <h2 id="actions-title">Actions</h2>
              <DiscrepancyActions discrepancy={item} />
            </section>
          )}
          <section className="panel panel-wide" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Audit timeline</h2>
            <AuditTimeline events={item.history} />
          </section>
        </div>
      )}
    </section>
  );
}
