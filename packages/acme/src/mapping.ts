/**
 * acme-client returns the CA's JSON with a `url` added; these functions turn it into the port's plain, readonly,
 * JSON-serialisable shapes and keep only the fields the port documents.
 */
import type {
  AcmeAuthorization,
  AcmeChallenge,
  AcmeIdentifier,
  AcmeOrder,
  AcmeProblem,
  AuthorizationStatus,
  ChallengeStatus,
  OrderStatus,
} from '@portcullis/core';
import { AcmeProtocolError } from './errors.js';
import { parseProblem } from './transport.js';

type Json = Record<string, unknown>;

const ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'ready', 'processing', 'valid', 'invalid'];
const AUTHORIZATION_STATUSES: readonly AuthorizationStatus[] = [
  'pending',
  'valid',
  'invalid',
  'deactivated',
  'expired',
  'revoked',
];
const CHALLENGE_STATUSES: readonly ChallengeStatus[] = ['pending', 'processing', 'valid', 'invalid'];

export function toOrder(raw: unknown, url: string): AcmeOrder {
  const order = asObject(raw, `order ${url}`);
  const status = oneOf(order.status, ORDER_STATUSES, `order ${url} status`);
  const finalize = text(order.finalize, `order ${url} finalize`);
  const certificate = optionalText(order.certificate);
  const expires = optionalText(order.expires);
  const profile = optionalText(order.profile);
  const replaces = optionalText(order.replaces);
  const error = toProblem(order.error);
  return {
    url,
    status,
    identifiers: (Array.isArray(order.identifiers) ? order.identifiers : []).map((id) => toIdentifier(id, url)),
    authorizations: (Array.isArray(order.authorizations) ? order.authorizations : []).map((a) =>
      text(a, `order ${url} authorizations`),
    ),
    finalize,
    ...(certificate === undefined ? {} : { certificate }),
    ...(expires === undefined ? {} : { expires }),
    ...(profile === undefined ? {} : { profile }),
    ...(replaces === undefined ? {} : { replaces }),
    ...(error === undefined ? {} : { error }),
  };
}

export function toAuthorization(raw: unknown, url: string): AcmeAuthorization {
  const authz = asObject(raw, `authorization ${url}`);
  const expires = optionalText(authz.expires);
  return {
    url,
    identifier: toIdentifier(authz.identifier, url),
    wildcard: authz.wildcard === true,
    status: oneOf(authz.status, AUTHORIZATION_STATUSES, `authorization ${url} status`),
    ...(expires === undefined ? {} : { expires }),
    challenges: (Array.isArray(authz.challenges) ? authz.challenges : []).map((c) => toChallenge(c)),
  };
}

export function toChallenge(raw: unknown): AcmeChallenge {
  const challenge = asObject(raw, 'challenge');
  const url = text(challenge.url, 'challenge url');
  const validated = optionalText(challenge.validated);
  const error = toProblem(challenge.error);
  return {
    type: text(challenge.type, `challenge ${url} type`),
    url,
    // tls-alpn-01/dns-account-01 variants without token would still be listed; only our types need it.
    token: optionalText(challenge.token) ?? '',
    status: oneOf(challenge.status, CHALLENGE_STATUSES, `challenge ${url} status`),
    ...(validated === undefined ? {} : { validated }),
    ...(error === undefined ? {} : { error }),
  };
}

/** acme-client wants its own object shapes back; the port's shapes carry every field it reads. */
export function toAcmeClientOrder(order: AcmeOrder): Json {
  return { ...order, identifiers: [...order.identifiers], authorizations: [...order.authorizations] };
}

function toProblem(value: unknown): AcmeProblem | undefined {
  if (value === undefined || value === null) return undefined;
  return parseProblem(value, typeof (value as Json).status === 'number' ? ((value as Json).status as number) : 400);
}

function toIdentifier(value: unknown, where: string): AcmeIdentifier {
  const id = asObject(value, `${where} identifier`);
  const type = id.type === 'ip' ? 'ip' : id.type === 'dns' ? 'dns' : undefined;
  if (type === undefined) throw new AcmeProtocolError(`acme: ${where}: unknown identifier type ${String(id.type)}`);
  return { type, value: text(id.value, `${where} identifier value`) };
}

function asObject(value: unknown, where: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AcmeProtocolError(`acme: ${where}: expected a JSON object`);
  }
  return value as Json;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new AcmeProtocolError(`acme: ${where}: missing`);
  return value;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new AcmeProtocolError(`acme: ${where}: unexpected value ${JSON.stringify(value)}`);
}
