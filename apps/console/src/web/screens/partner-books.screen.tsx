import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useRef, useState } from "react";
import type { PartnerBookImport, RowError } from "../api/api-types";
import { ApiError } from "../api/console-api";
import { formatCount, formatDateTime, words } from "../components/format";
import { errorMessage, QueryStatus } from "../components/query-status";
import { usePageTitle } from "../components/use-page-title";
import { useSignedIn } from "../session/session-context";

type UploadOutcome =
  | { kind: "accepted"; book: PartnerBookImport }
  | { kind: "rows"; errors: RowError[]; total: number }
  | { kind: "refused"; message: string };

function rowErrorsOf(error: ApiError): { errors: RowError[]; total: number } {
  // partner-sync names them `errors` (domain.md §10); `details` is the generic validation error's field.
  const body = error.body as { errors?: unknown; details?: unknown; total_errors?: unknown } | null;
  const listed = Array.isArray(body?.errors) ? body.errors : Array.isArray(body?.details) ? body.details : [];
  const errors = listed as RowError[];
  return { errors, total: typeof body?.total_errors === "number" ? body.total_errors : errors.length };
}

function UploadForm() {
  const id = useId();
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const file = useRef<HTMLInputElement>(null);
  const [partner, setPartner] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<UploadOutcome | null>(null);
  const upload = useMutation({
    mutationFn: (input: { partner: string; file: File }) => api.uploadPartnerBook(input.partner, input.file),
    onSuccess: (book) => {
      setOutcome({ kind: "accepted", book });
      void queryClient.invalidateQueries({ queryKey: ["partner-books"] });
      void queryClient.invalidateQueries({ queryKey: ["discrepancies"] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 422) setOutcome({ kind: "rows", ...rowErrorsOf(error) });
      else if (error instanceof ApiError && error.status === 413)
        setOutcome({ kind: "refused", message: "The file is larger than the service accepts." });
      else setOutcome({ kind: "refused", message: errorMessage(error) });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setOutcome(null);
    const chosen = file.current?.files?.[0];
    if (!partner.trim()) return setProblem("Name the partner whose book this is.");
    if (!chosen) return setProblem("Choose a CSV file to upload.");
    upload.mutate({ partner: partner.trim(), file: chosen });
  }

  return (
    <form className="panel upload" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>Upload a partner book</h2>
      <p className="muted">
        A full snapshot as CSV: debtor_id, balance, status (reference and as_of optional). One bad row refuses the whole
        file.
      </p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-partner`}>Partner</label>
          <input id={`${id}-partner`} value={partner} onChange={(event) => setPartner(event.target.value)} size={18} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-file`}>CSV file</label>
          <input id={`${id}-file`} ref={file} type="file" accept=".csv,text/csv" />
        </div>
        <button type="submit" className="button-primary" disabled={upload.isPending}>
          Upload
        </button>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <div role="status" aria-live="polite">
        {upload.isPending && <p>Uploading and checking every row…</p>}
        {outcome?.kind === "accepted" && (
          <p className="notice-ok">
            Imported {formatCount(outcome.book.summary.rows)} rows for {outcome.book.partner}:{" "}
            {formatCount(outcome.book.summary.matched)} matched,{" "}
            {formatCount(outcome.book.summary.discrepancies_opened)} discrepancies opened,{" "}
            {formatCount(outcome.book.summary.discrepancies_auto_resolved)} auto-resolved.
          </p>
        )}
        {outcome?.kind === "rows" && (
          <p className="form-error">
            The file was refused: {formatCount(outcome.total)} {outcome.total === 1 ? "row error" : "row errors"}
            {outcome.total > outcome.errors.length ? ` (the first ${outcome.errors.length} are listed)` : ""}. Nothing
            was stored.
          </p>
        )}
        {outcome?.kind === "refused" && <p className="form-error">{outcome.message}</p>}
      </div>
      {outcome?.kind === "rows" && outcome.errors.length > 0 && (
        <table className="data-table compact">
          <caption>Row errors</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Column</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {outcome.errors.map((row) => (
              <tr key={`${row.line}-${row.column}-${row.reason}`}>
                <td className="num">{row.line}</td>
                <td>{row.column ? <code>{row.column}</code> : "—"}</td>
                <td>{row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  );
}

export default function PartnerBooksScreen() {
  usePageTitle("Partner books");
  const { api, can } = useSignedIn();
  const imports = useQuery({ queryKey: ["partner-books"], queryFn: () => api.partnerBooks() });
  const items = imports.data?.items ?? [];
  return (
    <section className="screen" aria-labelledby="books-title">
      <h1 id="books-title">Partner books</h1>
      {can("operator") && <UploadForm />}
      <h2>Imports</h2>
      <QueryStatus
        isPending={imports.isPending}
        error={imports.error}
        isEmpty={items.length === 0}
        what="partner book imports"
        empty="No partner book imported yet."
      />
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Partner book imports, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Imported</th>
                <th scope="col">Partner</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col">As of</th>
                <th scope="col">By</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Matched
                </th>
                <th scope="col" className="num">
                  Opened
                </th>
                <th scope="col" className="num">
                  Auto-resolved
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((book) => (
                <tr key={book.id}>
                  <th scope="row">{formatDateTime(book.imported_at)}</th>
                  <td>{book.partner}</td>
                  <td className="num">{formatCount(book.rows)}</td>
                  <td>{book.as_of ?? "—"}</td>
                  <td>{book.imported_by}</td>
                  <td>{words(book.state ?? book.status ?? "")}</td>
                  <td className="num">{formatCount(book.summary.matched)}</td>
                  <td className="num">{formatCount(book.summary.discrepancies_opened)}</td>
                  <td className="num">{formatCount(book.summary.discrepancies_auto_resolved)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
