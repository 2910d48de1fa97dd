/**
 * The benchmark counts an issuance only when its certificate checks out. Certificates here are generated at test
 * time (a throwaway root + leaf); nothing is committed.
 */
// @peculiar/x509 resolves its ASN.1 helpers through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChain, checkChainFile } from '../../bench/issuance/check.js';

const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const names = ['b1.example.test', '*.b1.example.test'];

async function keys(curve: 'P-256' | 'P-384'): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
}

let rootPem: string;
let otherRootPem: string;
let leafFor: (dnsNames: readonly string[], curve?: 'P-256' | 'P-384') => Promise<string>;
const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-check-'));

beforeAll(async () => {
  const validity = { notBefore: new Date(Date.now() - 3_600_000), notAfter: new Date(Date.now() + 86_400_000) };
  const rootKeys = await keys('P-256');
  const makeRoot = (name: string, pair: webcrypto.CryptoKeyPair) =>
    x509.X509CertificateGenerator.createSelfSigned(
      {
        name,
        keys: pair,
        ...validity,
        signingAlgorithm: SIGNING,
        extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
      },
      webcrypto,
    );
  const root = await makeRoot('CN=Bench Test Root', rootKeys);
  rootPem = root.toString('pem');
  otherRootPem = (await makeRoot('CN=Some Other Root', await keys('P-256'))).toString('pem');
  leafFor = async (dnsNames, curve = 'P-256') => {
    const leafKeys = await keys(curve);
    const leaf = await x509.X509CertificateGenerator.create(
      {
        subject: `CN=${dnsNames[0]}`,
        issuer: root.subject,
        publicKey: leafKeys.publicKey,
        signingKey: rootKeys.privateKey,
        ...validity,
        signingAlgorithm: SIGNING,
        extensions: [new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns', value })))],
      },
      webcrypto,
    );
    return leaf.toString('pem');
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkChain', () => {
  it('accepts a P-256 certificate for exactly the requested names, in any order', async () => {
    expect(checkChain(await leafFor([...names].reverse()), names, [rootPem])).toBeUndefined();
  });

  const problems: Record<string, { make: () => Promise<string>; roots?: () => string[]; want: RegExp }> = {
    'a missing wildcard': { make: () => leafFor([names[0] as string]), want: /names b1\.example\.test, expected/ },
    'an extra name': { make: () => leafFor([...names, 'x.example.test']), want: /x\.example\.test, expected/ },
    'a P-384 key': { make: () => leafFor(names, 'P-384'), want: /secp384r1, expected P-256/ },
    'a chain to another root': {
      make: () => leafFor(names),
      roots: () => [otherRootPem],
      want: /does not verify: .*trusted roots/,
    },
    'text that is no certificate': { make: async () => 'not a pem', want: /does not verify/ },
  };
  it.each(Object.entries(problems))('refuses %s', async (_name, { make, roots, want }) => {
    expect(checkChain(await make(), names, roots?.() ?? [rootPem])).toMatch(want);
  });
});

describe('checkChainFile', () => {
  it('reads the chain a CLI wrote', async () => {
    const file = join(dir, 'fullchain.pem');
    writeFileSync(file, await leafFor(names));
    expect(await checkChainFile(file, names, [rootPem])).toBeUndefined();
  });

  it('counts a missing file as a failure that names the file', async () => {
    const file = join(dir, 'absent', 'fullchain.pem');
    expect(await checkChainFile(file, names, [rootPem])).toBe(`no certificate at ${file}: ENOENT`);
  });
});
