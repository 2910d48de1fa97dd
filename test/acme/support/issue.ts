/**
 * Drives `@portcullis/acme` through one issuance the way the orchestration does, with real challenge solving:
 * DNS-01 TXT records written into bind9 with nsupdate, HTTP-01 tokens served by the harness's responder.
 */
import { X509Certificate } from 'node:crypto';
import type { AcmeEngine } from '@portcullis/acme';
import { certificateKeyFactory } from '@portcullis/acme';
import {
  type AcmeAuthorization,
  type AcmeOrder,
  type ChallengeType,
  type Http01TokenStore,
  KeyType,
  normalizeIdentifiers,
  type Redacted,
  selectChallenge,
} from '@portcullis/core';
import type { LocalStack } from '@portcullis/local';
import { addTxt, deleteTxt, type TxtValue } from './nsupdate.js';

export interface IssueRequest {
  readonly names: readonly string[];
  readonly challenge: ChallengeType;
  readonly keyType?: KeyType;
  readonly profile?: string;
  readonly replaces?: string;
  readonly preferredChain?: string;
}

export interface Issued {
  readonly order: AcmeOrder;
  readonly chainPem: string;
  readonly key: Redacted<string>;
  readonly leaf: X509Certificate;
  /** The TXT records that were written (and removed again). */
  readonly txt: readonly TxtValue[];
}

export interface Solvers {
  readonly stack: LocalStack;
  /** Required for http-01. */
  readonly tokens?: Http01TokenStore;
}

/** Answers every authorization of the order, waits for them, and leaves no TXT record or token behind. */
export async function authorize(acme: AcmeEngine, order: AcmeOrder, challenge: ChallengeType, solvers: Solvers) {
  const authorizations = await acme.getAuthorizations(order);
  const txt: TxtValue[] = [];
  const tokens: string[] = [];
  try {
    const chosen = authorizations.map((authorization) => ({
      authorization,
      challenge: selectChallenge(authorization, challenge),
    }));
    for (const { authorization, challenge: ch } of chosen) {
      const response = await acme.challengeResponse(ch);
      if (response.type === 'dns-01') txt.push({ name: recordName(authorization), value: response.txtValue });
      else {
        if (solvers.tokens === undefined) throw new Error('http-01 needs a token store');
        await solvers.tokens.put(response.token, response.keyAuthorization);
        tokens.push(response.token);
      }
    }
    if (txt.length > 0) await addTxt(solvers.stack, txt);
    for (const { challenge: ch } of chosen) await acme.acceptChallenge(ch);
    await Promise.all(chosen.map(({ authorization }) => acme.waitForAuthorization(authorization.url)));
  } finally {
    if (txt.length > 0) await deleteTxt(solvers.stack, txt);
    for (const token of tokens) await solvers.tokens?.delete(token);
  }
  return txt;
}

export async function issue(acme: AcmeEngine, request: IssueRequest, solvers: Solvers): Promise<Issued> {
  const identifiers = normalizeIdentifiers(request.names, { challenge: request.challenge });
  const order = await acme.newOrder({
    identifiers,
    ...(request.profile === undefined ? {} : { profile: request.profile }),
    ...(request.replaces === undefined ? {} : { replaces: request.replaces }),
  });
  const txt = await authorize(acme, order, request.challenge, solvers);
  const ready = await acme.waitForOrder(order.url, { until: ['ready'] });
  const key = await certificateKeyFactory.generateKey(request.keyType ?? KeyType.EcP256);
  const csr = await certificateKeyFactory.createCsr(key, identifiers);
  await acme.finalize(ready, csr);
  const valid = await acme.waitForOrder(order.url);
  const chainPem = await acme.downloadCertificate(
    valid,
    request.preferredChain === undefined ? {} : { preferredChain: request.preferredChain },
  );
  return { order: valid, chainPem, key, leaf: new X509Certificate(chainPem), txt };
}

export function recordName(authorization: AcmeAuthorization): string {
  return `_acme-challenge.${authorization.identifier.value}`;
}

/** Splits a PEM chain into certificates. */
export function splitChain(chainPem: string): X509Certificate[] {
  return (chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (pem) => new X509Certificate(pem),
  );
}

/** True when each certificate is signed by the next and the last by `rootPem`. */
export function chainsTo(chainPem: string, rootPem: string): boolean {
  const chain = [...splitChain(chainPem), new X509Certificate(rootPem)];
  return chain.every((cert, index) => {
    const issuer = chain[index + 1];
    return issuer === undefined || (cert.checkIssued(issuer) && cert.verify(issuer.publicKey));
  });
}

export function commonName(distinguishedName: string): string | undefined {
  return /(?:^|\n)CN=([^\n]+)/.exec(distinguishedName)?.[1];
}
