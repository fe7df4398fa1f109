import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { RowSelectionState } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { exportCsvUrl } from "../api/console-api";
import { formatCount } from "../components/format";
import { QueryStatus } from "../components/query-status";
import { usePageTitle } from "../components/use-page-title";
import { BulkActions } from "../review/bulk-actions";
import { ReviewFilters } from "../review/review-filters";
import {
  exportParams,
  filterParams,
  listParams,
  PAGE_SIZE,
  REVIEW_TABS,
  type ReviewView,
  searchFromView,
  viewFromSearch,
} from "../review/review-query";
import { ReviewTable } from "../review/review-table";
import { useSignedIn } from "../session/session-context";

const COUNT_KEYS = {
  open: "OPEN",
  acknowledged: "ACKNOWLEDGED",
  mine: "assigned_to_me",
  resolved: "RESOLVED",
  "auto-resolved": "AUTO_RESOLVED",
} as const;

export function ReviewQueueScreen() {
  usePageTitle("Review queue");
  const { api, can } = useSignedIn();
  const [search, setSearch] = useSearchParams();
  const view = useMemo(() => viewFromSearch(search), [search]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  // Cursors of the pages before this one, so "Previous page" can go back through keyset pages.
  const [previous, setPrevious] = useState<Array<string | null>>([]);

  const list = useQuery({
    queryKey: ["discrepancies", "list", listParams(view).toString()],
    queryFn: () => api.discrepancies(listParams(view)),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery({
    queryKey: ["discrepancies", "counts", filterParams(view).toString()],
    queryFn: () => api.discrepancyCounts(filterParams(view)),
  });

  function change(changes: Partial<ReviewView>, keepHistory = false) {
    if (!keepHistory) setPrevious([]);
    setSelection({});
    setSearch(searchFromView({ ...view, ...changes }));
  }

  const tabHref = (tab: ReviewView["tab"]) => {
    const query = searchFromView({ ...view, tab, cursor: null }).toString();
    return query ? `/review?${query}` : "/review";
  };
  const selectedIds = Object.keys(selection)
    .filter((key) => selection[key])
    .map(Number);
  const items = list.data?.items ?? [];
  const firstShown = previous.length * PAGE_SIZE + 1;
  const tab = REVIEW_TABS.find((candidate) => candidate.id === view.tab) ?? REVIEW_TABS[0];
  const canAct = can("reviewer") && tab.id !== "resolved" && tab.id !== "auto-resolved";

  return (
    <section className="screen" aria-labelledby="review-title">
      <div className="screen-header">
        <h1 id="review-title">Review queue</h1>
        {can("reviewer") && (
          <a className="button-secondary" href={exportCsvUrl(exportParams(view))} download>
            Export CSV
          </a>
        )}
      </div>
      <nav aria-label="Review states" className="tabs">
        <ul>
          {REVIEW_TABS.map((candidate) => {
            const count = counts.data?.[COUNT_KEYS[candidate.id]];
            return (
              <li key={candidate.id}>
                <Link
                  to={tabHref(candidate.id)}
                  aria-current={candidate.id === view.tab ? "page" : undefined}
                  onClick={() => {
                    setPrevious([]);
                    setSelection({});
                  }}
                >
                  {candidate.label} <span className="tab-count">{count === undefined ? "…" : formatCount(count)}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <ReviewFilters key={search.toString()} view={view} onApply={(changes) => change(changes)} />
      {canAct && <BulkActions selectedIds={selectedIds} onDone={() => setSelection({})} />}
      <QueryStatus
        isPending={list.isPending}
        error={list.error}
        isEmpty={items.length === 0}
        what="discrepancies"
        empty="No discrepancies match these filters."
        onRetry={() => void list.refetch()}
      />
      {items.length > 0 && (
        <>
          <ReviewTable
            items={items}
            selectable={canAct}
            selection={selection}
            onSelectionChange={setSelection}
            sort={view.sort}
            caption={`${tab.label} discrepancies, sorted by ${view.sort === "priority" ? "priority, highest first" : "age, oldest first"}`}
          />
          <div className="pager">
            <p role="status">
              Showing {formatCount(firstShown)}–{formatCount(firstShown + items.length - 1)}
              {list.data?.total !== undefined
                ? ` of ${formatCount(list.data.total)}`
                : list.data?.next_cursor
                  ? ", more on the next page"
                  : ""}
            </p>
            <button
              type="button"
              className="button-secondary"
              disabled={previous.length === 0}
              onClick={() => {
                const back = previous.slice(0, -1);
                setPrevious(back);
                change({ cursor: previous.at(-1) ?? null }, true);
              }}
            >
              Previous page
            </button>
            <button
              type="button"
              className="button-secondary"
              disabled={!list.data?.next_cursor}
              onClick={() => {
                setPrevious([...previous, view.cursor]);
                change({ cursor: list.data?.next_cursor ?? null }, true);
              }}
            >
              Next page
            </button>
          </div>
        </>
      )}
    </section>
  );
}
