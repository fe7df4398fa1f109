import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "./repo-paths";

export interface ComposeService {
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
}

/** docker-compose.yml as Compose reads it: anchors resolved, `<<` merge keys applied. */
export function loadComposeServices(text = readFileSync(join(REPO_ROOT, "docker-compose.yml"), "utf8")) {
  return (parse(text, { merge: true }) as { services: Record<string, ComposeService> }).services;
}

/** The services run from this repository's image (the others are MySQL and LocalStack). */
export const isOurImage = (service: ComposeService) => service.build !== undefined;

export function composeCommand(service: ComposeService): string[] {
  const { command } = service;
  if (command === undefined) return [];
  return Array.isArray(command) ? command.map(String) : command.split(/\s+/).filter(Boolean);
}

/** `environment` in either of Compose's forms, `${VAR:-default}` read as Compose does with nothing exported. */
export function composeEnvironment(service: ComposeService): Map<string, string> {
  const env = service.environment ?? {};
  const entries: [string, string][] = Array.isArray(env)
    ? env.map((entry) => {
        const at = entry.indexOf("=");
        return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
      })
    : Object.entries(env).map(([key, value]) => [key, value === null ? "" : String(value)]);
  return new Map(
    entries.map(([key, value]) => [
      key,
      value.replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_, fallback?: string) => fallback ?? "").replace(/\$\$/g, "$"),
    ]),
  );
}
