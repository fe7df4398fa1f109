import { describe, expect, it } from "vitest";
import { imageTag } from "./support/kustomize-renderer";
import { OVERLAYS, rendered, VARIANTS } from "./support/rendered";
import { allContainers, workloadsOf } from "./support/workloads";

// The restricted Pod Security Standard, and a read-only root file system on top of it.
const CONTAINER_SECURITY = {
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

describe.each(VARIANTS)("containers in %s", (variant) => {
  const objects = rendered(variant);
  const workloads = workloadsOf(objects);
  const containers = workloads.flatMap(({ object, pod }) =>
    allContainers(pod).map((container) => ({
      id: `${object.kind}/${object.metadata.name}/${container.name}`,
      container,
      pod,
    })),
  );

  it("when listed, then every workload the brief names is there", () => {
    expect(workloads.map(({ object }) => `${object.kind}/${object.metadata.name}`).sort()).toEqual([
      "CronJob/dlq-redrive",
      "CronJob/process-debtors",
      "Deployment/console",
      "Deployment/partner-sync",
      "Deployment/risk-service",
      "Job/migrate",
    ]);
  });

  it.each(containers.map((c) => [c.id, c] as const))(
    "when %s runs, then it is non-root, read-only, without capabilities or privilege escalation, under RuntimeDefault seccomp",
    (_id, { container, pod }) => {
      expect(container.securityContext).toMatchObject(CONTAINER_SECURITY);
      expect(container.securityContext?.privileged).not.toBe(true);
      expect(container.securityContext).not.toHaveProperty("capabilities.add");
      expect(container.securityContext?.runAsUser).not.toBe(0);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    },
  );

  it.each(containers.map((c) => [c.id, c] as const))(
    "when %s writes, then only to emptyDir volumes, /tmp among them",
    (_id, { container, pod }) => {
      const volumes = new Map((pod.volumes ?? []).map((volume) => [volume.name, volume]));
      const writable = (container.volumeMounts ?? []).filter((mount) => mount.readOnly !== true);
      for (const mount of writable) {
        expect(volumes.get(mount.name)?.emptyDir, `${mount.mountPath} is writable but not an emptyDir`).toBeDefined();
      }
      expect(writable.map((mount) => mount.mountPath)).toContain("/tmp");
    },
  );

  it.each(containers.map((c) => [c.id, c] as const))(
    "when %s is scheduled, then it requests CPU and memory and has limits",
    (_id, { container }) => {
      expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(["cpu", "memory"]);
      expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(["cpu", "memory"]);
    },
  );

  it("when a pod starts, then it mounts no Kubernetes API token (no pod calls the API)", () => {
    for (const { object, pod } of workloads) {
      expect(pod.automountServiceAccountToken, object.metadata.name).toBe(false);
    }
    for (const account of objects.filter((object) => object.kind === "ServiceAccount")) {
      expect(account.automountServiceAccountToken, account.metadata.name).toBe(false);
    }
  });

  it("when a container gets AWS access, then through IRSA only: no static keys and no emulator endpoint", () => {
    const forbidden = [
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "SQS_ENDPOINT",
      "AWS_PROFILE",
    ];
    for (const { container } of containers) {
      const names = (container.env ?? []).map((variable) => variable.name);
      expect(
        names.filter((name) => forbidden.includes(name)),
        container.name,
      ).toEqual([]);
      expect(container.envFrom, `${container.name}: envFrom hides which variables a container gets`).toBeUndefined();
    }
  });

  it("when the manifests are committed, then no Secret object (and so no secret value) is among them", () => {
    expect(objects.filter((object) => object.kind === "Secret").map((object) => object.metadata.name)).toEqual([]);
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}/);
  });
});

describe.each(OVERLAYS)("images in %s", (overlay) => {
  it("when rendered, then every container runs the one SmartRecover image with a pinned tag, never latest", () => {
    const images = new Set(
      workloadsOf(rendered(overlay)).flatMap(({ pod }) => allContainers(pod).map((container) => container.image ?? "")),
    );
    expect(images.size).toBe(1);
    const [image = ""] = images;
    expect(image).toMatch(/\/smartrecover:/);
    expect(imageTag(image)).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("when the namespace is created, then Pod Security Admission enforces the restricted profile on it", () => {
    const objects = rendered(overlay);
    const namespaces = objects.filter((object) => object.kind === "Namespace");
    expect(namespaces).toHaveLength(1);
    const namespace = namespaces[0];
    expect(namespace?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const others = new Set(objects.filter((o) => o.kind !== "Namespace").map((o) => o.metadata.namespace));
    expect([...others]).toEqual([namespace?.metadata.name]);
  });
});
