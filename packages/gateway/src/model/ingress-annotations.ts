/**
 * Parses the `portcullis.dev/*` annotations of an Ingress into settings. A bad value never breaks the Ingress: it
 * is reported (Ingress has no status conditions, so as a diagnostic) and the default applies.
 */
import { BackendProtocol, IngressAnnotation, LoadBalancerPolicy } from '../sources/annotations.js';
import type { ClusterProtocol, ModelHashPolicy } from './types.js';

export interface ServiceRef {
  readonly name: string;
  /** Port number or name; undefined = the port of the path's own backend. */
  readonly port: number | string | undefined;
}

export interface IngressSettings {
  readonly regexPaths: boolean;
  readonly lbPolicy: LoadBalancerPolicy;
  readonly hashPolicies: readonly ModelHashPolicy[];
  readonly canary: { readonly service: ServiceRef; readonly weight: number } | undefined;
  readonly mirror: ServiceRef | undefined;
  readonly websocket: boolean;
  readonly forceSslRedirect: boolean;
  readonly protocol: ClusterProtocol;
}

const LB_POLICIES = new Set<string>(Object.values(LoadBalancerPolicy));
const PROTOCOLS = new Set<string>(Object.values(BackendProtocol));
const SERVICE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export function parseIngressAnnotations(annotations: Record<string, string> | undefined): {
  settings: IngressSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const get = (key: string) => annotations?.[key]?.trim();
  const flag = (key: string): boolean => {
    const value = get(key);
    if (value === undefined) return false;
    if (value === 'true' || value === 'false') return value === 'true';
    problems.push(`annotation ${key}: "${value}" is not true or false`);
    return false;
  };

  let lbPolicy: LoadBalancerPolicy = LoadBalancerPolicy.RoundRobin;
  const lbValue = get(IngressAnnotation.LoadBalancer);
  if (lbValue !== undefined) {
    if (LB_POLICIES.has(lbValue)) lbPolicy = lbValue as LoadBalancerPolicy;
    else
      problems.push(
        `annotation ${IngressAnnotation.LoadBalancer}: "${lbValue}" is not one of ${[...LB_POLICIES].join(', ')}`,
      );
  }

  const hashPolicies: ModelHashPolicy[] = [];
  const hashValue = get(IngressAnnotation.HashOn);
  if (hashValue !== undefined) {
    const policy = parseHashOn(hashValue);
    if (policy === undefined) {
      problems.push(
        `annotation ${IngressAnnotation.HashOn}: "${hashValue}" is not header:<name>, cookie:<name> or source-ip`,
      );
    } else if (lbPolicy !== LoadBalancerPolicy.RingHash && lbPolicy !== LoadBalancerPolicy.Maglev) {
      problems.push(
        `annotation ${IngressAnnotation.HashOn} is ignored: load-balancer is ${lbPolicy}, not ring-hash or maglev`,
      );
    } else {
      hashPolicies.push(policy);
    }
  }

  let protocol: ClusterProtocol = 'http1';
  const protocolValue = get(IngressAnnotation.BackendProtocol);
  if (protocolValue !== undefined) {
    if (PROTOCOLS.has(protocolValue)) protocol = protocolValue === BackendProtocol.Http ? 'http1' : 'http2';
    else
      problems.push(
        `annotation ${IngressAnnotation.BackendProtocol}: "${protocolValue}" is not one of ${[...PROTOCOLS].join(', ')}`,
      );
  }

  let canary: IngressSettings['canary'];
  const canaryService = get(IngressAnnotation.CanaryService);
  const canaryWeight = get(IngressAnnotation.CanaryWeight);
  if (canaryService !== undefined || canaryWeight !== undefined) {
    const service = canaryService === undefined ? undefined : parseServiceRef(canaryService);
    const weight = canaryWeight !== undefined && /^\d{1,3}$/.test(canaryWeight) ? Number(canaryWeight) : undefined;
    if (canaryService === undefined)
      problems.push(`annotation ${IngressAnnotation.CanaryWeight} needs ${IngressAnnotation.CanaryService}`);
    else if (service === undefined)
      problems.push(
        `annotation ${IngressAnnotation.CanaryService}: "${canaryService}" is not <service> or <service>:<port>`,
      );
    if (canaryWeight === undefined)
      problems.push(`annotation ${IngressAnnotation.CanaryService} needs ${IngressAnnotation.CanaryWeight}`);
    else if (weight === undefined || weight > 100)
      problems.push(`annotation ${IngressAnnotation.CanaryWeight}: "${canaryWeight}" is not an integer from 0 to 100`);
    if (service !== undefined && weight !== undefined && weight <= 100) canary = { service, weight };
  }

  let mirror: ServiceRef | undefined;
  const mirrorValue = get(IngressAnnotation.MirrorService);
  if (mirrorValue !== undefined) {
    mirror = parseServiceRef(mirrorValue);
    if (mirror === undefined)
      problems.push(
        `annotation ${IngressAnnotation.MirrorService}: "${mirrorValue}" is not <service> or <service>:<port>`,
      );
  }

  return {
    settings: {
      regexPaths: flag(IngressAnnotation.RegexPaths),
      lbPolicy,
      hashPolicies,
      canary,
      mirror,
      websocket: flag(IngressAnnotation.WebSocket),
      forceSslRedirect: flag(IngressAnnotation.ForceSslRedirect),
      protocol,
    },
    problems,
  };
}

function parseHashOn(value: string): ModelHashPolicy | undefined {
  if (value === 'source-ip') return { type: 'SourceIp' };
  const [kind, name] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
  if (!value.includes(':') || !HEADER_NAME.test(name)) return undefined;
  if (kind === 'header') return { type: 'Header', name: name.toLowerCase() };
  if (kind === 'cookie') return { type: 'Cookie', name };
  return undefined;
}

/** `name` or `name:port` (port a number or a port name). */
function parseServiceRef(value: string): ServiceRef | undefined {
  const [name = '', port, extra] = value.split(':');
  if (extra !== undefined || !SERVICE_NAME.test(name)) return undefined;
  if (port === undefined) return { name, port: undefined };
  if (/^\d{1,5}$/.test(port)) return { name, port: Number(port) };
  return SERVICE_NAME.test(port) ? { name, port } : undefined;
}
