import { describe, expect, it } from "vitest";
import { composeCommand, composeEnvironment, isOurImage, loadComposeServices } from "./support/compose-file";
import { OVERLAYS, rendered } from "./support/rendered";
import { resolvedEnv, workloadsOf } from "./support/workloads";

/**
 * docker-compose.yml and the Kubernetes manifests run the same image the same way: each workload
 * runs its compose counterpart's command, with the same variables. Where they differ on purpose,
 * the difference is written down here with the reason.
 */

/** Compose services with no Kubernetes workload, and why. */
const COMPOSE_ONLY_SERVICES: Record<string, string> = {
  mysql: "production's MySQL is RDS (deploy/aws), outside the cluster",
  localstack: "production's queues are AWS SQS (deploy/aws)",
  "queues-setup": "the CDK stack creates the queues with their policies; the services never create them there",
  "generate-debtors": "test data for compose's demo pipeline, never for production",
};

/** Kubernetes workloads with no compose service, and why. */
const KUBERNETES_ONLY_WORKLOADS: Record<string, string> = {
  "dlq-redrive":
    "an operator's Job template with its own IAM role; compose runs `pnpm cli dlq redrive` by `exec` instead",
};

/** Kubernetes workloads whose compose service has not landed yet: remove an entry once it has. */
const PENDING_COMPOSE_SERVICES: Record<string, string> = {};

type Side = "compose" | "kubernetes";

interface Difference {
  variable: string;
  /** The side that sets the variable; the other side leaves it unset. */
  onlyIn: Side;
  workloads: string[];
  why: string;
}

/** Differences by design: allowed, whether or not they occur today. */
const INTENTIONAL_DIFFERENCES: Difference[] = [
  {
    variable: "SQS_ENDPOINT",
    onlyIn: "compose",
    workloads: ["risk-service", "partner-sync", "process-debtors"],
    why: "compose talks to LocalStack; Kubernetes talks to AWS SQS with IRSA credentials",
  },
  ...["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].map(
    (variable): Difference => ({
      variable,
      onlyIn: "compose",
      workloads: ["risk-service", "partner-sync", "process-debtors"],
      why: "LocalStack's dummy credentials; Kubernetes gets real ones from IRSA (AWS_WEB_IDENTITY_TOKEN_FILE, set by EKS)",
    }),
  ),
  {
    variable: "AUTH_SIGNING_KEY",
    onlyIn: "compose",
    workloads: ["risk-service", "partner-sync", "process-debtors", "console"],
    why: "the local-token mode's shared key; Kubernetes runs AUTH_MODE=oidc and verifies the provider's tokens",
  },
  ...["AUTH_MODE", "AUTH_ISSUER", "AUTH_AUDIENCE", "AUTH_ROLES_CLAIM"].map(
    (variable): Difference => ({
      variable,
      onlyIn: "kubernetes",
      workloads: ["risk-service", "partner-sync"],
      why: "OIDC settings: compose runs the embedded local-token default",
    }),
  ),
  ...["AUTH_MODE", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "CONSOLE_SESSION_SECRET"].map(
    (variable): Difference => ({
      variable,
      onlyIn: "kubernetes",
      workloads: ["console"],
      why: "production signs in through the identity provider and keeps its session key in a Secret; compose runs local accounts with a per-process session key",
    }),
  ),
  {
    variable: "MESSAGE_SIGNING_KEY",
    onlyIn: "kubernetes",
    workloads: ["risk-service", "partner-sync", "process-debtors"],
    why: "queue messages are signed in production; compose's demo may run unsigned",
  },
];

/**
 * Differences that exist only until the code lands. The test fails once one is gone, so the list stays true.
 */
const PENDING_DIFFERENCES: Difference[] = [];

/** Variables whose value must be the same wherever both sides set them. */
const SAME_VALUE = [
  "HOST",
  "RISK_API_PORT",
  "PARTNER_SYNC_API_PORT",
  "CONSOLE_PORT",
  "MIGRATE_ON_START",
  "SQS_CREATE_QUEUES",
  "SQS_QUEUE_NAME",
  "SQS_DLQ_NAME",
];

const compose = loadComposeServices();
const allowed = (list: Difference[], variable: string, onlyIn: Side, workload: string) =>
  list.some((d) => d.variable === variable && d.onlyIn === onlyIn && d.workloads.includes(workload));

describe.each(OVERLAYS)("docker-compose.yml and the %s manifests", (overlay) => {
  const objects = rendered(overlay);
  const workloads = workloadsOf(objects);
  const compared = workloads.filter(({ object }) => compose[object.metadata.name] !== undefined);

  it("when listed side by side, then every workload has its counterpart or a stated reason not to", () => {
    const names = workloads.map(({ object }) => object.metadata.name);
    for (const name of names) {
      const explained = name in KUBERNETES_ONLY_WORKLOADS || name in PENDING_COMPOSE_SERVICES;
      expect(compose[name] !== undefined || explained, `${name} has no compose service and no reason`).toBe(true);
      expect(
        compose[name] !== undefined && name in PENDING_COMPOSE_SERVICES,
        `compose now runs ${name}: remove it from PENDING_COMPOSE_SERVICES`,
      ).toBe(false);
    }
    for (const [name, service] of Object.entries(compose)) {
      expect(
        names.includes(name) || name in COMPOSE_ONLY_SERVICES,
        `compose's ${name} has no workload and no reason`,
      ).toBe(true);
      if (!isOurImage(service)) expect(name in COMPOSE_ONLY_SERVICES, name).toBe(true);
    }
    expect(compared.map(({ object }) => object.metadata.name).sort()).toEqual(
      ["console", "migrate", "partner-sync", "process-debtors", "risk-service"].sort(),
    );
  });

  it.each(compared.map((w) => [w.object.metadata.name, w] as const))(
    "when %s starts, then it runs compose's command, behind the image's entrypoint as compose does",
    (name, { pod }) => {
      const [container, ...others] = pod.containers;
      expect(others).toEqual([]);
      expect(container?.command).toBeUndefined();
      expect(container?.args).toEqual(composeCommand(compose[name] ?? {}));
    },
  );

  it.each(compared.map((w) => [w.object.metadata.name, w] as const))(
    "when %s starts, then it gets compose's variables, apart from the differences stated here",
    (name, { pod }) => {
      const [container] = pod.containers;
      const kubernetes = resolvedEnv(container ?? { name }, objects);
      const composeEnv = composeEnvironment(compose[name] ?? {});
      const unexplained: string[] = [];
      const differences = [
        ...[...kubernetes.keys()].filter((v) => !composeEnv.has(v)).map((v) => [v, "kubernetes"] as const),
        ...[...composeEnv.keys()].filter((v) => !kubernetes.has(v)).map((v) => [v, "compose"] as const),
      ];
      for (const [variable, side] of differences) {
        if (
          !allowed(INTENTIONAL_DIFFERENCES, variable, side, name) &&
          !allowed(PENDING_DIFFERENCES, variable, side, name)
        ) {
          unexplained.push(`${variable} is set only in ${side}`);
        }
      }
      expect(unexplained).toEqual([]);
      for (const variable of SAME_VALUE) {
        const value = kubernetes.get(variable);
        if (value !== undefined && composeEnv.has(variable)) expect(value, variable).toBe(composeEnv.get(variable));
      }
    },
  );

  it("when a pending difference has gone (the code landed), then this list says so: remove the entry", () => {
    const stale: string[] = [];
    for (const { variable, onlyIn, workloads: names } of PENDING_DIFFERENCES) {
      for (const name of names) {
        const workload = compared.find(({ object }) => object.metadata.name === name);
        if (!workload) continue;
        const inKubernetes = resolvedEnv(workload.pod.containers[0] ?? { name }, objects).has(variable);
        const inCompose = composeEnvironment(compose[name] ?? {}).has(variable);
        const stillDifferent = onlyIn === "kubernetes" ? inKubernetes && !inCompose : inCompose && !inKubernetes;
        if (!stillDifferent) stale.push(`${variable} for ${name}`);
      }
    }
    expect(stale).toEqual([]);
  });
});

describe("the agreement check itself", () => {
  it("when compose's environment uses anchors, merge keys and defaults, then it is read as Compose reads it", () => {
    const services = loadComposeServices(
      [
        "x-env: &env",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's own interpolation syntax
        "  LOG_LEVEL: ${LOG_LEVEL:-info}",
        "  PRICE: $$5",
        "services:",
        "  app:",
        "    build: { context: . }",
        '    command: ["pnpm", "cli", "db-migrate"]',
        "    environment:",
        "      <<: *env",
        "      HOST: 0.0.0.0",
        "  list:",
        "    command: pnpm start:risk-service",
        "    environment: [A=1, B]",
      ].join("\n"),
    );
    expect([...composeEnvironment(services.app ?? {})]).toEqual([
      ["LOG_LEVEL", "info"],
      ["PRICE", "$5"],
      ["HOST", "0.0.0.0"],
    ]);
    expect(composeCommand(services.list ?? {})).toEqual(["pnpm", "start:risk-service"]);
    expect([...composeEnvironment(services.list ?? {})]).toEqual([
      ["A", "1"],
      ["B", ""],
    ]);
  });
});
