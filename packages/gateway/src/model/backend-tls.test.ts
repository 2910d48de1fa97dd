import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { BackendTLSPolicy } from '../sources/gateway-api.js';
import { BackendTlsReason, indexBackendTls } from './backend-tls.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const caMap = (name: string, caCrt = CA): V1ConfigMap => ({
  metadata: { namespace: 'apps', name },
  data: { 'ca.crt': caCrt },
});

type Validation = BackendTLSPolicy['spec']['validation'];
function policy(name: string, validation: Partial<Validation>, extra: { sectionName?: string; created?: string } = {}) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: {
      namespace: 'apps',
      name,
      ...(extra.created === undefined ? {} : { creationTimestamp: new Date(extra.created) }),
    },
    spec: {
      targetRefs: [
        { group: '', kind: 'Service', name: 'web', ...(extra.sectionName ? { sectionName: extra.sectionName } : {}) },
      ],
      validation: {
        hostname: 'web.apps.svc',
        caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }],
        ...validation,
      },
    },
  } as BackendTLSPolicy;
}

const index = (policies: BackendTLSPolicy[], maps: V1ConfigMap[] = [caMap('ca')]) =>
  indexBackendTls(policies, maps, [], new Map<string, V1Secret>());

describe('indexBackendTls', () => {
  const cases: Record<
    string,
    { policy: BackendTLSPolicy; maps?: V1ConfigMap[]; accepted: string; resolved: string; ok: boolean }
  > = {
    'applies a policy with a CA ConfigMap': {
      policy: policy('p', {}),
      accepted: BackendTlsReason.Accepted,
      resolved: BackendTlsReason.ResolvedRefs,
      ok: true,
    },
    'fails closed when the CA ConfigMap is missing': {
      policy: policy('p', {}),
      maps: [],
      accepted: BackendTlsReason.NoValidCACertificate,
      resolved: BackendTlsReason.InvalidCACertificateRef,
      ok: false,
    },
    'fails closed when ca.crt holds no certificate': {
      policy: policy('p', {}),
      maps: [caMap('ca', 'not a pem')],
      accepted: BackendTlsReason.NoValidCACertificate,
      resolved: BackendTlsReason.InvalidCACertificateRef,
      ok: false,
    },
    'reports a CA reference of another kind as InvalidKind': {
      policy: policy('p', { caCertificateRefs: [{ group: '', kind: 'Secret', name: 'ca' }] }),
      accepted: BackendTlsReason.NoValidCACertificate,
      resolved: BackendTlsReason.InvalidKind,
      ok: false,
    },
    'refuses wellKnownCACertificates as Invalid and fails closed': {
      policy: policy('p', { caCertificateRefs: [], wellKnownCACertificates: 'System' }),
      accepted: BackendTlsReason.Invalid,
      resolved: BackendTlsReason.ResolvedRefs,
      ok: false,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { policy: p, maps, accepted, resolved, ok }) => {
    const result = index([p], maps);
    expect(result.outcomes[0]?.accepted.reason).toBe(accepted);
    expect(result.outcomes[0]?.resolvedRefs.reason).toBe(resolved);
    expect(result.decide('apps', 'web', 'https')?.ok).toBe(ok);
  });

  it('authenticates by the hostname when no subjectAltNames are given, and by them when they are', () => {
    const byHostname = index([policy('p', {})]).decide('apps', 'web', '');
    const bySan = index([
      policy('p', { subjectAltNames: [{ type: 'URI', uri: 'spiffe://cluster.local/ns/apps/sa/web' }] }),
    ]).decide('apps', 'web', '');
    expect(byHostname?.ok && byHostname.tls.subjectAltNames).toEqual([{ type: 'DNS', value: 'web.apps.svc' }]);
    expect(bySan?.ok && bySan.tls.subjectAltNames).toEqual([
      { type: 'URI', value: 'spiffe://cluster.local/ns/apps/sa/web' },
    ]);
    expect(byHostname?.ok && byHostname.tls.serverName).toBe('web.apps.svc');
  });

  it('gives a contested target to the older policy and marks the newer Conflicted', () => {
    const result = index([
      policy('newer', { hostname: 'b' }, { created: '2026-01-02T00:00:00Z' }),
      policy('older', { hostname: 'a' }, { created: '2026-01-01T00:00:00Z' }),
    ]);
    expect(result.outcomes.map((o) => [o.policy.metadata.name, o.accepted.reason])).toEqual([
      ['newer', BackendTlsReason.Conflicted],
      ['older', BackendTlsReason.Accepted],
    ]);
    const decision = result.decide('apps', 'web', '');
    expect(decision?.ok && decision.tls.serverName).toBe('a');
  });

  it('applies a sectionName policy to that port only, and leaves other Services in cleartext', () => {
    const result = index([policy('p', {}, { sectionName: 'https' })]);
    expect(result.decide('apps', 'web', 'https')?.ok).toBe(true);
    expect(result.decide('apps', 'web', 'http')).toBeUndefined();
    expect(result.decide('apps', 'other', 'https')).toBeUndefined();
  });
});
