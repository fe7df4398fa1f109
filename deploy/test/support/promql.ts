import { parser } from "@prometheus-io/lezer-promql";

export interface ParsedQuery {
  metrics: string[];
  /** Positions of syntax errors; empty for a valid expression. */
  errors: number[];
}

/** Metric names a PromQL expression selects, read from the official Prometheus grammar's tree. */
export function parsePromql(expression: string): ParsedQuery {
  const tree = parser.parse(expression);
  const metrics: string[] = [];
  const errors: number[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) errors.push(cursor.from);
    if (cursor.name === "VectorSelector") {
      const selector = cursor.node.getChild("Identifier");
      if (selector) metrics.push(expression.slice(selector.from, selector.to));
      // A selector written as {__name__="…"} names its metric in a label matcher.
      const byName = /__name__\s*=\s*"([^"]+)"/.exec(expression.slice(cursor.from, cursor.to));
      if (byName?.[1]) metrics.push(byName[1]);
    }
  } while (cursor.next());
  return { metrics, errors };
}
