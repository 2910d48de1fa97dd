/**
 * ARI (RFC 9773) and profiles against test/support/ari-responder.ts, which fronts pebble's directory (pebble 2.4
 * has neither). Certificates are real pebble certificates; only the renewal information and the advertised
 * profiles come from the responder.
 */
import { type AcmeEngine, createAcmeClient, DEFAULT_ARI_RETRY_AFTER_MS } from '@portcullis/acme';
import { AcmeProblemError, chooseRenewalTime, ValidationError } from '@portcullis/core';
import {
  type Http01Responder,
  type LocalStack,
  MemoryHttp01TokenStore,
  startHttp01Responder,
  startLocalStack,
} from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AriResponder, certIdOf, startAriResponder } from '../support/ari-responder.js';
import { type Issued, issue } from './support/issue.js';
import { MemoryKeyStore } from './support/memory-key-store.js';

let stack: LocalStack;
let http01: Http01Responder;
let ari: AriResponder;
let acme: AcmeEngine;
let issued: Issued;
const tokens = new MemoryHttp01TokenStore();
const PROFILES = { classic: 'The default profile', shortlived: 'Six-day certificates' };

beforeAll(async () => {
  stack = await startLocalStack({ moto: false });
  http01 = await startHttp01Responder({ host: '127.0.0.1', port: stack.pebble.httpPort, store: tokens });
  ari = await startAriResponder({
    upstreamDirectoryUrl: stack.pebble.directoryUrl,
    httpsAgent: stack.httpsAgent,
    profiles: PROFILES,
  });
  acme = createAcmeClient({
    issuer: ari.directoryUrl,
    keyStore: new MemoryKeyStore(),
    httpsAgent: stack.httpsAgent,
  });
  issued = await issue(acme, { names: ['ari.example.test'], challenge: 'http-01' }, { stack, tokens });
});

afterAll(async () => {
  await ari?.close();
  await http01?.close();
  await stack?.stop();
});

describe('certID', () => {
  it('matches an independent computation for a real certificate', () => {
    expect(acme.certId(issued.chainPem)).toBe(certIdOf(issued.chainPem));
  });
});

describe('renewalInfo', () => {
  it('returns the suggested window, the explanation URL and Retry-After', async () => {
    const certId = certIdOf(issued.chainPem);
    ari.setRenewalInfo(certId, {
      start: '2027-01-10T00:00:00Z',
      end: '2027-01-12T00:00:00Z',
      explanationUrl: 'https://ca.example/incident',
      retryAfter: 21_600,
    });
    expect(await acme.renewalInfo(issued.chainPem)).toEqual({
      certId,
      window: { start: '2027-01-10T00:00:00Z', end: '2027-01-12T00:00:00Z' },
      explanationUrl: 'https://ca.example/incident',
      retryAfterMs: 21_600_000,
    });
    expect(ari.requests).toContain(`GET /renewal-info/${certId}`);
  });

  it('uses the 6 hour default when the CA sends no Retry-After', async () => {
    ari.setRenewalInfo(certIdOf(issued.chainPem), { start: '2027-01-10T00:00:00Z', end: '2027-01-12T00:00:00Z' });
    expect((await acme.renewalInfo(issued.chainPem))?.retryAfterMs).toBe(DEFAULT_ARI_RETRY_AFTER_MS);
  });

  it('chooses a renewal time inside the window once, or now when the window has passed', async () => {
    ari.setRenewalInfo(certIdOf(issued.chainPem), { start: '2027-01-10T00:00:00Z', end: '2027-01-12T00:00:00Z' });
    const info = await acme.renewalInfo(issued.chainPem);
    if (info === undefined) throw new Error('no renewal info');
    const now = new Date('2027-01-01T00:00:00Z');
    expect(chooseRenewalTime(info.window, now, () => 0.5).toISOString()).toBe('2027-01-11T00:00:00.000Z');
    const late = new Date('2027-02-01T00:00:00Z');
    expect(chooseRenewalTime(info.window, late, () => 0.5)).toEqual(late);
  });

  it('surfaces 404 for a certificate the CA does not know', async () => {
    const unknown = await issue(acme, { names: ['unknown.example.test'], challenge: 'http-01' }, { stack, tokens });
    const error = await acme.renewalInfo(unknown.chainPem).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AcmeProblemError);
    expect((error as AcmeProblemError).status).toBe(404);
    expect((error as AcmeProblemError).message).toContain(`renewalInfo ${certIdOf(unknown.chainPem)}`);
  });

  it('is absent when the directory has no renewalInfo (pebble itself)', async () => {
    const plain = createAcmeClient({
      issuer: 'pebble',
      directoryUrl: stack.pebble.directoryUrl,
      keyStore: new MemoryKeyStore(),
      httpsAgent: stack.httpsAgent,
    });
    expect(await plain.renewalInfo(issued.chainPem)).toBeUndefined();
  });

  it('the responder refuses a malformed certID with 400, as the RFC requires', async () => {
    const response = await fetch(`${ari.renewalInfoUrl}/not-a-cert-id`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { type: string }).type).toBe('urn:ietf:params:acme:error:malformed');
  });

  it('orders a renewal with replaces = certID (pebble ignores the field)', async () => {
    const renewal = await issue(
      acme,
      { names: ['ari.example.test'], challenge: 'http-01', replaces: acme.certId(issued.chainPem) },
      { stack, tokens },
    );
    expect(renewal.order.status).toBe('valid');
  });
});

describe('profiles advertised by the directory', () => {
  it('lists them', async () => {
    expect((await acme.directory()).profiles).toEqual(PROFILES);
  });

  it('refuses an unadvertised profile before ordering, naming the available ones', async () => {
    const error = await acme
      .newOrder({ identifiers: [{ type: 'dns', value: 'p.example.test' }], profile: 'tlsserver' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ValidationError);
    expect({ field: (error as ValidationError).field, rule: (error as ValidationError).rule }).toEqual({
      field: 'profile',
      rule: 'advertised-profile',
    });
    expect((error as Error).message).toContain('available: classic, shortlived');
  });

  it('orders with an advertised profile', async () => {
    const withProfile = await issue(
      acme,
      { names: ['p.example.test'], challenge: 'http-01', profile: 'shortlived' },
      { stack, tokens },
    );
    expect(withProfile.order.status).toBe('valid');
  });
});
