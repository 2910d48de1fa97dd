/**
 * Gateway API BackendTLSPolicy (v1): which Service ports Envoy must reach over TLS, how it checks the backend's
 * certificate, and the client certificate it presents (the Gateway's `spec.tls.backend.clientCertificateRef`).
 * Certificates are never inlined in a Cluster: the CA bundle becomes a `ModelTrustBundle` and the client certificate
 * a `ModelSecret`, both delivered by SDS, so a CA or client-certificate rotation is a Secret-only push.
 *
 * Fail closed: a policy whose CA cannot be used (no valid `caCertificateRefs`, or the unsupported
 * `wellKnownCACertificates`) still claims its Service port, and traffic to it answers 500 — never plaintext to a
 * backend that asked for TLS (the spec requires a 5xx for connections using an invalid CACertificateRef).
 */
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import type { BackendTLSPolicy, Gateway } from '../sources/gateway-api.js';
import { compareStrings } from '../sources/objects.js';
import { compareAge } from './objects.js';
import { resolveTlsSecret, secretName } from './tls-secrets.js';
import type { ModelSecret, ModelTrustBundle, ModelUpstreamTls } from './types.js';

/** Reasons of BackendTLSPolicy conditions (Gateway API v1.4 `PolicyConditionReason`s). */
export const BackendTlsReason = {
  /** The policy applies. */
  Accepted: 'Accepted',
  /** An older policy (then the first by name) already targets the same Service port. */
  Conflicted: 'Conflicted',
  /** The policy cannot be applied as written (here: `wellKnownCACertificates`, or neither/both CA fields). */
  Invalid: 'Invalid',
  /** No `caCertificateRefs` entry could be used: traffic to the target answers 500. */
  NoValidCACertificate: 'NoValidCACertificate',
  /** A target is not a Service in the policy's namespace, or does not exist. */
  TargetNotFound: 'TargetNotFound',
  /** Every reference resolved. */
  ResolvedRefs: 'ResolvedRefs',
  /** A CA ConfigMap is missing, or has no PEM certificate in `ca.crt`. */
  InvalidCACertificateRef: 'InvalidCACertificateRef',
  /** A CA reference is not a core ConfigMap. */
  InvalidKind: 'InvalidKind',
} as const;
export type BackendTlsReason = (typeof BackendTlsReason)[keyof typeof BackendTlsReason];

/** What a Service port gets: TLS settings, or a policy that forbids serving it (fail closed). */
export type BackendTlsDecision =
  | { readonly ok: true; readonly tls: ModelUpstreamTls; readonly trustBundle: ModelTrustBundle }
  | { readonly ok: false; readonly message: string };

export interface PolicyOutcome {
  readonly policy: BackendTLSPolicy;
  readonly accepted: { readonly ok: boolean; readonly reason: BackendTlsReason; readonly message: string };
  readonly resolvedRefs: { readonly ok: boolean; readonly reason: BackendTlsReason; readonly message: string };
}

export interface BackendTlsIndex {
  /** Decision for a Service port (`portName` `''` for an unnamed port); undefined: no policy, cleartext. */
  decide(namespace: string, service: string, portName: string): BackendTlsDecision | undefined;
  /** The client certificate (a ModelSecret for SDS), when a Gateway sets a usable one. */
  readonly clientCertificate?: ModelSecret;
  /** CA bundles of every applied policy (the model keeps those a cluster uses). */
  readonly trustBundles: readonly ModelTrustBundle[];
  /** One per policy, in input order. */
  readonly outcomes: readonly PolicyOutcome[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** SDS name of a policy's CA bundle; two slashes, so it cannot collide with a Secret's `namespace/name`. */
export function trustBundleName(namespace: string, policy: string): string {
  return `backendtlspolicy/${namespace}/${policy}`;
}

export function indexBackendTls(
  policies: readonly BackendTLSPolicy[],
  caConfigMaps: readonly V1ConfigMap[],
  ourGateways: readonly Gateway[],
  secrets: ReadonlyMap<string, V1Secret>,
): BackendTlsIndex {
  const configMaps = new Map(caConfigMaps.map((c) => [`${c.metadata?.namespace}/${c.metadata?.name}`, c]));
  const clientCertificate = resolveClientCertificate(ourGateways, secrets);
  /** `namespace/service#portName` (`#` alone: every port) → decision of the policy that won the target. */
  const decisions = new Map<string, BackendTlsDecision>();
  const outcomes: PolicyOutcome[] = [];
  for (const policy of [...policies].sort(comparePrecedence)) {
    const namespace = policy.metadata.namespace ?? '';
    const targets = policy.spec?.targetRefs ?? [];
    const bad = targets.find((t) => (t.group ?? '') !== '' || t.kind !== 'Service');
    const refs = resolveCaRefs(policy, configMaps);
    const decision = decide(policy, refs, clientCertificate);
    const keys = targets.map((t) => `${namespace}/${t.name}#${t.sectionName ?? ''}`);
    const taken = keys.filter((k) => decisions.has(k));
    let accepted: PolicyOutcome['accepted'];
    if (bad !== undefined) {
      accepted = no(BackendTlsReason.TargetNotFound, `target ${bad.group}/${bad.kind} ${bad.name} is not a Service`);
    } else if (taken.length > 0) {
      accepted = no(BackendTlsReason.Conflicted, `an older policy already targets ${taken.join(', ')}`);
    } else {
      // Even a policy that cannot be applied claims its targets: fail closed rather than fall back to cleartext.
      for (const key of keys) decisions.set(key, decision.decision);
      accepted = decision.accepted;
    }
    outcomes.push({ policy, accepted, resolvedRefs: refs.resolved });
  }
  return {
    decide: (namespace, service, portName) =>
      decisions.get(`${namespace}/${service}#${portName}`) ?? decisions.get(`${namespace}/${service}#`),
    ...(clientCertificate === undefined ? {} : { clientCertificate }),
    trustBundles: [...decisions.values()].flatMap((d) => (d.ok ? [d.trustBundle] : [])),
    outcomes: policies.map((p) => outcomes.find((o) => o.policy === p) as PolicyOutcome),
  };
}

interface CaRefs {
  readonly pems: readonly string[];
  readonly resolved: PolicyOutcome['resolvedRefs'];
  readonly anyValid: boolean;
}

function resolveCaRefs(policy: BackendTLSPolicy, configMaps: ReadonlyMap<string, V1ConfigMap>): CaRefs {
  const namespace = policy.metadata.namespace ?? '';
  const pems: string[] = [];
  const problems: { reason: BackendTlsReason; message: string }[] = [];
  for (const ref of policy.spec?.validation?.caCertificateRefs ?? []) {
    if ((ref.group ?? '') !== '' || ref.kind !== 'ConfigMap') {
      problems.push({ reason: BackendTlsReason.InvalidKind, message: `${ref.group}/${ref.kind} is not supported` });
      continue;
    }
    const caCrt = configMaps.get(`${namespace}/${ref.name}`)?.data?.['ca.crt'];
    const blocks = caCrt?.match(PEM_CERTIFICATE) ?? [];
    if (caCrt === undefined) {
      const message = `ConfigMap ${namespace}/${ref.name} not found or has no ca.crt`;
      problems.push({ reason: BackendTlsReason.InvalidCACertificateRef, message });
    } else if (blocks.length === 0) {
      const message = `ConfigMap ${namespace}/${ref.name}: ca.crt holds no PEM certificate`;
      problems.push({ reason: BackendTlsReason.InvalidCACertificateRef, message });
    } else pems.push(...blocks);
  }
  const [first] = problems;
  const resolved =
    first === undefined
      ? yes(BackendTlsReason.ResolvedRefs, 'every CA certificate reference resolved')
      : no(first.reason, problems.map((p) => p.message).join('; '));
  return { pems, resolved, anyValid: pems.length > 0 };
}

function decide(
  policy: BackendTLSPolicy,
  refs: CaRefs,
  clientCertificate: ModelSecret | undefined,
): { decision: BackendTlsDecision; accepted: PolicyOutcome['accepted'] } {
  const namespace = policy.metadata.namespace ?? '';
  const name = `BackendTLSPolicy ${namespace}/${policy.metadata.name}`;
  const validation = policy.spec?.validation;
  const hasRefs = (validation?.caCertificateRefs ?? []).length > 0;
  const wellKnown = validation?.wellKnownCACertificates ?? '';
  const closed = (reason: BackendTlsReason, message: string) => ({
    decision: { ok: false as const, message: `${name}: ${message}` },
    accepted: no(reason, message),
  });
  if (hasRefs === (wellKnown !== '')) {
    return closed(BackendTlsReason.Invalid, 'exactly one of caCertificateRefs and wellKnownCACertificates is required');
  }
  if (wellKnown !== '') {
    // Envoy's system trust store differs per image; a bundle named explicitly is the only reproducible choice.
    return closed(
      BackendTlsReason.Invalid,
      `wellKnownCACertificates ${wellKnown} is not supported; use caCertificateRefs`,
    );
  }
  if (!refs.anyValid) return closed(BackendTlsReason.NoValidCACertificate, 'no caCertificateRefs entry is usable');
  const hostname = validation?.hostname ?? '';
  // Without subjectAltNames the spec authenticates the backend by the hostname itself.
  const subjectAltNames: ModelUpstreamTls['subjectAltNames'][number][] = [];
  for (const san of validation?.subjectAltNames ?? []) {
    if (san.type === 'URI' && san.uri) subjectAltNames.push({ type: 'URI', value: san.uri });
    if (san.type === 'Hostname' && san.hostname) subjectAltNames.push({ type: 'DNS', value: san.hostname });
  }
  if (hostname === '') return closed(BackendTlsReason.Invalid, 'validation.hostname is required');
  const trustBundle = {
    name: trustBundleName(namespace, policy.metadata.name ?? ''),
    trustedCa: `${refs.pems.join('\n')}\n`,
  };
  const tls: ModelUpstreamTls = {
    serverName: hostname,
    trustBundleSecret: trustBundle.name,
    subjectAltNames: (subjectAltNames.length > 0 ? subjectAltNames : [{ type: 'DNS' as const, value: hostname }]).sort(
      (a, b) => compareStrings(a.type, b.type) || compareStrings(a.value, b.value),
    ),
    ...(clientCertificate === undefined ? {} : { clientCertificateSecret: clientCertificate.name }),
  };
  return { decision: { ok: true, tls, trustBundle }, accepted: yes(BackendTlsReason.Accepted, 'policy applied') };
}

/**
 * The client certificate Envoy presents to TLS backends. All our Gateways share one Envoy fleet and a Service port
 * becomes one cluster whichever Gateway's route reaches it, so there is one client certificate: the oldest Gateway's
 * (the same first-come precedence as listeners). Snapshot `secrets` only holds Secrets the Gateway may reference.
 */
function resolveClientCertificate(
  gateways: readonly Gateway[],
  secrets: ReadonlyMap<string, V1Secret>,
): ModelSecret | undefined {
  for (const gateway of [...gateways].sort(compareAge)) {
    const ref = gateway.spec?.tls?.backend?.clientCertificateRef;
    if (ref === undefined || (ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret') continue;
    const secret = secrets.get(secretName(ref.namespace ?? gateway.metadata.namespace ?? '', ref.name));
    const result = secret === undefined ? undefined : resolveTlsSecret(secret);
    if (result?.ok) return result.secret;
  }
  return undefined;
}

/** Spec precedence: older first, then by name. */
function comparePrecedence(a: BackendTLSPolicy, b: BackendTLSPolicy): number {
  return compareAge(a, b) || compareStrings(a.metadata.name ?? '', b.metadata.name ?? '');
}

function yes(reason: BackendTlsReason, message: string) {
  return { ok: true, reason, message };
}

function no(reason: BackendTlsReason, message: string) {
  return { ok: false, reason, message };
}
