/** Malformed `PATCH /certificates/{id}` requests, endpoints in `POST /certificates`, and `GET /alerts` parameters. */
import type { ApiCall } from './api-harness.js';
import { Principal } from './api-harness.js';
import type { MalformedCase } from './malformed-body-cases.js';

const patch =
  (body: unknown, extra: Partial<ApiCall> = {}): ((existing: string) => ApiCall) =>
  (existing) => ({
    method: 'PATCH',
    path: `/certificates/${existing}`,
    body,
    headers: { 'content-type': 'application/merge-patch+json' },
    ...extra,
  });
const endpoints = (...list: unknown[]) => patch({ endpoints: list });
const alerts =
  (query: Record<string, string>, extra: Partial<ApiCall> = {}): (() => ApiCall) =>
  () => ({ method: 'GET', path: '/alerts', query, ...extra });

export const updateCases: Record<string, MalformedCase> = {
  // what never changes
  'refuses new names in a patch (request a new certificate)': {
    request: patch({ names: ['other.example.test'] }),
    status: 400,
    field: 'names',
    rule: 'immutable',
  },
  'refuses another tenant in a patch': {
    request: patch({ tenant: 'globex' }),
    status: 400,
    field: 'tenant',
    rule: 'immutable',
  },
  'refuses another challenge type in a patch': {
    request: patch({ challenge: 'http-01' }),
    status: 400,
    field: 'challenge',
    rule: 'immutable',
  },
  // fields
  'refuses an unknown field in a patch': {
    request: patch({ colour: 'red' }),
    status: 400,
    field: 'colour',
    rule: 'unknown-field',
  },
  'refuses null for the issuer (it is required)': {
    request: patch({ issuer: null }),
    status: 400,
    field: 'issuer',
    rule: 'invalid-type',
  },
  'refuses an issuer that is not configured': {
    request: patch({ issuer: 'buypass' }),
    status: 400,
    field: 'issuer',
    rule: 'known-issuer',
  },
  'refuses an unknown key type in a patch': {
    request: patch({ keyType: 'ed25519' }),
    status: 400,
    field: 'keyType',
    rule: 'invalid-value',
  },
  'refuses a profile in capitals': {
    request: patch({ profile: 'Classic' }),
    status: 400,
    field: 'profile',
    rule: 'pattern',
  },
  'refuses null for the targets (use [])': {
    request: patch({ targets: null }),
    status: 400,
    field: 'targets',
    rule: 'invalid-type',
  },
  'refuses a renewal below an hour in a patch': {
    request: patch({ renewal: { renewBeforeSeconds: 60 } }),
    status: 400,
    field: 'renewal.renewBeforeSeconds',
    rule: 'too-small',
  },
  'refuses a patch that is a list': {
    request: patch([{ issuer: 'pebble' }]),
    status: 400,
    field: 'body',
    rule: 'invalid-type',
  },
  'refuses a patch without a body': { request: patch(undefined), status: 400, field: 'body', rule: 'required' },
  'refuses a patch as text/plain': {
    request: patch({ issuer: 'pebble' }, { headers: { 'content-type': 'text/plain' } }),
    status: 415,
    field: 'header.content-type',
    rule: 'media-type',
  },
  'refuses a query parameter on a patch': {
    request: patch({ issuer: 'pebble' }, { query: { force: 'true' } }),
    status: 400,
    field: 'query.force',
    rule: 'unknown-field',
  },
  'refuses a malformed Idempotency-Key on a patch': {
    request: patch(
      { issuer: 'pebble' },
      { headers: { 'content-type': 'application/merge-patch+json', 'idempotency-key': 'two words' } },
    ),
    status: 400,
    field: 'header.idempotency-key',
    rule: 'pattern',
  },
  'answers 404 when patching an unknown id': {
    request: () => ({ method: 'PATCH', path: '/certificates/nope', body: { issuer: 'pebble-backup' } }),
    status: 404,
    field: 'path.id',
    rule: 'exists',
  },
  'answers 404 when patching another tenant’s certificate': {
    request: patch({ issuer: 'pebble-backup' }, { principal: Principal.globex }),
    status: 404,
    field: 'path.id',
    rule: 'exists',
  },
  'refuses PATCH on the collection': {
    request: () => ({ method: 'PATCH', path: '/certificates', body: { issuer: 'pebble' } }),
    status: 405,
    field: 'method',
    rule: 'method',
  },
  // endpoints (patch and create)
  'refuses an endpoint port of 0': {
    request: endpoints({ host: 'lb.example.test', port: 0 }),
    status: 400,
    field: 'endpoints[0].port',
    rule: 'too-small',
  },
  'refuses an endpoint port above 65535': {
    request: endpoints({ host: 'lb.example.test', port: 65_536 }),
    status: 400,
    field: 'endpoints[0].port',
    rule: 'too-big',
  },
  'refuses an endpoint port given as a string': {
    request: endpoints({ host: 'lb.example.test', port: '443' }),
    status: 400,
    field: 'endpoints[0].port',
    rule: 'invalid-type',
  },
  'refuses a fractional endpoint port': {
    request: endpoints({ host: 'lb.example.test', port: 443.5 }),
    status: 400,
    field: 'endpoints[0].port',
    rule: 'invalid-type',
  },
  'refuses an endpoint host that is a URL': {
    request: endpoints({ host: 'lb.example.test' }, { host: 'https://lb.example.test/' }),
    status: 400,
    field: 'endpoints[1].host',
    rule: 'host',
  },
  'refuses an endpoint host with a port in it': {
    request: endpoints({ host: 'lb.example.test:443' }),
    status: 400,
    field: 'endpoints[0].host',
    rule: 'host',
  },
  'refuses a bracketed IPv6 endpoint host': {
    request: endpoints({ host: '[::1]' }),
    status: 400,
    field: 'endpoints[0].host',
    rule: 'host',
  },
  'refuses an endpoint without a host': {
    request: endpoints({ port: 443 }),
    status: 400,
    field: 'endpoints[0].host',
    rule: 'invalid-type',
  },
  'refuses a wildcard server name': {
    request: endpoints({ host: 'lb.example.test', serverName: '*.example.test' }),
    status: 400,
    field: 'endpoints[0].serverName',
    rule: 'host',
  },
  'refuses an unknown endpoint field': {
    request: endpoints({ host: 'lb.example.test', path: '/health' }),
    status: 400,
    field: 'endpoints[0].path',
    rule: 'unknown-field',
  },
  'refuses the same endpoint twice': {
    request: endpoints({ host: 'lb.example.test', port: 443 }, { host: 'LB.example.test' }),
    status: 400,
    field: 'endpoints[1]',
    rule: 'unique',
  },
  'refuses more than 20 endpoints': {
    request: endpoints(...Array.from({ length: 21 }, (_, i) => ({ host: `lb${i}.example.test` }))),
    status: 400,
    field: 'endpoints',
    rule: 'too-big',
  },
  'refuses an invalid endpoint in a create': {
    request: () => ({
      method: 'POST',
      path: '/certificates',
      body: { names: ['a.example.test'], endpoints: [{ host: 'lb.example.test', port: -1 }] },
    }),
    status: 400,
    field: 'endpoints[0].port',
    rule: 'too-small',
  },
  'refuses an unconfigured issuer in a create': {
    request: () => ({ method: 'POST', path: '/certificates', body: { names: ['a.example.test'], issuer: 'buypass' } }),
    status: 400,
    field: 'issuer',
    rule: 'known-issuer',
  },
  // GET /alerts
  'refuses an unknown alert state': {
    request: alerts({ state: 'closed' }),
    status: 400,
    field: 'query.state',
    rule: 'invalid-value',
  },
  'refuses an unknown alert kind': {
    request: alerts({ kind: 'meltdown' }),
    status: 400,
    field: 'query.kind',
    rule: 'invalid-value',
  },
  'refuses a malformed certificate id filter': {
    request: alerts({ certificateId: 'a b' }),
    status: 400,
    field: 'query.certificateId',
    rule: 'pattern',
  },
  'refuses an alerts limit of 0': { request: alerts({ limit: '0' }), status: 400, field: 'query.limit', rule: 'range' },
  'refuses an alerts limit that is not a number': {
    request: alerts({ limit: 'all' }),
    status: 400,
    field: 'query.limit',
    rule: 'pattern',
  },
  'refuses an unknown alerts parameter': {
    request: alerts({ severity: 'critical' }),
    status: 400,
    field: 'query.severity',
    rule: 'unknown-field',
  },
  'refuses a forged alerts cursor': {
    request: alerts({ cursor: 'bm90LWEtY3Vyc29y' }),
    status: 400,
    field: 'query.cursor',
    rule: 'cursor',
  },
  'refuses a body on GET /alerts': {
    request: () => ({ method: 'GET', path: '/alerts', body: { state: 'open' } }),
    status: 400,
    field: 'body',
    rule: 'absent',
  },
  'refuses POST /alerts': {
    request: () => ({ method: 'POST', path: '/alerts', body: {} }),
    status: 405,
    field: 'method',
    rule: 'method',
  },
  'refuses alerts to a caller without a tenant': {
    request: alerts({}, { principal: Principal.stranger }),
    status: 403,
    field: 'requestContext.authorizer.iam.userArn',
    rule: 'tenant',
  },
  'refuses alerts without an IAM identity': {
    request: alerts({}, { principal: null }),
    status: 401,
    field: 'requestContext.authorizer.iam',
    rule: 'required',
  },
};
