import type { Agent } from 'node:https';
import type { AcmeDirectoryInfo } from '@portcullis/core';
import axios from 'axios';
import { AcmeProtocolError, AcmeTransportError } from './errors.js';
import { describeNetworkError } from './transport.js';

/** The directory JSON as fetched, plus the port's summary of it. */
export interface FetchedDirectory {
  readonly info: AcmeDirectoryInfo;
  /** Every URL the directory names (to register per-origin trust for all of them). */
  readonly urls: readonly string[];
}

/**
 * GET the directory (RFC 8555 §7.1.1). Fetched by us rather than through acme-client because acme-client keeps
 * `meta.profiles` and `renewalInfo` to itself (it has no API for either). Plain axios, not acme-client's instance:
 * that one's interceptors are meant for signed requests (see transport.ts).
 */
export async function fetchDirectory(url: string, httpsAgent: Agent | undefined): Promise<FetchedDirectory> {
  let response: { status: number; data: unknown };
  try {
    response = await axios.request({
      url,
      method: 'get',
      validateStatus: null,
      timeout: 30_000,
      ...(httpsAgent === undefined ? {} : { httpsAgent }),
    });
  } catch (error) {
    throw new AcmeTransportError(`acme: directory GET ${url}: ${describeNetworkError(error)}`, error);
  }
  if (response.status !== 200) {
    throw new AcmeProtocolError(`acme: directory GET ${url}: HTTP ${response.status}`, { retryable: true });
  }
  return parseDirectory(response.data, url);
}

export function parseDirectory(data: unknown, url: string): FetchedDirectory {
  const body = (typeof data === 'string' ? safeJson(data) : data) as Record<string, unknown> | undefined;
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new AcmeProtocolError(`acme: directory ${url}: not a JSON object`);
  }
  for (const field of ['newNonce', 'newAccount', 'newOrder']) {
    if (typeof body[field] !== 'string') throw new AcmeProtocolError(`acme: directory ${url}: "${field}" is missing`);
  }
  const meta = (typeof body.meta === 'object' && body.meta !== null ? body.meta : {}) as Record<string, unknown>;
  const profiles: Record<string, string> = {};
  if (typeof meta.profiles === 'object' && meta.profiles !== null) {
    for (const [name, description] of Object.entries(meta.profiles)) {
      profiles[name] = typeof description === 'string' ? description : '';
    }
  }
  const urls = Object.values(body).filter((value): value is string => typeof value === 'string');
  return {
    info: {
      url,
      profiles,
      ...(typeof body.renewalInfo === 'string' ? { renewalInfo: body.renewalInfo } : {}),
      ...(typeof meta.termsOfService === 'string' ? { termsOfService: meta.termsOfService } : {}),
      externalAccountRequired: meta.externalAccountRequired === true,
    },
    urls,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
