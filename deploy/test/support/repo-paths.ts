import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** deploy/, found from this file so the tests run from any working directory. */
export const DEPLOY_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const REPO_ROOT = join(DEPLOY_ROOT, "..");
export const KUBERNETES_ROOT = join(DEPLOY_ROOT, "kubernetes");
export const OVERLAYS = ["production", "staging"] as const;
export type Overlay = (typeof OVERLAYS)[number];
export const overlayDir = (overlay: Overlay) => join(KUBERNETES_ROOT, "overlays", overlay);
