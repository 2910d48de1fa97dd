import {
  type CertificateRecord,
  type CertificateSpec,
  ConflictError,
  newCertificateRecord,
  specHash,
} from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { requestDeletion } from './certificate-commands.js';
import { patchSpec, refuseImmutableFields, updateCertificate } from './certificate-update.js';
import { ApiError } from './errors.js';
import type { UpdateCertificateBody } from './schemas.js';
import { callerOf, unitApi } from './test-dependencies.js';

const spec: CertificateSpec = {
  names: ['www.example.test'],
  keyType: 'ec-p256',
  issuer: 'letsencrypt',
  challenge: 'dns-01',
  targets: [{ id: 'acm-eu', type: 'acm', options: { region: 'eu-west-1' } }],
  tenant: 'acme',
  profile: 'tlsserver',
  renewal: { renewBeforeSeconds: 86_400 * 10 },
  endpoints: [{ host: 'lb.example.test', port: 443 }],
  preferredChain: 'ISRG Root X1',
};

describe('patchSpec', () => {
  const cases: Record<string, { patch: UpdateCertificateBody; want: Partial<CertificateSpec>; gone?: string[] }> = {
    'keeps every field an empty patch leaves out': { patch: {}, want: spec },
    'switches the issuer': { patch: { issuer: 'zerossl' }, want: { issuer: 'zerossl', profile: 'tlsserver' } },
    'clears the profile with null': { patch: { profile: null }, want: { issuer: 'letsencrypt' }, gone: ['profile'] },
    'clears endpoints with null': { patch: { endpoints: null }, want: { names: spec.names }, gone: ['endpoints'] },
    'clears endpoints with an empty list': { patch: { endpoints: [] }, want: {}, gone: ['endpoints'] },
    'clears the renewal policy and the preferred chain': {
      patch: { renewal: null, preferredChain: null },
      want: { keyType: 'ec-p256' },
      gone: ['renewal', 'preferredChain'],
    },
    'replaces endpoints, lower-casing host and server name': {
      patch: { endpoints: [{ host: 'LB2.Example.test', port: 8443, serverName: 'WWW.example.test' }] },
      want: { endpoints: [{ host: 'lb2.example.test', port: 8443, serverName: 'www.example.test' }] },
    },
    'replaces targets, filling absent options': {
      patch: { targets: [{ id: 'sm', type: 'secrets-manager' }] },
      want: { targets: [{ id: 'sm', type: 'secrets-manager', options: {} }] },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { patch, want, gone }) => {
    const patched = patchSpec(spec, patch);
    expect(patched).toMatchObject(want);
    for (const field of gone ?? []) expect(patched).not.toHaveProperty(field);
    expect({ names: patched.names, tenant: patched.tenant, challenge: patched.challenge }).toEqual({
      names: spec.names,
      tenant: spec.tenant,
      challenge: spec.challenge,
    });
  });
});

describe('refuseImmutableFields', () => {
  const cases: Record<string, { body: unknown; fields: string[] }> = {
    'refuses names, pointing at a new certificate': { body: { names: ['a.example.test'] }, fields: ['names'] },
    'refuses names and tenant together': { body: { tenant: 'globex', names: [] }, fields: ['tenant', 'names'] },
    'refuses the challenge type': { body: { challenge: 'http-01' }, fields: ['challenge'] },
    'lets every changeable field pass': { body: { issuer: 'zerossl', endpoints: null }, fields: [] },
    'leaves a body that is not an object to the schema': { body: ['names'], fields: [] },
  };
  it.each(Object.entries(cases))('%s', (_name, { body, fields }) => {
    let error: unknown;
    try {
      refuseImmutableFields(body);
    } catch (caught) {
      error = caught;
    }
    if (fields.length === 0) {
      expect(error).toBeUndefined();
      return;
    }
    expect(error).toBeInstanceOf(ApiError);
    const problems = (error as ApiError).problems;
    expect(problems.map((p) => [p.field, p.rule])).toEqual(fields.map((field) => [field, 'immutable']));
    const names = problems.find((problem) => problem.field === 'names');
    if (names !== undefined) expect(names.message).toMatch(/new certificate/);
  });
});

async function seeded(nextWakeAt: string | undefined) {
  const api = unitApi();
  const base = newCertificateRecord('cert-1', spec, '2026-05-01T00:00:00Z');
  const { nextWakeAt: _created, ...withoutWake } = base;
  const record: CertificateRecord = {
    ...withoutWake,
    ...(nextWakeAt === undefined ? {} : { nextWakeAt }),
    status: { ...base.status, revision: 1, specHash: specHash(spec) },
  };
  await api.certificates.create(record);
  return api;
}

describe('updateCertificate', () => {
  const now = '2026-06-01T12:00:00Z';
  const cases: Record<
    string,
    { patch: UpdateCertificateBody; wakeBefore?: string; wantWake: string | undefined; enqueued: boolean }
  > = {
    'wakes and enqueues a certificate whose issuer changes (a new shape: reissue)': {
      patch: { issuer: 'zerossl' },
      wakeBefore: '2026-07-01T00:00:00Z',
      wantWake: now,
      enqueued: true,
    },
    'wakes a certificate that had nothing scheduled when its targets change': {
      patch: { targets: [] },
      wantWake: now,
      enqueued: true,
    },
    'keeps an earlier wake time (work already due)': {
      patch: { keyType: 'rsa-2048' },
      wakeBefore: '2026-05-31T00:00:00Z',
      wantWake: '2026-05-31T00:00:00Z',
      enqueued: true,
    },
    'writes an endpoints-only change without waking anything (only the monitor reads them)': {
      patch: { endpoints: [{ host: '192.0.2.7', port: 443 }] },
      wakeBefore: '2026-07-01T00:00:00Z',
      wantWake: '2026-07-01T00:00:00Z',
      enqueued: false,
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { patch, wakeBefore, wantWake, enqueued }) => {
    const api = await seeded(wakeBefore);
    const written = await updateCertificate(api.deps, callerOf('acme'), 'cert-1', patch);
    expect(written.version).toBe(2);
    expect(written.nextWakeAt).toBe(wantWake);
    expect(api.queue.messages).toEqual(enqueued ? [{ certificateId: 'cert-1', delaySeconds: 0 }] : []);
    expect((await api.certificates.get('cert-1'))?.spec).toEqual(patchSpec(spec, patch));
  });

  it('writes nothing for a patch that changes nothing', async () => {
    const api = await seeded('2026-07-01T00:00:00Z');
    const answer = await updateCertificate(api.deps, callerOf('acme'), 'cert-1', { issuer: 'letsencrypt' });
    expect(answer.version).toBe(1);
    expect(api.queue.messages).toEqual([]);
  });

  const refusals: Record<string, { tenant: string; patch: UpdateCertificateBody; status: number; field: string }> = {
    'refuses an issuer that is not configured, listing the configured ones': {
      tenant: 'acme',
      patch: { issuer: 'buypass' },
      status: 400,
      field: 'issuer',
    },
    'answers 404 for another tenant’s certificate': {
      tenant: 'globex',
      patch: { issuer: 'zerossl' },
      status: 404,
      field: 'path.id',
    },
    'refuses a spec that core refuses (duplicate endpoints)': {
      tenant: 'acme',
      patch: {
        endpoints: [
          { host: 'lb.example.test', port: 443 },
          { host: 'LB.example.test', port: 443 },
        ],
      },
      status: 400,
      field: 'endpoints[1]',
    },
  };
  it.each(Object.entries(refusals))('%s', async (_name, { tenant, patch, status, field }) => {
    const api = await seeded(undefined);
    const error = await updateCertificate(api.deps, callerOf(tenant), 'cert-1', patch).catch((caught) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(status);
    expect((error as ApiError).problems[0]?.field).toBe(field);
    if (field === 'issuer') expect((error as ApiError).message).toMatch(/letsencrypt, zerossl/);
    expect((await api.certificates.get('cert-1'))?.version).toBe(1);
  });

  it('refuses a change while the certificate is being deleted (409)', async () => {
    const api = await seeded(undefined);
    await requestDeletion(api.deps, callerOf('acme'), 'cert-1', false, undefined);
    const error = await updateCertificate(api.deps, callerOf('acme'), 'cert-1', { issuer: 'zerossl' }).catch(
      (caught) => caught,
    );
    expect(error).toMatchObject({ status: 409, problems: [expect.objectContaining({ rule: 'not-deleting' })] });
  });

  it('re-reads and re-applies the patch when reconcile wrote in between', async () => {
    const api = await seeded(undefined);
    // A racing writer (mock of reconcile's conditional write): the first update loses, as a real race would.
    const repository = api.deps.certificates;
    let raced = false;
    const racing = {
      ...api.deps,
      certificates: {
        get: (id: string) => repository.get(id),
        create: (record: CertificateRecord) => repository.create(record),
        list: repository.list.bind(repository),
        listDue: repository.listDue.bind(repository),
        delete: repository.delete.bind(repository),
        update: async (record: CertificateRecord) => {
          if (!raced) {
            raced = true;
            const current = await repository.get(record.id);
            if (current !== undefined) {
              await repository.update({ ...current, status: { ...current.status, revision: 2 } });
            }
            throw new ConflictError('memory: lost the race');
          }
          return repository.update(record);
        },
      },
    };
    const written = await updateCertificate(racing, callerOf('acme'), 'cert-1', { issuer: 'zerossl' });
    expect({ version: written.version, revision: written.status.revision, issuer: written.spec.issuer }).toEqual({
      version: 3,
      revision: 2,
      issuer: 'zerossl',
    });
  });
});
