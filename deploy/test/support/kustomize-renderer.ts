import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Operation } from "fast-json-patch";
import { parse, parseAllDocuments } from "yaml";

/**
 * Builds a kustomization the way `kustomize build` does, for the subset of kustomize this
 * repository uses: `resources` (files and directories with their own kustomization), `patches`
 * holding RFC 6902 operations with a kind/name target, `images` and `namespace`. Any other field
 * is an error, so a manifest cannot use a feature whose effect these tests would not see.
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface PatchEntry {
  path?: string;
  patch?: string;
  target?: { kind?: string; name?: string };
}

interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  patches?: PatchEntry[];
  images?: ImageEntry[];
}

// fast-json-patch is CommonJS whose named exports Node's ES module loader cannot see: required,
// it loads the same under vitest and plain Node.
const { applyPatch } = createRequire(import.meta.url)("fast-json-patch") as typeof import("fast-json-patch");

const SUPPORTED_FIELDS = new Set(["apiVersion", "kind", "resources", "namespace", "patches", "images"]);
/** Kinds without a namespace among those kustomize knows; the namespace transformer skips them. */
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PriorityClass",
  "StorageClass",
  "ClusterSecretStore",
]);

export class KustomizeError extends Error {}

export function renderKustomization(dir: string): KubeObject[] {
  const file = join(dir, "kustomization.yaml");
  if (!existsSync(file)) throw new KustomizeError(`${dir}: no kustomization.yaml`);
  const kustomization = (parse(readFileSync(file, "utf8")) ?? {}) as Kustomization;
  for (const field of Object.keys(kustomization)) {
    if (!SUPPORTED_FIELDS.has(field)) throw new KustomizeError(`${file}: field "${field}" is not supported here`);
  }
  let objects = (kustomization.resources ?? []).flatMap((resource) => loadResource(dir, resource));
  objects = applyPatches(dir, objects, kustomization.patches ?? []);
  for (const image of kustomization.images ?? []) setImages(objects, image);
  if (kustomization.namespace) {
    for (const object of objects) {
      if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
    }
  }
  assertUnique(file, objects);
  return objects;
}

function loadResource(dir: string, resource: string): KubeObject[] {
  if (/^[a-z]+:\/\//i.test(resource)) throw new KustomizeError(`${resource}: remote resources are not supported`);
  const path = join(dir, resource);
  if (!existsSync(path)) throw new KustomizeError(`${dir}: resource ${resource} does not exist`);
  if (statSync(path).isDirectory()) return renderKustomization(path);
  return parseManifests(readFileSync(path, "utf8"), path);
}

export function parseManifests(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new KustomizeError(`${source}: ${document.errors[0]?.message}`);
    const value = document.toJS() as KubeObject | null;
    if (value === null) continue;
    if (typeof value.apiVersion !== "string" || typeof value.kind !== "string" || !value.metadata?.name) {
      throw new KustomizeError(`${source}: a document without apiVersion, kind or metadata.name`);
    }
    objects.push(value);
  }
  return objects;
}

function applyPatches(dir: string, objects: KubeObject[], patches: PatchEntry[]): KubeObject[] {
  for (const entry of patches) {
    const where = entry.path ? join(dir, entry.path) : `${dir} (inline patch)`;
    const text = entry.path ? readFileSync(join(dir, entry.path), "utf8") : entry.patch;
    if (text === undefined) throw new KustomizeError(`${where}: a patch needs path or patch`);
    const operations = parse(text) as unknown;
    if (!Array.isArray(operations)) {
      throw new KustomizeError(`${where}: only RFC 6902 patches (a list of operations) are supported`);
    }
    const { kind, name } = entry.target ?? {};
    if (!kind || !name) throw new KustomizeError(`${where}: a patch needs a target with kind and name`);
    const targets = objects.filter((object) => object.kind === kind && object.metadata.name === name);
    // kustomize skips a target that matches nothing; here that is a typo to report.
    if (targets.length === 0) throw new KustomizeError(`${where}: no ${kind} named ${name} to patch`);
    for (const target of targets) {
      try {
        applyPatch(target, operations as Operation[], true, true);
      } catch (error) {
        throw new KustomizeError(`${where}: ${(error as Error).message.split("\n")[0]}`);
      }
    }
  }
  return objects;
}

/** kustomize's images transformer: every container whose image has this name gets the new name and tag. */
function setImages(value: unknown, image: ImageEntry): void {
  if (Array.isArray(value)) {
    for (const item of value) setImages(item, image);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  for (const key of ["containers", "initContainers"]) {
    const containers = record[key];
    if (!Array.isArray(containers)) continue;
    for (const container of containers as { image?: string }[]) {
      if (container.image === undefined || imageName(container.image) !== image.name) continue;
      const tag = image.newTag ?? imageTag(container.image);
      container.image = `${image.newName ?? image.name}${tag ? `:${tag}` : ""}`;
    }
  }
  for (const child of Object.values(record)) setImages(child, image);
}

export function imageName(image: string): string {
  const withoutDigest = image.split("@")[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
}

export function imageTag(image: string): string | undefined {
  const name = imageName(image);
  const rest = image.slice(name.length);
  return rest.startsWith(":") ? rest.slice(1).split("@")[0] : undefined;
}

function assertUnique(file: string, objects: KubeObject[]): void {
  const seen = new Set<string>();
  for (const object of objects) {
    const id = `${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`;
    if (seen.has(id)) throw new KustomizeError(`${file}: ${id} is defined twice`);
    seen.add(id);
  }
}
