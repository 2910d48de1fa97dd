import { describe, expect, it } from 'vitest';
import { AcmKeyAlgorithm, type KeyProfile } from './key-profile.js';
import { checkReimport, ReimportRefusal } from './reimport-policy.js';

/** Profiles built with modifiers: the policy is pure, so no certificates are needed here. */
const given = {
  rsaClassic: (overrides: Partial<KeyProfile> = {}): KeyProfile => ({
    algorithm: 'rsa',
    size: 2048,
    acmKeyAlgorithm: AcmKeyAlgorithm.Rsa2048,
    keyUsages: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsages: ['serverAuth', 'clientAuth'],
    ...overrides,
  }),
  rsaTlsServer: (overrides: Partial<KeyProfile> = {}): KeyProfile =>
    given.rsaClassic({ keyUsages: ['digitalSignature'], extendedKeyUsages: ['serverAuth'], ...overrides }),
  ecdsa: (overrides: Partial<KeyProfile> = {}): KeyProfile => ({
    algorithm: 'ec',
    size: 256,
    acmKeyAlgorithm: AcmKeyAlgorithm.EcP256,
    keyUsages: ['digitalSignature'],
    extendedKeyUsages: ['serverAuth'],
    ...overrides,
  }),
};

const cases: Record<string, { current: KeyProfile; next: KeyProfile; want?: ReimportRefusal }> = {
  're-imports the same RSA profile': { current: given.rsaClassic(), next: given.rsaClassic() },
  're-imports the same ECDSA profile': { current: given.ecdsa(), next: given.ecdsa() },
  'refuses ECDSA → RSA': {
    current: given.ecdsa(),
    next: given.rsaClassic(),
    want: ReimportRefusal.KeyAlgorithmChanged,
  },
  'refuses RSA → ECDSA': {
    current: given.rsaClassic(),
    next: given.ecdsa(),
    want: ReimportRefusal.KeyAlgorithmChanged,
  },
  'refuses RSA 2048 → 3072': {
    current: given.rsaClassic(),
    next: given.rsaClassic({ size: 3072, acmKeyAlgorithm: AcmKeyAlgorithm.Rsa3072 }),
    want: ReimportRefusal.KeySizeChanged,
  },
  'refuses P-256 → P-384': {
    current: given.ecdsa(),
    next: given.ecdsa({ size: 384, acmKeyAlgorithm: AcmKeyAlgorithm.EcP384 }),
    want: ReimportRefusal.KeySizeChanged,
  },
  'refuses RSA classic → tlsserver (keyEncipherment removed)': {
    current: given.rsaClassic(),
    next: given.rsaTlsServer({ extendedKeyUsages: ['serverAuth', 'clientAuth'] }),
    want: ReimportRefusal.KeyUsageRemoved,
  },
  'accepts RSA tlsserver → classic (usages only added)': { current: given.rsaTlsServer(), next: given.rsaClassic() },
  'accepts dropping keyEncipherment on ECDSA': {
    current: given.ecdsa({ keyUsages: ['digitalSignature', 'keyEncipherment'] }),
    next: given.ecdsa(),
  },
  'accepts dropping the ClientAuth EKU': {
    current: given.rsaClassic(),
    next: given.rsaClassic({ extendedKeyUsages: ['serverAuth'] }),
  },
  'refuses dropping the ServerAuth EKU': {
    current: given.ecdsa({ extendedKeyUsages: ['serverAuth', 'clientAuth'] }),
    next: given.ecdsa({ extendedKeyUsages: ['clientAuth'] }),
    want: ReimportRefusal.ExtendedKeyUsageRemoved,
  },
  'refuses dropping digitalSignature on ECDSA': {
    current: given.ecdsa(),
    next: given.ecdsa({ keyUsages: [] }),
    want: ReimportRefusal.KeyUsageRemoved,
  },
  'accepts adding a Key Usage extension the imported certificate lacked': {
    current: given.ecdsa({ keyUsages: [] }),
    next: given.ecdsa(),
  },
};

describe('checkReimport', () => {
  it.each(Object.entries(cases))('%s', (_name, { current, next, want }) => {
    expect(checkReimport(current, next)?.reason).toBe(want);
  });

  it('names both keys in the message', () => {
    expect(checkReimport(given.ecdsa(), given.rsaClassic())?.message).toBe(
      'the key changes from ECDSA P-256 to RSA 2048; ACM refuses another key algorithm on re-import',
    );
  });
});
