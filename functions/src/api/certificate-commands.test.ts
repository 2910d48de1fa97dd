import { type CertificateRecord, newCertificateRecord } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { requestRevocation } from './certificate-commands.js';
import { callerOf, unitApi } from './test-dependencies.js';

const CREATED = '2026-05-01T00:00:00Z';
const FIRST_REQUEST = '2026-05-10T00:00:00Z';

async function withRevocation(status: Partial<CertificateRecord['status']>, revokedSerial: string | undefined) {
  const api = unitApi();
  const base = newCertificateRecord(
    'cert-1',
    {
      names: ['www.example.test'],
      keyType: 'ec-p256',
      issuer: 'letsencrypt',
      challenge: 'dns-01',
      targets: [],
      tenant: 'acme',
    },
    CREATED,
  );
  const record: CertificateRecord = {
    ...base,
    revokeRequest: { at: FIRST_REQUEST, reason: 'keyCompromise', by: 'someone' },
    status: {
      ...base.status,
      revision: 2,
      serial: 'bb',
      ...status,
      ...(revokedSerial === undefined
        ? {}
        : {
            revocation: {
              requestedAt: FIRST_REQUEST,
              revokedAt: FIRST_REQUEST,
              reason: 'keyCompromise',
              serial: revokedSerial,
              revision: 1,
            },
          }),
    },
  };
  await api.certificates.create(record);
  return api;
}

describe('requestRevocation', () => {
  it('takes a new request once the revoked certificate was replaced (a renewed key leaked again)', async () => {
    const api = await withRevocation({}, 'aa');
    const written = await requestRevocation(api.deps, callerOf('acme'), 'cert-1', 'superseded');
    expect(written.revokeRequest).toMatchObject({ reason: 'superseded', at: '2026-06-01T12:00:00Z' });
    expect(api.queue.messages.map((m) => m.certificateId)).toEqual(['cert-1']);
  });

  it('keeps the pending request while it is not carried out: another reason is a conflict', async () => {
    const api = await withRevocation({}, undefined);
    await expect(requestRevocation(api.deps, callerOf('acme'), 'cert-1', 'superseded')).rejects.toMatchObject({
      status: 409,
    });
  });

  it('changes nothing when the current certificate is the revoked one', async () => {
    const api = await withRevocation({ serial: 'aa' }, 'aa');
    const written = await requestRevocation(api.deps, callerOf('acme'), 'cert-1', 'keyCompromise');
    expect(written.revokeRequest?.at).toBe(FIRST_REQUEST);
    expect(written.version).toBe(1);
  });
});
