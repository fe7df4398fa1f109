import type { KubeObject } from "./kustomize-renderer";
import { type LabelSelector, selects } from "./selectors";

/** Where traffic comes from or goes to: a pod (in some namespace) or an address outside the cluster. */
export type Endpoint =
  | { pod: Record<string, string>; namespace: string; namespaceLabels?: Record<string, string> }
  | { ip: string };

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { protocol?: string; port?: number | string }[];
}

interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes: ("Ingress" | "Egress")[];
  ingress?: Rule[];
  egress?: Rule[];
}

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base = "", bits = "32"] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base) / size) * size;
  const value = ipToNumber(ip);
  return value >= start && value < start + size;
}

function peerMatches(peer: Peer, endpoint: Endpoint, policyNamespace: string): boolean {
  if ("ip" in endpoint) {
    if (!peer.ipBlock) return false;
    return inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(endpoint.ip, c));
  }
  if (peer.ipBlock) return false;
  const namespaceLabels = { "kubernetes.io/metadata.name": endpoint.namespace, ...endpoint.namespaceLabels };
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels) || Object.keys(peer.namespaceSelector).length === 0
    : endpoint.namespace === policyNamespace;
  const podOk = peer.podSelector ? selectsOrAll(peer.podSelector, endpoint.pod) : true;
  return namespaceOk && podOk;
}

const selectsOrAll = (selector: LabelSelector, labels: Record<string, string>) =>
  (!selector.matchLabels && !selector.matchExpressions) || selects(selector, labels);

function ruleAllows(
  rule: Rule,
  peer: Endpoint,
  port: number,
  protocol: string,
  namespace: string,
  side: "from" | "to",
) {
  const peers = rule[side];
  const peerOk = peers === undefined || peers.some((p) => peerMatches(p, peer, namespace));
  const portOk =
    rule.ports === undefined || rule.ports.some((p) => (p.protocol ?? "TCP") === protocol && (p.port ?? port) === port);
  return peerOk && portOk;
}

/**
 * Whether the policies let this connection through, with Kubernetes' semantics: a pod selected
 * by any policy of a direction accepts only what one of those policies' rules allows.
 */
export function allows(
  policies: KubeObject[],
  namespace: string,
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol = "TCP",
): boolean {
  const specs = policies.filter((p) => p.kind === "NetworkPolicy").map((p) => p.spec as PolicySpec);
  const side = (endpoint: Endpoint, type: "Ingress" | "Egress", peer: Endpoint) => {
    if ("ip" in endpoint || endpoint.namespace !== namespace) return true;
    const selecting = specs.filter(
      (spec) => spec.policyTypes.includes(type) && selectsOrAll(spec.podSelector, endpoint.pod),
    );
    if (selecting.length === 0) return true;
    const rulesOf = (spec: PolicySpec) => (type === "Ingress" ? spec.ingress : spec.egress) ?? [];
    return selecting.some((spec) =>
      rulesOf(spec).some((rule) =>
        ruleAllows(rule, peer, port, protocol, namespace, type === "Ingress" ? "from" : "to"),
      ),
    );
  };
  return side(from, "Egress", to) && side(to, "Ingress", from);
}
