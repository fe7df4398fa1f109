import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifests } from "./support/kustomize-renderer";
import { parsePromql } from "./support/promql";
import { DEPLOY_ROOT } from "./support/repo-paths";

/**
 * The metrics the services expose (docs/operations.md, "Metrics"; registered in
 * apps/risk-service/src/outbox/outbox-metrics.ts, processing/processing-metrics.ts,
 * apps/partner-sync/src/reports/queue-metrics.ts and partner-sync-metrics.ts) plus service-kit's
 * HTTP metrics. The dashboard and the alerts may use these and nothing else; the test below
 * reads the names from those sources, so a renamed metric fails here.
 */
const METRICS = {
  risk_outbox_pending_messages: "gauge",
  risk_outbox_oldest_pending_age_seconds: "gauge",
  risk_outbox_published_total: "counter",
  risk_processing_runs_total: "counter",
  risk_processing_run_active: "gauge",
  risk_processing_debtors_processed_total: "counter",
  partner_sync_messages_total: "counter",
  partner_sync_queue_messages: "gauge",
  partner_sync_queue_oldest_message_age_seconds: "gauge",
  partner_sync_message_lag_seconds: "histogram",
  partner_sync_open_discrepancies: "gauge",
  http_requests_total: "counter",
  http_request_duration_seconds: "histogram",
} as const;

/** A histogram is queried through its _bucket, _sum and _count series. */
function metricOf(series: string): string {
  const histogram = /^(.*)_(bucket|sum|count)$/.exec(series);
  const base = histogram?.[1];
  if (base && METRICS[base as keyof typeof METRICS] === "histogram") return base;
  return series;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: { expr: string; datasource?: { uid?: string } }[];
}

const dashboard = JSON.parse(readFileSync(join(DEPLOY_ROOT, "observability", "grafana-dashboard.json"), "utf8")) as {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; definition?: string }[] };
};
/** Grafana fills in its variables before Prometheus sees a query: an interval, or a label value. */
const withVariables = (expr: string) => expr.replace(/\$__\w+/g, "5m").replace(/\$\{?\w+\}?/g, "value");
const dashboardQueries = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: withVariables(target.expr) })),
);
const variableMetrics = dashboard.templating.list.flatMap((variable) => {
  const metric = /^label_values\((\w+),/.exec(variable.definition ?? "")?.[1];
  return metric ? [metric] : [];
});

interface AlertRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
}

const rules = parseManifests(
  readFileSync(join(DEPLOY_ROOT, "observability", "prometheus-rules.yaml"), "utf8"),
  "prometheus-rules.yaml",
);
const groups = rules.flatMap((rule) => (rule.spec as { groups: { rules: AlertRule[] }[] }).groups);
const alerts = groups.flatMap((group) => group.rules);
const alertQueries = alerts.map((alert) => ({ where: `alert ${alert.alert}`, expr: alert.expr }));

describe("the metrics list itself", () => {
  it("when the services' metric sources are read, then every listed metric is registered there with its type", () => {
    const sources = [
      "apps/risk-service/src/outbox/outbox-metrics.ts",
      "apps/risk-service/src/processing/processing-metrics.ts",
      "apps/partner-sync/src/reports/queue-metrics.ts",
      "apps/partner-sync/src/reports/partner-sync-metrics.ts",
      "packages/service-kit/src/http/metrics.plugin.ts",
    ].map((path) => readFileSync(join(DEPLOY_ROOT, "..", path), "utf8"));
    const registered = new Map<string, string>();
    for (const source of sources) {
      for (const match of source.matchAll(/new (Counter|Gauge|Histogram)\(\{\s*name: "(\w+)"/g)) {
        registered.set(match[2] ?? "", (match[1] ?? "").toLowerCase());
      }
    }
    for (const [metric, type] of Object.entries(METRICS)) expect(registered.get(metric), metric).toBe(type);
  });
});

describe("dashboard and alert rules", () => {
  it.each([...dashboardQueries, ...alertQueries].map((q) => [q.where, q.expr] as const))(
    "when %s is parsed as PromQL, then it is valid and selects only known metrics",
    (_where, expr) => {
      const { metrics, errors } = parsePromql(expr);
      expect(errors).toEqual([]);
      expect(metrics.length).toBeGreaterThan(0);
      expect(metrics.map(metricOf).filter((metric) => !(metric in METRICS))).toEqual([]);
    },
  );

  it("when the dashboard's namespace picker lists namespaces, then it reads them from a known metric", () => {
    expect(variableMetrics.length).toBeGreaterThan(0);
    expect(variableMetrics.filter((metric) => !(metric in METRICS))).toEqual([]);
  });

  it("when all queries are taken together, then every listed metric is shown or alerted on", () => {
    const used = new Set(
      [...dashboardQueries, ...alertQueries].flatMap(({ expr }) => parsePromql(expr).metrics.map(metricOf)),
    );
    expect(Object.keys(METRICS).filter((metric) => !used.has(metric))).toEqual([]);
  });

  it("when an operator is paged, then it is for a growing backlog, a non-empty DLQ, an abandoned run, old messages and 5xx", () => {
    const alerting = (metric: string, extra?: RegExp) =>
      alerts.filter((a) => parsePromql(a.expr).metrics.includes(metric) && (!extra || extra.test(a.expr)));
    expect(alerting("risk_outbox_pending_messages", /deriv\(/)).toHaveLength(1);
    expect(alerting("partner_sync_queue_messages", /queue="dlq"/)).toHaveLength(1);
    expect(alerting("risk_processing_runs_total", /status="ABANDONED"/)).toHaveLength(1);
    expect(alerting("partner_sync_queue_oldest_message_age_seconds")).toHaveLength(1);
    expect(alerting("http_requests_total", /status_code=~"5\.\."/)).toHaveLength(1);
    for (const alert of alerts) expect(["warning", "critical"]).toContain(alert.labels.severity);
  });

  it("when Grafana imports the dashboard, then every panel has a unique id and queries the chosen data source", () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels.filter((p) => p.type !== "row")) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, kept literally
      expect(panel.datasource?.uid, panel.title).toBe("${datasource}");
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual(["datasource", "namespace"]);
  });

  it("when a query has a typo or names an unknown metric, then the checks catch it", () => {
    expect(parsePromql("sum(rate(risk_outbox_published_total[5m])").errors.length).toBeGreaterThan(0);
    expect(parsePromql('max(partner_sync_queue_messages{queue="dlq"}) > 0').metrics).toEqual([
      "partner_sync_queue_messages",
    ]);
    expect(metricOf("partner_sync_message_lag_seconds_bucket")).toBe("partner_sync_message_lag_seconds");
    expect(metricOf("risk_outbox_pending_messages_count")).toBe("risk_outbox_pending_messages_count");
  });
});
