import { describe, expect, it } from "vitest";
import { schemaErrors } from "./support/kubernetes-schemas";
import type { KubeObject } from "./support/kustomize-renderer";
import { rendered, VARIANTS } from "./support/rendered";

describe("Kubernetes manifests against the API and CRD schemas", () => {
  it.each(VARIANTS)("when %s is rendered, then every object validates against its schema", (variant) => {
    const objects = rendered(variant);
    expect(objects.length).toBeGreaterThan(10);
    const failures = objects.flatMap((object) =>
      schemaErrors(object).map((error) => `${object.kind}/${object.metadata.name}: ${error}`),
    );
    expect(failures).toEqual([]);
  });

  it("when an overlay is rendered, then it holds the base's workloads plus the namespace, the secrets and the monitoring objects", () => {
    const kinds = (variant: (typeof VARIANTS)[number]) =>
      [...new Set(rendered(variant).map((object) => object.kind))].sort();
    expect(kinds("base")).toEqual(
      [
        "ConfigMap",
        "CronJob",
        "Deployment",
        "Job",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "ScaledObject",
        "Service",
        "ServiceAccount",
        "TriggerAuthentication",
      ].sort(),
    );
    for (const overlay of ["production", "staging"] as const) {
      expect(kinds(overlay)).toEqual(
        [...kinds("base"), "ExternalSecret", "Namespace", "PrometheusRule", "SecretStore", "ServiceMonitor"].sort(),
      );
    }
  });

  it("when an object is malformed or of an unknown kind, then the check reports it", () => {
    const broken: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "broken" },
      spec: { selector: {}, template: { spec: { containers: [{ name: "a", image: "i", imagePullPolicy: 3 }] } } },
    };
    expect(schemaErrors(broken).join()).toMatch(/imagePullPolicy/);
    const scaled: KubeObject = {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "broken" },
      spec: { scaleTargetRef: {}, triggers: [] },
    };
    expect(schemaErrors(scaled).join()).toMatch(/name/);
    expect(schemaErrors({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } })).toEqual([
      "no schema known for v1 Pod",
    ]);
  });
});
