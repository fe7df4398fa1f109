import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "./run-command";

export interface ComposeHealthcheck {
  test?: string | string[];
  disable?: boolean;
}

export interface ComposeService {
  image?: string;
  build?: { context?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: ComposeHealthcheck;
  ports?: string[];
  volumes?: string[];
  restart?: string;
  init?: boolean;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const COMPOSE_PATH = join(REPO_ROOT, "docker-compose.yml");

/** The compose file as Compose reads it: anchors resolved and `<<` merge keys applied. */
export function loadCompose(text = readFileSync(COMPOSE_PATH, "utf8")): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

/** The services built from this repository's Dockerfile (as opposed to mysql, localstack). */
export function appServices(compose: ComposeFile): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
}

/** `environment` in either of Compose's forms, as strings. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf("=");
        return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? "" : String(value)]));
}

/**
 * Applies `${VAR:-default}` interpolation with an empty environment, as `docker compose up`
 * does when nothing is exported, and turns `$$` back into `$`.
 */
export function interpolate(value: string): string {
  return value
    .replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? "")
    .replace(/\$\$/g, "$");
}

export function commandOf(service: ComposeService): string[] {
  const command = service.command;
  if (command === undefined) return [];
  return Array.isArray(command) ? command.map(String) : command.split(/\s+/).filter(Boolean);
}

export function dependenciesOf(service: ComposeService): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep?.condition]));
}

export function healthcheckOf(service: ComposeService): string[] | undefined {
  const check = service.healthcheck;
  if (!check || check.disable || check.test === undefined) return undefined;
  return Array.isArray(check.test) ? check.test : ["CMD-SHELL", check.test];
}
