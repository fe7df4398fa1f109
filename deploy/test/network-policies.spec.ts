import { describe, expect, it } from "vitest";
import { allows, type Endpoint, inCidr } from "./support/network-policy-evaluator";
import { OVERLAYS, rendered } from "./support/rendered";
import { workloadsOf } from "./support/workloads";

describe.each(OVERLAYS)("NetworkPolicies in %s", (overlay) => {
  const objects = rendered(overlay);
  const namespace = objects.find((object) => object.kind === "Namespace")?.metadata.name ?? "";
  const pods = Object.fromEntries(
    workloadsOf(objects).map(({ object, labels }) => [object.metadata.name, { pod: labels, namespace } as Endpoint]),
  );
  const pod = (name: string): Endpoint => {
    const endpoint = pods[name];
    if (!endpoint) throw new Error(`no workload ${name}`);
    return endpoint;
  };
  const can = (from: Endpoint, to: Endpoint, port: number, protocol = "TCP") =>
    allows(objects, namespace, from, to, port, protocol);
  const dns: Endpoint = { pod: { "k8s-app": "kube-dns" }, namespace: "kube-system" };
  const prometheus: Endpoint = { pod: { app: "prometheus" }, namespace: "monitoring" };
  const ingressController: Endpoint = { pod: { app: "ingress-nginx" }, namespace: "ingress-nginx" };
  const stranger: Endpoint = { pod: { app: "anything" }, namespace: "other" };
  const database: Endpoint = { ip: "10.0.12.34" };
  const awsApi: Endpoint = { ip: "52.94.1.1" };
  const instanceMetadata: Endpoint = { ip: "169.254.169.254" };
  const workloads = Object.keys(pods);

  it("when no rule admits a connection, then it is refused: a policy denies everything in and out by default", () => {
    const denyAll = objects.find((object) => object.metadata.name === "default-deny-all");
    expect(denyAll?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    for (const name of workloads) {
      expect(can(stranger, pod(name), 3000), name).toBe(false);
      expect(can(pod(name), { ip: "93.184.216.34" }, 80), name).toBe(false);
    }
  });

  it("when the console calls the APIs, then it gets through, and nothing else in the namespace does", () => {
    expect(can(pod("console"), pod("risk-service"), 3000)).toBe(true);
    expect(can(pod("console"), pod("partner-sync"), 3001)).toBe(true);
    expect(can(pod("console"), pod("partner-sync"), 3000)).toBe(false);
    for (const name of workloads.filter((n) => n !== "console")) {
      expect(can(pod(name), pod("risk-service"), 3000), name).toBe(false);
      expect(can(pod(name), pod("partner-sync"), 3001), name).toBe(false);
    }
    expect(can(ingressController, pod("console"), 3002)).toBe(true);
    expect(can(ingressController, pod("risk-service"), 3000)).toBe(false);
  });

  it("when Prometheus scrapes, then it reaches both services' ports", () => {
    expect(can(prometheus, pod("risk-service"), 3000)).toBe(true);
    expect(can(prometheus, pod("partner-sync"), 3001)).toBe(true);
    expect(can(stranger, pod("partner-sync"), 3001)).toBe(false);
  });

  it("when any pod resolves a name, then it reaches the cluster DNS on port 53", () => {
    for (const name of workloads) {
      expect(can(pod(name), dns, 53, "UDP"), name).toBe(true);
      expect(can(pod(name), dns, 53, "TCP"), name).toBe(true);
    }
  });

  it("when a workload needs MySQL or AWS APIs, then exactly those get out, and nobody reaches the instance metadata service", () => {
    const mysqlUsers = workloads.filter((name) => can(pod(name), database, 3306)).sort();
    expect(mysqlUsers).toEqual(["console", "migrate", "partner-sync", "process-debtors", "risk-service"]);
    const httpsUsers = workloads.filter((name) => can(pod(name), awsApi, 443)).sort();
    expect(httpsUsers).toEqual(["console", "dlq-redrive", "partner-sync", "process-debtors", "risk-service"]);
    for (const name of workloads) {
      for (const port of [80, 443, 3306]) expect(can(pod(name), instanceMetadata, port), name).toBe(false);
    }
  });

  it("when the evaluator is asked about addresses, then its CIDR arithmetic holds", () => {
    expect(inCidr("10.0.12.34", "10.0.0.0/16")).toBe(true);
    expect(inCidr("10.1.0.0", "10.0.0.0/16")).toBe(false);
    expect(inCidr("169.254.169.254", "169.254.169.254/32")).toBe(true);
    expect(inCidr("203.0.113.9", "0.0.0.0/0")).toBe(true);
  });
});
