/**
 * Every tool's certificate is checked the same way before an issuance counts: the chain parses, chains to one of
 * pebble's roots, the leaf names exactly the requested DNS names and carries a P-256 key. A missing or wrong file
 * is a failure with the reason, never a silent success.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { verifyChain } from '@portcullis/core';

/** Undefined when the chain is right; otherwise what is wrong with it. */
export function checkChain(
  chainPem: string,
  expectedNames: readonly string[],
  rootsPem: readonly string[],
): string | undefined {
  let names: string[];
  try {
    names = [...verifyChain(chainPem, rootsPem).dnsNames].sort();
  } catch (error) {
    return `certificate does not verify: ${(error as Error).message}`;
  }
  const wanted = [...expectedNames].sort();
  if (names.join(',') !== wanted.join(',')) {
    return `certificate names ${names.join(', ') || '(none)'}, expected ${wanted.join(', ')}`;
  }
  const details = new X509Certificate(chainPem).publicKey.asymmetricKeyDetails;
  if (details?.namedCurve !== 'prime256v1') {
    return `certificate key is ${details?.namedCurve ?? `${details?.modulusLength ?? '?'}-bit RSA`}, expected P-256`;
  }
  return undefined;
}

/** `checkChain` for a file a CLI wrote; a missing file is reported as such. */
export async function checkChainFile(
  file: string,
  expectedNames: readonly string[],
  rootsPem: readonly string[],
): Promise<string | undefined> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    return `no certificate at ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  return checkChain(pem, expectedNames, rootsPem);
}
