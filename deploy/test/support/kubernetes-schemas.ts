import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { SecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { KubeObject } from "./kustomize-renderer";

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: never): { validate(): void };
}

/** Every kind the manifests may use, with the API or CRD schema it is checked against. */
const MODELS: ModelClass[] = [
  ConfigMap,
  CronJob,
  Deployment,
  ExternalSecret,
  Job,
  Namespace,
  NetworkPolicy,
  PodDisruptionBudget,
  PrometheusRule,
  ScaledObject,
  SecretStore,
  Service,
  ServiceAccount,
  ServiceMonitor,
  TriggerAuthentication,
];

const byType = new Map(MODELS.map((model) => [`${model.apiVersion}/${model.kind}`, model]));

/** The schema's complaints about an object; empty when it validates. An unknown kind is a complaint too. */
export function schemaErrors(object: KubeObject): string[] {
  const model = byType.get(`${object.apiVersion}/${object.kind}`);
  if (!model) return [`no schema known for ${object.apiVersion} ${object.kind}`];
  // The YAML is untyped input: the model takes it as is and validate() is what checks its shape.
  const instance = new model(object as never);
  try {
    instance.validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}
