import { useQuery } from "@tanstack/react-query";
import type { FactorName } from "../api/api-types";
import { formatMoney, words } from "../components/format";
import { QueryStatus } from "../components/query-status";
import { useSignedIn } from "../session/session-context";

const FACTORS: ReadonlyArray<{ id: FactorName; label: string }> = [
  { id: "debt_ratio", label: "Debt ratio" },
  { id: "payment_history", label: "Payment history" },
  { id: "employment_status", label: "Employment status" },
  { id: "contract_type", label: "Contract type" },
  { id: "industry_sector", label: "Industry sector" },
  { id: "family_situation", label: "Family situation" },
];

/** The debtor behind a discrepancy, from risk-service: score, level and the six factor scores (0–10). */
export function DebtorScore({ debtorId }: { debtorId: number }) {
  const { api } = useSignedIn();
  const debtor = useQuery({ queryKey: ["debtor", debtorId], queryFn: () => api.debtor(debtorId) });
  if (!debtor.data) {
    return <QueryStatus isPending={debtor.isPending} error={debtor.error} what="the debtor" />;
  }
  const { name, total_debt_amount, payment_status, risk_score } = debtor.data;
  return (
    <>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{name}</dd>
        <dt>Total debt</dt>
        <dd>{formatMoney(total_debt_amount)}</dd>
        <dt>Payment status</dt>
        <dd>{words(payment_status)}</dd>
        <dt>Risk score</dt>
        <dd>
          {risk_score ? (
            <>
              {risk_score.total_score}{" "}
              <span className={`badge badge-level-${risk_score.risk_level.toLowerCase()}`}>
                {words(risk_score.risk_level)}
              </span>
            </>
          ) : (
            "Not scored yet"
          )}
        </dd>
      </dl>
      {risk_score && (
        <table className="data-table compact factors">
          <caption>Factor scores (0–10)</caption>
          <thead>
            <tr>
              <th scope="col">Factor</th>
              <th scope="col" className="num">
                Score
              </th>
              <th scope="col">
                <span className="visually-hidden">Scale</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {FACTORS.map((factor) => {
              const value = risk_score.factor_breakdown[factor.id];
              return (
                <tr key={factor.id}>
                  <th scope="row">{factor.label}</th>
                  <td className="num">{value}</td>
                  <td aria-hidden="true">
                    <meter min={0} max={10} value={value} className="factor-meter" />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
