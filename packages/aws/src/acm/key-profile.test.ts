import { describe, expect, it } from 'vitest';
import { AcmKeyAlgorithm, type KeyProfile, readKeyProfile } from './key-profile.js';
import { makeTestCertificate, type TestCertificateOptions } from './test-certificates.js';

describe('readKeyProfile', () => {
  const cases: Record<string, { options: TestCertificateOptions; want: KeyProfile }> = {
    'reads an RSA 2048 classic-profile leaf with keyEncipherment and both EKUs': {
      options: {
        key: 'rsa-2048',
        keyUsages: ['digitalSignature', 'keyEncipherment'],
        extendedKeyUsages: ['serverAuth', 'clientAuth'],
      },
      want: {
        algorithm: 'rsa',
        size: 2048,
        acmKeyAlgorithm: AcmKeyAlgorithm.Rsa2048,
        keyUsages: ['digitalSignature', 'keyEncipherment'],
        extendedKeyUsages: ['serverAuth', 'clientAuth'],
      },
    },
    'reads an RSA 3072 tlsserver-profile leaf without keyEncipherment': {
      options: { key: 'rsa-3072', keyUsages: ['digitalSignature'], extendedKeyUsages: ['serverAuth'] },
      want: {
        algorithm: 'rsa',
        size: 3072,
        acmKeyAlgorithm: AcmKeyAlgorithm.Rsa3072,
        keyUsages: ['digitalSignature'],
        extendedKeyUsages: ['serverAuth'],
      },
    },
    'reads a P-256 leaf': {
      options: { key: 'ec-p256', keyUsages: ['digitalSignature'], extendedKeyUsages: ['serverAuth'] },
      want: {
        algorithm: 'ec',
        size: 256,
        acmKeyAlgorithm: AcmKeyAlgorithm.EcP256,
        keyUsages: ['digitalSignature'],
        extendedKeyUsages: ['serverAuth'],
      },
    },
    'reads a P-384 leaf without usage extensions as having none': {
      options: { key: 'ec-p384' },
      want: {
        algorithm: 'ec',
        size: 384,
        acmKeyAlgorithm: AcmKeyAlgorithm.EcP384,
        keyUsages: [],
        extendedKeyUsages: [],
      },
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { options, want }) => {
    const { certificatePem } = await makeTestCertificate(options);
    expect(readKeyProfile(certificatePem)).toEqual(want);
  });
});
