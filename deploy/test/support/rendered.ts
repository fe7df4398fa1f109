import { join } from "node:path";
import { type KubeObject, renderKustomization } from "./kustomize-renderer";
import { KUBERNETES_ROOT, OVERLAYS, type Overlay, overlayDir } from "./repo-paths";

const cache = new Map<string, KubeObject[]>();

/** The overlay's manifests as `kustomize build` prints them; a fresh copy for every caller. */
export function rendered(variant: Overlay | "base"): KubeObject[] {
  const dir = variant === "base" ? join(KUBERNETES_ROOT, "base") : overlayDir(variant);
  let objects = cache.get(dir);
  if (!objects) {
    objects = renderKustomization(dir);
    cache.set(dir, objects);
  }
  return structuredClone(objects);
}

export const VARIANTS = ["base", ...OVERLAYS] as const;
export { OVERLAYS };
