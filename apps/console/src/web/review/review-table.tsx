import {
  createColumnHelper,
  type RowSelectionState,
  rowSelectionFeature,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import { Link } from "react-router";
import type { Discrepancy } from "../api/api-types";
import { formatAge, formatMoney, stateLabel, typeLabel } from "../components/format";
import type { ReviewSort } from "./review-query";

const features = tableFeatures({ rowSelectionFeature });
const helper = createColumnHelper<typeof features, Discrepancy>();

const difference = (item: Discrepancy) =>
  item.difference_amount === null
    ? "—"
    : `${formatMoney(item.difference_amount)}${item.difference_percent ? ` (${item.difference_percent} %)` : ""}`;

const dataColumns = [
  helper.accessor("id", {
    header: "Discrepancy",
    cell: (info) => <Link to={`/review/${info.getValue()}`}>#{info.getValue()}</Link>,
  }),
  helper.accessor("debtor_id", { header: "Debtor" }),
  helper.accessor("type", { header: "Type", cell: (info) => typeLabel(info.getValue()) }),
  helper.accessor("internal_value", {
    header: "Our value",
    cell: (info) => formatMoney(info.getValue()),
    meta: { numeric: true },
  }),
  helper.accessor("external_value", {
    header: "Partner value",
    cell: (info) => (info.getValue() === null ? "No record" : formatMoney(info.getValue())),
    meta: { numeric: true },
  }),
  helper.display({
    id: "difference",
    header: "Difference",
    cell: ({ row }) => difference(row.original),
    meta: { numeric: true },
  }),
  helper.accessor("priority", {
    header: "Priority",
    cell: (info) => formatMoney(info.getValue()),
    meta: { numeric: true, sort: "priority" },
  }),
  helper.accessor("age_days", {
    header: "Age",
    cell: (info) => formatAge(info.getValue()),
    meta: { numeric: true, sort: "age" },
  }),
  helper.accessor("review_state", {
    header: "State",
    cell: (info) => (
      <span className={`badge badge-${info.getValue().toLowerCase()}`}>{stateLabel(info.getValue())}</span>
    ),
  }),
  helper.accessor("assignee", {
    header: "Assignee",
    cell: (info) => info.getValue() ?? <span className="muted">Unassigned</span>,
  }),
];

const selectColumn = helper.display({
  id: "select",
  header: ({ table }) => (
    <input
      type="checkbox"
      aria-label="Select all on this page"
      checked={table.getIsAllRowsSelected()}
      ref={(input) => {
        if (input) input.indeterminate = table.getIsSomeRowsSelected();
      }}
      onChange={table.getToggleAllRowsSelectedHandler()}
    />
  ),
  cell: ({ row }) => (
    <input
      type="checkbox"
      aria-label={`Select discrepancy ${row.original.id}`}
      checked={row.getIsSelected()}
      onChange={row.getToggleSelectedHandler()}
    />
  ),
});

const SELECTABLE = helper.columns([selectColumn, ...dataColumns]);
const READ_ONLY = helper.columns(dataColumns);

interface ColumnMeta {
  numeric?: boolean;
  sort?: ReviewSort;
}

/** The review queue: one row per discrepancy, with a checkbox per row for those who may act. */
export function ReviewTable(props: {
  items: Discrepancy[];
  selectable: boolean;
  selection: RowSelectionState;
  onSelectionChange: (updater: RowSelectionState | ((old: RowSelectionState) => RowSelectionState)) => void;
  sort: ReviewSort;
  caption: string;
}) {
  const table = useTable({
    features,
    columns: props.selectable ? SELECTABLE : READ_ONLY,
    data: props.items,
    getRowId: (row) => String(row.id),
    state: { rowSelection: props.selection },
    onRowSelectionChange: props.onSelectionChange,
    enableRowSelection: props.selectable,
  });

  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const meta = (header.column.columnDef.meta ?? {}) as ColumnMeta;
                const sorted = meta.sort === props.sort;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={meta.numeric ? "num" : header.column.id === "select" ? "select-cell" : undefined}
                    aria-sort={
                      meta.sort
                        ? sorted
                          ? meta.sort === "priority"
                            ? "descending"
                            : "ascending"
                          : "none"
                        : undefined
                    }
                  >
                    <table.FlexRender header={header} />
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className={row.getIsSelected() ? "selected" : undefined}>
              {row.getAllCells().map((cell) => {
                const meta = (cell.column.columnDef.meta ?? {}) as ColumnMeta;
                return (
                  <td
                    key={cell.id}
                    className={meta.numeric ? "num" : cell.column.id === "select" ? "select-cell" : undefined}
                  >
                    <table.FlexRender cell={cell} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
