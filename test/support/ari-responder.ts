/**
 * An ACME Renewal Information server (RFC 9773) for tests, because pebble 2.4 serves no ARI and no profiles.
 *
 * It fronts a real ACME server's directory: `GET /directory` returns the upstream directory (pebble's) with
 * `renewalInfo` pointing here and, when asked, `meta.profiles` added — every other endpoint still points at the
 * upstream, so orders, challenges and certificates stay real. `GET /renewal-info/<certID>` answers like the RFC:
 *   200 + { suggestedWindow: { start, end }, explanationURL? } + Retry-After   for a certID it was given,
 *   404 problem document                                                    for an unknown certID,
 *   400 problem document (malformed)                                        for a certID that is not two base64url
 *                                                                           parts joined by "." (§4.1).
 * certIDs of test certificates are computed here independently of the client (with @peculiar/x509), so tests
 * cross-check the client's computation rather than repeat it.
 */
import 'reflect-metadata';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { AuthorityKeyIdentifierExtension, X509Certificate } from '@peculiar/x509';
import axios from 'axios';

export interface AriWindowAnswer {
  readonly start: string;
  readonly end: string;
  readonly explanationUrl?: string;
  /** Sent as Retry-After: a number (seconds) or an HTTP-date string; absent → no header. */
  readonly retryAfter?: number | string;
}

export interface AriResponderOptions {
  /** Directory to front (pebble's). */
  readonly upstreamDirectoryUrl: string;
  /** Trust for the upstream's HTTPS (the local stack's agent). */
  readonly httpsAgent?: Agent;
  /** Added as `meta.profiles` when given. */
  readonly profiles?: Readonly<Record<string, string>>;
  /** Leave `renewalInfo` out of the directory (a CA without ARI). Default false. */
  readonly withoutRenewalInfo?: boolean;
}

export interface AriResponder {
  /** `http://127.0.0.1:<port>/directory`: give this to the ACME client. */
  readonly directoryUrl: string;
  readonly renewalInfoUrl: string;
  /** Serve this answer for a certID. */
  setRenewalInfo(certId: string, answer: AriWindowAnswer): void;
  /** Paths of the requests received, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

const CERT_ID = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** RFC 9773 §4.1 certID, computed with @peculiar/x509 (independent of @portcullis/acme's DER walk). */
export function certIdOf(certificatePem: string): string {
  const certificate = new X509Certificate(certificatePem);
  const aki = certificate.getExtension(AuthorityKeyIdentifierExtension);
  if (aki?.keyId === undefined) throw new Error('certificate has no AKI keyIdentifier');
  // @peculiar/x509 gives the serial as unsigned hex; DER content bytes carry a 0x00 when the top bit is set.
  let serialHex = certificate.serialNumber.length % 2 === 1 ? `0${certificate.serialNumber}` : certificate.serialNumber;
  if (Number.parseInt(serialHex.slice(0, 2), 16) >= 0x80) serialHex = `00${serialHex}`;
  return `${Buffer.from(aki.keyId, 'hex').toString('base64url')}.${Buffer.from(serialHex, 'hex').toString('base64url')}`;
}

export async function startAriResponder(options: AriResponderOptions): Promise<AriResponder> {
  const answers = new Map<string, AriWindowAnswer>();
  const requests: string[] = [];
  let base = '';

  const problem = (res: ServerResponse, status: number, type: string, detail: string): void => {
    res.writeHead(status, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: `urn:ietf:params:acme:error:${type}`, detail, status }));
  };

  const serveDirectory = async (res: ServerResponse): Promise<void> => {
    const upstream = await axios.get(options.upstreamDirectoryUrl, {
      ...(options.httpsAgent === undefined ? {} : { httpsAgent: options.httpsAgent }),
    });
    const directory = { ...(upstream.data as Record<string, unknown>) };
    if (options.withoutRenewalInfo !== true) directory.renewalInfo = `${base}/renewal-info`;
    if (options.profiles !== undefined) {
      directory.meta = { ...((directory.meta as object | undefined) ?? {}), profiles: options.profiles };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(directory));
  };

  const serveRenewalInfo = (certId: string, res: ServerResponse): void => {
    if (!CERT_ID.test(certId)) {
      problem(res, 400, 'malformed', `"${certId}" is not a certID (base64url AKI "." base64url serial)`);
      return;
    }
    const answer = answers.get(certId);
    if (answer === undefined) {
      problem(res, 404, 'malformed', `no certificate with certID ${certId}`);
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (answer.retryAfter !== undefined) headers['retry-after'] = String(answer.retryAfter);
    res.writeHead(200, headers);
    res.end(
      JSON.stringify({
        suggestedWindow: { start: answer.start, end: answer.end },
        ...(answer.explanationUrl === undefined ? {} : { explanationURL: answer.explanationUrl }),
      }),
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push(`${req.method} ${path}`);
    if (req.method === 'GET' && path === '/directory') return serveDirectory(res);
    if (req.method === 'GET' && path.startsWith('/renewal-info/')) {
      return serveRenewalInfo(decodeURIComponent(path.slice('/renewal-info/'.length)), res);
    }
    // RFC 9773 §4.2: renewalInfo is fetched with GET only.
    problem(res, req.method === 'GET' ? 404 : 405, 'malformed', `${req.method} ${path} is not served here`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => problem(res, 500, 'serverInternal', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    directoryUrl: `${base}/directory`,
    renewalInfoUrl: `${base}/renewal-info`,
    setRenewalInfo: (certId, answer) => answers.set(certId, answer),
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
