import type { KubeObject } from "./kustomize-renderer";

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}

export interface Probe {
  httpGet?: { path?: string; port?: string | number };
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: unknown[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: unknown; configMap?: { name: string } }[];
  restartPolicy?: string;
}

export interface Workload {
  object: KubeObject;
  pod: PodSpec;
  /** Pod labels, from the pod template. */
  labels: Record<string, string>;
}

interface Template {
  metadata?: { labels?: Record<string, string> };
  spec: PodSpec;
}

/** Deployments, Jobs and CronJobs with their pod template; other kinds have none. */
export function workloadsOf(objects: KubeObject[]): Workload[] {
  return objects.flatMap((object) => {
    const spec = object.spec as Record<string, unknown> | undefined;
    let template: Template | undefined;
    if (object.kind === "Deployment" || object.kind === "Job") template = spec?.template as Template;
    if (object.kind === "CronJob") {
      template = (spec?.jobTemplate as { spec: { template: Template } } | undefined)?.spec.template;
    }
    return template ? [{ object, pod: template.spec, labels: template.metadata?.labels ?? {} }] : [];
  });
}

export const allContainers = (pod: PodSpec) => [...(pod.initContainers ?? []), ...pod.containers];

export function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found;
}

/**
 * A container's environment as the kubelet would build it: literal values, and ConfigMap keys
 * resolved against the rendered ConfigMaps. Secret references stay references.
 */
export function resolvedEnv(container: Container, objects: KubeObject[]): Map<string, string | { secret: string }> {
  const env = new Map<string, string | { secret: string }>();
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.configMapKeyRef;
    const secret = variable.valueFrom?.secretKeyRef;
    if (ref) {
      const data = find(objects, "ConfigMap", ref.name).data as Record<string, string> | undefined;
      const value = data?.[ref.key];
      if (value === undefined) throw new Error(`${container.name}: ConfigMap ${ref.name} has no key ${ref.key}`);
      env.set(variable.name, value);
    } else if (secret) env.set(variable.name, { secret: `${secret.name}/${secret.key}` });
    else env.set(variable.name, variable.value ?? "");
  }
  return env;
}
