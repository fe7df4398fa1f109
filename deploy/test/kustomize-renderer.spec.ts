import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderKustomization } from "./support/kustomize-renderer";

let root: string;

function write(path: string, text: string): void {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
}

const deployment = (name: string, image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
  template:
    spec:
      containers:
        - { name: app, image: "${image}" }
      initContainers:
        - { name: init, image: "${image}" }
`;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "deploy-kustomize-"));
  write("base/kustomization.yaml", "resources: [app.yaml, config.yaml]\n");
  write("base/app.yaml", `${deployment("web", "smartrecover")}---\n${deployment("sidecar", "busybox:1.36")}`);
  write("base/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { level: info }\n");
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("renderKustomization", () => {
  it("when an overlay names a base directory, a namespace, an image and patches, then the base's objects come out changed as kustomize would", () => {
    write("overlay/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: { name: prod }\n");
    write("overlay/level.yaml", "- { op: replace, path: /data/level, value: warn }\n");
    write(
      "overlay/kustomization.yaml",
      [
        "namespace: prod",
        "resources: [namespace.yaml, ../base]",
        "images: [{ name: smartrecover, newName: registry.test/smartrecover, newTag: '1.2.3' }]",
        "patches:",
        "  - { path: level.yaml, target: { kind: ConfigMap, name: settings } }",
        "  - target: { kind: Deployment, name: web }",
        "    patch: '[{ op: replace, path: /spec/replicas, value: 3 }]'",
      ].join("\n"),
    );
    const objects = renderKustomization(join(root, "overlay"));
    const summary = objects.map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.namespace ?? "-"}`);
    expect(summary).toEqual([
      "Namespace/prod@-",
      "Deployment/web@prod",
      "Deployment/sidecar@prod",
      "ConfigMap/settings@prod",
    ]);
    const [, web, sidecar, settings] = objects;
    expect(web?.spec).toEqual({
      replicas: 3,
      template: {
        spec: {
          containers: [{ name: "app", image: "registry.test/smartrecover:1.2.3" }],
          initContainers: [{ name: "init", image: "registry.test/smartrecover:1.2.3" }],
        },
      },
    });
    expect(JSON.stringify(sidecar)).toContain('"image":"busybox:1.36"');
    expect(settings?.data).toEqual({ level: "warn" });
  });

  it("when a kustomization uses a field this renderer does not implement, then it fails naming the field", () => {
    write("overlay/kustomization.yaml", "resources: [../base]\nconfigMapGenerator: [{ name: x, literals: [a=b] }]\n");
    expect(() => renderKustomization(join(root, "overlay"))).toThrow(/field "configMapGenerator" is not supported/);
  });

  it("when a patch's target matches no object, then it fails instead of silently doing nothing", () => {
    write(
      "overlay/kustomization.yaml",
      "resources: [../base]\npatches:\n  - target: { kind: Deployment, name: wbe }\n    patch: '[{ op: replace, path: /spec/replicas, value: 3 }]'\n",
    );
    expect(() => renderKustomization(join(root, "overlay"))).toThrow(/no Deployment named wbe/);
  });

  it("when an RFC 6902 replace names a path that does not exist, then it fails", () => {
    write(
      "overlay/kustomization.yaml",
      "resources: [../base]\npatches:\n  - target: { kind: ConfigMap, name: settings }\n    patch: '[{ op: replace, path: /data/levle, value: x }]'\n",
    );
    expect(() => renderKustomization(join(root, "overlay"))).toThrow(/inline patch/);
  });

  it("when a patch is a strategic merge (an object, not a list of operations), then it fails", () => {
    write(
      "overlay/kustomization.yaml",
      "resources: [../base]\npatches:\n  - target: { kind: ConfigMap, name: settings }\n    patch: 'data: { level: warn }'\n",
    );
    expect(() => renderKustomization(join(root, "overlay"))).toThrow(/only RFC 6902 patches/);
  });

  it("when two resources define the same object, then it fails", () => {
    write("overlay/kustomization.yaml", "resources: [../base, ../base/config.yaml]\n");
    expect(() => renderKustomization(join(root, "overlay"))).toThrow(/ConfigMap\/\/settings is defined twice/);
  });
});
