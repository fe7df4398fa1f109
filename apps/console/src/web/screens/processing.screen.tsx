import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import type { ProcessRun } from "../api/api-types";
import { ApiError } from "../api/console-api";
import { formatCount, formatDateTime, formatMoney, words } from "../components/format";
import { errorMessage, QueryStatus } from "../components/query-status";
import { usePageTitle } from "../components/use-page-title";
import { isDecimal } from "../review/review-query";
import { useSignedIn } from "../session/session-context";

const POLL_MS = 2000;

function RunProgress({ run }: { run: ProcessRun }) {
  const label = `${formatCount(run.debtors_processed)} of ${formatCount(run.heap_size)} debtors`;
  if (run.status !== "RUNNING") return <span>{label}</span>;
  return (
    <span className="progress">
      <progress
        max={Math.max(run.heap_size, 1)}
        value={run.debtors_processed}
        aria-label={`Run ${run.run_id.slice(0, 8)} progress`}
      />
      <span>{label}</span>
    </span>
  );
}

function StartRunForm() {
  const id = useId();
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const [batchSize, setBatchSize] = useState("100");
  const [threshold, setThreshold] = useState("500000");
  const [problem, setProblem] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => api.startProcessRun({ batch_size: Number(batchSize), threshold }),
    onSuccess: (accepted) => {
      setStarted(`Run ${accepted.run_id} started.`);
      void queryClient.invalidateQueries({ queryKey: ["process-runs"] });
    },
    onError: (error) => {
      setProblem(
        error instanceof ApiError && error.status === 409
          ? `A run is already going: ${error.message}`
          : errorMessage(error),
      );
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setStarted(null);
    const size = Number(batchSize);
    if (!Number.isInteger(size) || size < 1 || size > 100_000) {
      setProblem("Batch size is a whole number from 1 to 100,000.");
      return;
    }
    if (!isDecimal(threshold.trim())) {
      setProblem("Threshold is an amount with at most two decimals, e.g. 500000.");
      return;
    }
    start.mutate();
  }

  return (
    <form className="panel inline-form start-run" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>Start a processing run</h2>
      <div className="field">
        <label htmlFor={`${id}-batch`}>Batch size</label>
        <input
          id={`${id}-batch`}
          inputMode="numeric"
          value={batchSize}
          onChange={(event) => setBatchSize(event.target.value)}
          size={8}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-threshold`}>High-priority threshold</label>
        <input
          id={`${id}-threshold`}
          inputMode="decimal"
          value={threshold}
          onChange={(event) => setThreshold(event.target.value)}
          size={12}
        />
      </div>
      <button type="submit" className="button-primary" disabled={start.isPending}>
        Start run
      </button>
      <div role="status" aria-live="polite" className="form-status">
        {started && <p className="notice-ok">{started}</p>}
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

export default function ProcessingScreen() {
  usePageTitle("Processing");
  const { api, can } = useSignedIn();
  const runs = useQuery({
    queryKey: ["process-runs", "list"],
    queryFn: () => api.processRuns(20),
    // Poll only while something is running: progress is live, idle screens stay quiet.
    refetchInterval: (query) => (query.state.data?.items.some((run) => run.status === "RUNNING") ? POLL_MS : false),
  });
  const items = runs.data?.items ?? [];
  return (
    <section className="screen" aria-labelledby="processing-title">
      <h1 id="processing-title">Processing</h1>
      <p className="lead">
        Runs of the BulkProcessor: debtors scored in priority order and high-priority ones queued for reconciliation.
      </p>
      {can("operator") && <StartRunForm />}
      <QueryStatus
        isPending={runs.isPending}
        error={runs.error}
        isEmpty={items.length === 0}
        what="processing runs"
        empty="No run yet."
      />
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Processing runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col" className="num">
                  High priority
                </th>
                <th scope="col" className="num">
                  Queued
                </th>
                <th scope="col" className="num">
                  Errors
                </th>
                <th scope="col">Batch / threshold</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">Started by</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <tr key={run.run_id}>
                  <th scope="row">
                    <code title={run.run_id}>{run.run_id.slice(0, 8)}</code>
                  </th>
                  <td>
                    <span className={`badge badge-${run.status.toLowerCase()}`}>{words(run.status)}</span>
                    {run.failure_reason && <span className="muted"> {run.failure_reason}</span>}
                  </td>
                  <td>
                    <RunProgress run={run} />
                  </td>
                  <td className="num">{formatCount(run.high_priority_count)}</td>
                  <td className="num">{formatCount(run.messages_queued)}</td>
                  <td className="num">{formatCount(run.errors_count)}</td>
                  <td>
                    {formatCount(run.batch_size)} / {formatMoney(run.threshold)}
                  </td>
                  <td>{formatDateTime(run.started_at)}</td>
                  <td>{formatDateTime(run.finished_at)}</td>
                  <td>{run.owner ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
