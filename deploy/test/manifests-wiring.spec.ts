import { describe, expect, it } from "vitest";
import type { KubeObject } from "./support/kustomize-renderer";
import { OVERLAYS, rendered, VARIANTS } from "./support/rendered";
import { type LabelSelector, selects } from "./support/selectors";
import { type Container, find, resolvedEnv, workloadsOf } from "./support/workloads";

const specOf = (object: KubeObject) => object.spec as Record<string, unknown>;

describe.each(VARIANTS)("Deployments in %s", (variant) => {
  const objects = rendered(variant);
  const deployments = workloadsOf(objects).filter(({ object }) => object.kind === "Deployment");

  it.each(deployments.map((d) => [d.object.metadata.name, d] as const))(
    "when %s runs, then /healthz is its liveness and startup probe and /readyz its readiness probe, on its own port",
    (_name, { pod }) => {
      for (const container of pod.containers) {
        const ports = new Set((container.ports ?? []).flatMap((port) => [port.name, port.containerPort]));
        const probe = (key: "livenessProbe" | "readinessProbe" | "startupProbe") => container[key]?.httpGet;
        expect(probe("livenessProbe")?.path).toBe("/healthz");
        expect(probe("startupProbe")?.path).toBe("/healthz");
        expect(probe("readinessProbe")?.path).toBe("/readyz");
        for (const key of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
          expect(ports.has(probe(key)?.port ?? -1), `${key} names a port the container does not open`).toBe(true);
        }
      }
    },
  );

  it.each(deployments.map((d) => [d.object.metadata.name, d] as const))(
    "when %s is disrupted, then a PodDisruptionBudget selecting its pods limits the disruption, and a Service reaches them",
    (name, { labels, object }) => {
      const budgets = objects.filter(
        (o) => o.kind === "PodDisruptionBudget" && selects(specOf(o).selector as LabelSelector, labels),
      );
      expect(budgets.map((o) => o.metadata.name)).toEqual([name]);
      const budget = specOf(budgets[0] as KubeObject);
      expect(budget.maxUnavailable ?? budget.minAvailable).toBeDefined();
      expect(selects(specOf(object).selector as LabelSelector, labels)).toBe(true);
      const services = objects.filter(
        (o) => o.kind === "Service" && selects({ matchLabels: specOf(o).selector as Record<string, string> }, labels),
      );
      expect(services.map((o) => o.metadata.name)).toEqual([name]);
    },
  );

  it("when a pod names a ServiceAccount, then the account exists", () => {
    const accounts = new Set(objects.filter((o) => o.kind === "ServiceAccount").map((o) => o.metadata.name));
    for (const { object, pod } of workloadsOf(objects)) {
      expect(accounts.has(pod.serviceAccountName ?? "default"), object.metadata.name).toBe(true);
    }
  });

  it("when partner-sync is scaled, then KEDA does it on the SQS queue's depth with pod identity, and the Deployment leaves the count to it", () => {
    const scaled = specOf(find(objects, "ScaledObject", "partner-sync"));
    expect(scaled.scaleTargetRef).toEqual({ name: "partner-sync" });
    expect(specOf(find(objects, "Deployment", "partner-sync"))).not.toHaveProperty("replicas");
    expect(scaled.minReplicaCount).toBeGreaterThanOrEqual(1);
    const triggers = scaled.triggers as {
      type: string;
      metadata: Record<string, string>;
      authenticationRef: { name: string };
    }[];
    expect(triggers.map((trigger) => trigger.type)).toEqual(["aws-sqs-queue"]);
    const [trigger] = triggers;
    const config = find(objects, "ConfigMap", "smartrecover-config").data as Record<string, string>;
    expect(trigger?.metadata.queueURL).toBe(config["sqs-queue-name"]);
    expect(trigger?.metadata.awsRegion).toBe(config["aws-region"]);
    expect(Object.keys(trigger?.metadata ?? {}).filter((key) => /key|secret|identityOwner/i.test(key))).toEqual([]);
    const auth = specOf(find(objects, "TriggerAuthentication", trigger?.authenticationRef.name ?? ""));
    expect(auth).toEqual({ podIdentity: { provider: "aws", identityOwner: "keda" } });
  });

  it("when process-debtors is scheduled, then never twice at once, and a run that finds the lease held fails the Job without retries", () => {
    const cron = specOf(find(objects, "CronJob", "process-debtors"));
    expect(cron.concurrencyPolicy).toBe("Forbid");
    const job = (cron.jobTemplate as { spec: Record<string, unknown> }).spec;
    expect(job.podFailurePolicy).toMatchObject({
      rules: expect.arrayContaining([
        { action: "FailJob", onExitCodes: { containerName: "process-debtors", operator: "In", values: [3] } },
      ]),
    });
    const [workload] = workloadsOf([find(objects, "CronJob", "process-debtors")]);
    expect(workload?.pod.restartPolicy).toBe("Never");
  });
});

const databaseSecrets = (container: Container) =>
  (container.env ?? [])
    .filter((variable) => variable.name.endsWith("_DATABASE_URL"))
    .map((variable) => variable.valueFrom?.secretKeyRef?.name);

describe.each(OVERLAYS)("configuration in %s", (overlay) => {
  const objects = rendered(overlay);
  const workloads = workloadsOf(objects);

  it("when a service or job runs, then migrations and queue creation are off, and the APIs listen on all interfaces with OIDC", () => {
    for (const { object, pod } of workloads) {
      for (const container of pod.containers) {
        const env = resolvedEnv(container, objects);
        const isMigration = object.metadata.name === "migrate";
        if (!isMigration && databaseSecrets(container).length > 0) expect(env.get("MIGRATE_ON_START")).toBe("false");
        if (env.has("SQS_QUEUE_NAME")) expect(env.get("SQS_CREATE_QUEUES"), object.metadata.name).toBe("false");
        if (object.kind === "Deployment") {
          expect(env.get("HOST"), object.metadata.name).toBe("0.0.0.0");
          expect(env.get("AUTH_MODE"), object.metadata.name).toBe("oidc");
        }
      }
    }
  });

  it("when a token is checked, then against an https issuer this overlay sets", () => {
    const config = find(objects, "ConfigMap", "smartrecover-config").data as Record<string, string>;
    for (const key of ["auth-issuer", "oidc-issuer"]) expect(new URL(config[key] ?? "").protocol).toBe("https:");
    expect(config["auth-audience"]).not.toBe("");
    expect(config["oidc-client-id"]).not.toBe("");
  });

  it("when a database URL is handed out, then the services get DML users' Secrets and only the migration Job the DDL user's", () => {
    for (const { object, pod } of workloads) {
      const secrets = pod.containers.flatMap(databaseSecrets);
      if (object.metadata.name === "migrate") expect(new Set(secrets)).toEqual(new Set(["migrate-database"]));
      else expect(secrets, object.metadata.name).not.toContain("migrate-database");
    }
  });

  it("when a container references a Secret key, then an ExternalSecret produces exactly that Secret and key", () => {
    const produced = new Set(
      objects
        .filter((object) => object.kind === "ExternalSecret")
        .flatMap((object) => {
          const spec = specOf(object) as {
            target: { name: string; template?: { data?: Record<string, string> } };
            data?: { secretKey: string }[];
          };
          const keys = spec.target.template?.data;
          const names = keys ? Object.keys(keys) : (spec.data ?? []).map((entry) => entry.secretKey);
          return names.map((key) => `${spec.target.name}/${key}`);
        }),
    );
    const referenced = workloads.flatMap(({ pod }) =>
      pod.containers.flatMap((container) =>
        (container.env ?? []).flatMap((variable) => {
          const ref = variable.valueFrom?.secretKeyRef;
          return ref ? [`${ref.name}/${ref.key}`] : [];
        }),
      ),
    );
    expect(referenced.length).toBeGreaterThan(0);
    expect(referenced.filter((ref) => !produced.has(ref))).toEqual([]);
  });

  it("when a database URL is built, then it requires TLS, verifies the server against the CA mounted in every pod that uses it", () => {
    const urls = objects
      .filter((object) => object.kind === "ExternalSecret")
      .flatMap((object) =>
        Object.values((specOf(object).target as { template?: { data?: Record<string, string> } }).template?.data ?? {}),
      );
    expect(urls.length).toBe(6);
    for (const url of urls) {
      const query = new URLSearchParams(url.split("?")[1] ?? "");
      expect(url.startsWith("mysql://")).toBe(true);
      expect(query.get("ssl-verify")).toBe("true");
      const ca = query.get("ssl-ca") ?? "";
      for (const { object, pod } of workloads) {
        if (!pod.containers.some((container) => databaseSecrets(container).length > 0)) continue;
        for (const container of pod.containers) {
          const mount = (container.volumeMounts ?? []).find((m) => ca.startsWith(`${m.mountPath}/`));
          expect(mount?.readOnly, `${object.metadata.name} does not mount ${ca}`).toBe(true);
          const volume = (pod.volumes ?? []).find((v) => v.name === mount?.name);
          expect(volume?.configMap?.name).toBe("mysql-ca");
        }
      }
    }
  });

  it("when the README's rollout applies the unlabelled objects, then the migration, then the rest, then the migration finds all it needs and no workload starts first", () => {
    const component = (object: KubeObject) => object.metadata.labels?.["app.kubernetes.io/component"];
    const first = objects.filter((object) => component(object) === undefined);
    const second = objects.filter((object) => component(object) === "migration");
    const id = (object: KubeObject) => `${object.kind}/${object.metadata.name}`;
    expect(second.map(id)).toEqual(["Job/migrate"]);
    const runsSomething = ["Deployment", "Job", "CronJob", "ScaledObject"];
    expect(first.filter((object) => runsSomething.includes(object.kind)).map(id)).toEqual([]);
    const [migration] = workloadsOf(second);
    const container = migration?.pod.containers[0];
    const needed = [
      `ServiceAccount/${migration?.pod.serviceAccountName}`,
      ...(container?.env ?? []).flatMap((variable) => {
        const config = variable.valueFrom?.configMapKeyRef?.name;
        const secret = variable.valueFrom?.secretKeyRef?.name;
        return [...(config ? [`ConfigMap/${config}`] : []), ...(secret ? [`ExternalSecret/${secret}`] : [])];
      }),
      "SecretStore/aws-secrets-manager",
      "NetworkPolicy/mysql-egress",
      "NetworkPolicy/allow-dns",
    ];
    expect(needed.filter((name) => !first.map(id).includes(name))).toEqual([]);
  });

  it("when a ServiceAccount needs AWS, then it names this environment's IAM role for it", () => {
    const roles = Object.fromEntries(
      objects
        .filter((object) => object.kind === "ServiceAccount")
        .map((object) => [object.metadata.name, object.metadata.annotations?.["eks.amazonaws.com/role-arn"]]),
    );
    expect(roles).toEqual({
      "risk-service": expect.stringMatching(
        new RegExp(`^arn:aws:iam::\\d{12}:role/smartrecover-${overlay}-risk-service$`),
      ),
      "partner-sync": expect.stringMatching(
        new RegExp(`^arn:aws:iam::\\d{12}:role/smartrecover-${overlay}-partner-sync$`),
      ),
      "dlq-redrive": expect.stringMatching(
        new RegExp(`^arn:aws:iam::\\d{12}:role/smartrecover-${overlay}-dlq-redrive$`),
      ),
      "smartrecover-secrets": expect.stringMatching(
        new RegExp(`^arn:aws:iam::\\d{12}:role/smartrecover-${overlay}-secrets-reader$`),
      ),
      console: undefined,
      migrate: undefined,
    });
  });
});
