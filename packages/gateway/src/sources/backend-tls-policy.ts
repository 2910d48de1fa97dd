/** Gateway API BackendTLSPolicy (v1, standard channel since v1.4): TLS from the gateway to a Service's backends. */
import type { ApiCondition, GatewayApiObject, ParentReference } from './gateway-api.js';

export interface BackendTLSPolicySubjectAltName {
  type: 'Hostname' | 'URI';
  /** Set when `type` is `Hostname`. */
  hostname?: string;
  /** Set when `type` is `URI` (e.g. a SPIFFE id). */
  uri?: string;
}

export interface BackendTLSPolicySpec {
  /** Services in the policy's namespace (`group: ""`, `kind: Service`); `sectionName` is a Service port name. */
  targetRefs: { group: string; kind: string; name: string; sectionName?: string }[];
  validation: {
    /** ConfigMaps (`group: ""`, `kind: ConfigMap`) in the policy's namespace with the CA bundle in `ca.crt`. */
    caCertificateRefs?: { group: string; kind: string; name: string }[];
    /** `System`: the platform's trust store. Exactly one of this and `caCertificateRefs`. */
    wellKnownCACertificates?: string;
    /** SNI sent to the backend, and the name its certificate must carry unless `subjectAltNames` is set. */
    hostname: string;
    subjectAltNames?: BackendTLSPolicySubjectAltName[];
  };
  options?: Record<string, string>;
}

export interface PolicyAncestorStatus {
  ancestorRef: ParentReference;
  controllerName: string;
  conditions: ApiCondition[];
}

export type BackendTLSPolicy = GatewayApiObject<
  'BackendTLSPolicy',
  BackendTLSPolicySpec,
  { ancestors?: PolicyAncestorStatus[] }
>;
