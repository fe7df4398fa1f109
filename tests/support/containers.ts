import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  GenericContainer,
  getContainerRuntimeClient,
  type StartedNetwork,
  type StartedTestContainer,
  Wait,
} from "testcontainers";
import { type ComposeService, environmentOf, healthcheckOf, interpolate } from "./compose-file";
import { REPO_ROOT } from "./run-command";

export type DockerAvailability = { available: true } | { available: false; reason: string };

/** testcontainers' own runtime lookup (DOCKER_HOST, the socket, rootless, testcontainers properties). */
export async function dockerAvailability(): Promise<DockerAvailability> {
  try {
    await getContainerRuntimeClient();
    return { available: true };
  } catch (error) {
    return { available: false, reason: (error as Error).message };
  }
}

/** Compose durations such as "5s", "1m", "1m30s" in milliseconds. */
export function durationMs(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)(ms|s|m|h)/g))
    total += Number(amount) * (units[unit ?? "s"] ?? 0);
  return total || fallback;
}

/**
 * Starts an infrastructure service (mysql, localstack) as docker compose defines it: its image,
 * environment, healthcheck (waited for) and the repository files it bind-mounts, copied in with
 * their modes so an executable hook stays executable. On `network` it answers to its compose
 * name, as in compose (LocalStack's hook reaches itself at LOCALSTACK_HOST=localstack:4566).
 */
export async function startComposeService(
  name: string,
  service: ComposeService,
  port: number,
  network: StartedNetwork,
): Promise<StartedTestContainer> {
  if (!service.image) throw new Error("service has no image");
  const environment = Object.fromEntries(
    Object.entries(environmentOf(service)).map(([key, value]) => [key, interpolate(value)]),
  );
  let container = new GenericContainer(service.image)
    .withEnvironment(environment)
    .withExposedPorts(port)
    .withNetwork(network)
    .withNetworkAliases(name)
    .withStartupTimeout(240_000);
  for (const volume of service.volumes ?? []) {
    const [source = "", target = ""] = volume.split(":");
    if (!source.startsWith("./")) continue;
    const folder = join(REPO_ROOT, source);
    container = container.withCopyFilesToContainer(
      readdirSync(folder).map((file) => ({
        source: join(folder, file),
        target: `${target}/${file}`,
        mode: statSync(join(folder, file)).mode & 0o777,
      })),
    );
  }
  const test = healthcheckOf(service);
  if (test) {
    const check = service.healthcheck as {
      interval?: string;
      timeout?: string;
      retries?: number;
      start_period?: string;
    };
    const [kind, ...rest] = test;
    container = container
      .withHealthCheck({
        test: kind === "CMD-SHELL" ? ["CMD-SHELL", interpolate(rest.join(" "))] : ["CMD", ...rest],
        interval: durationMs(check.interval, 5000),
        timeout: durationMs(check.timeout, 5000),
        retries: check.retries ?? 30,
        startPeriod: durationMs(check.start_period, 0),
      })
      .withWaitStrategy(Wait.forHealthCheck());
  }
  return container.start();
}

/**
 * Points compose's service addresses (`mysql:3306`, `localstack:4566`) at where they really are,
 * and fails if any value still names a compose service afterwards.
 */
export function rewriteAddresses(
  env: Record<string, string>,
  addresses: Record<string, string>,
): Record<string, string> {
  const rewritten = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      Object.entries(addresses).reduce(
        (text, [from, to]) => text.replaceAll(`//${from}`, `//${to}`).replaceAll(`@${from}`, `@${to}`),
        interpolate(value),
      ),
    ]),
  );
  const hosts = Object.keys(addresses).map((address) => address.split(":")[0]);
  for (const [key, value] of Object.entries(rewritten)) {
    if (hosts.some((host) => value.includes(`//${host}:`) || value.includes(`@${host}:`))) {
      throw new Error(`${key}=${value} still points at a compose service`);
    }
  }
  return rewritten;
}
