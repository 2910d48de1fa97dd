/** Records used by the conformance suites: rich enough to catch an adapter that drops or reshapes nested data. */
import { type CertificateRecord, newCertificateRecord } from '@portcullis/core';

export function sampleRecord(id: string, changes: Partial<CertificateRecord> = {}): CertificateRecord {
  const base = newCertificateRecord(
    id,
    {
      names: ['example.test', '*.example.test'],
      keyType: 'ec-p256',
      profile: 'tlsserver',
      issuer: 'letsencrypt',
      challenge: 'dns-01',
      targets: [{ id: 'acm-eu-west-1', type: 'acm', options: { region: 'eu-west-1' } }],
      tenant: 'tenant-a',
    },
    '2026-06-01T00:00:00Z',
  );
  return {
    ...base,
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'Issuing',
          message: 'issuing revision 1',
          lastTransitionAt: '2026-06-01T00:00:00Z',
        },
      ],
      revision: 0,
      deliveries: {},
      issuance: {
        revision: 1,
        attempt: 1,
        phase: 'Propagating',
        reason: 'NotIssued',
        startedAt: '2026-06-01T00:00:00Z',
        specHash: 'abc123',
        orderUrl: 'https://ca.test/order/1',
        authorizations: [
          {
            url: 'https://ca.test/authz/1',
            identifier: 'example.test',
            identifierType: 'dns',
            wildcard: true,
            status: 'pending',
            challengeUrl: 'https://ca.test/chall/1',
            challengeType: 'dns-01',
            token: 'tok',
          },
        ],
        presentation: {
          plannedRecords: [{ fqdn: '_acme-challenge.example.test', value: 'v1' }],
          dns: {
            provider: 'route53',
            zones: [
              { zone: 'example.test', zoneId: 'Z1', records: [{ fqdn: '_acme-challenge.example.test', value: 'v1' }] },
            ],
          },
        },
      },
    },
    ...changes,
  };
}

/** A copy with the Ready condition set to `status`. */
export function withReady(record: CertificateRecord, status: 'True' | 'False'): CertificateRecord {
  return {
    ...record,
    status: {
      ...record.status,
      conditions: [
        { type: 'Ready', status, reason: 'Ready', message: 'ready', lastTransitionAt: '2026-06-01T00:00:00Z' },
      ],
    },
  };
}
