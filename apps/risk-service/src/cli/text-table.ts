/** Rows as left-aligned columns, two spaces apart and indented by two, for the commands' reports. */
export function textTable(rows: Array<Array<string | number>>): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => String(row[column]).length))) ?? [];
  return rows
    .map((row) => `  ${row.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd())
    .join("\n");
}
