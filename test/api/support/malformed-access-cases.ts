/** Malformed requests beyond the body: foreign zones and callers, ids, parameters, cursors, methods, headers. */
import { Principal } from './api-harness.js';
import { type MalformedCase, names, post } from './malformed-body-cases.js';

const base64 = (text: string) => Buffer.from(text).toString('base64url');

export const accessCases: Record<string, MalformedCase> = {
  // foreign zones and callers
  'refuses a name in another tenant’s zone': {
    request: names('www.delegated.test'),
    status: 403,
    field: 'names[0]',
    rule: 'zone-not-owned',
  },
  'refuses a list with one foreign name': {
    request: names('ok.example.test', 'www.delegated.test'),
    status: 403,
    field: 'names[1]',
    rule: 'zone-not-owned',
  },
  'refuses a name in nobody’s zone': {
    request: names('www.example.com'),
    status: 403,
    field: 'names[0]',
    rule: 'zone-not-owned',
  },
  'refuses a name that only ends like an owned zone': {
    request: names('evilexample.test'),
    status: 403,
    field: 'names[0]',
    rule: 'zone-not-owned',
  },
  'refuses a foreign wildcard': {
    request: names('*.delegated.test'),
    status: 403,
    field: 'names[0]',
    rule: 'zone-not-owned',
  },
  'refuses an IP address (no zone) with http-01': {
    request: post({ names: ['192.0.2.1'], challenge: 'http-01' }),
    status: 403,
    field: 'names[0]',
    rule: 'zone-not-owned',
  },
  'refuses a caller without a tenant': {
    request: post({ names: ['a.example.test'] }, { principal: Principal.stranger }),
    status: 403,
    field: 'requestContext.authorizer.iam.userArn',
    rule: 'tenant',
  },
  'refuses a request without an IAM identity': {
    request: () => ({ method: 'POST', path: '/certificates', body: { names: ['a.example.test'] }, principal: null }),
    status: 401,
    field: 'requestContext.authorizer.iam',
    rule: 'required',
  },
  'refuses a pre-flight of a foreign name': {
    request: () => ({ method: 'POST', path: '/preflight', body: { name: 'www.delegated.test' } }),
    status: 403,
    field: 'name',
    rule: 'zone-not-owned',
  },
  'refuses a pre-flight with an unknown field': {
    request: () => ({ method: 'POST', path: '/preflight', body: { name: 'www.example.test', deep: true } }),
    status: 400,
    field: 'deep',
    rule: 'unknown-field',
  },
  'refuses a pre-flight of an invalid name': {
    request: () => ({ method: 'POST', path: '/preflight', body: { name: 'a..example.test' } }),
    status: 400,
    field: 'name',
    rule: 'empty-label',
  },
  // ids
  'refuses an id with a space': {
    request: () => ({ method: 'GET', path: '/certificates/bad%20id' }),
    status: 400,
    field: 'path.id',
    rule: 'pattern',
  },
  'refuses an id of 65 characters': {
    request: () => ({ method: 'GET', path: `/certificates/${'a'.repeat(65)}` }),
    status: 400,
    field: 'path.id',
    rule: 'pattern',
  },
  'answers 404 for an unknown id': {
    request: () => ({ method: 'GET', path: '/certificates/nope' }),
    status: 404,
    field: 'path.id',
    rule: 'exists',
  },
  'answers 404 when renewing an unknown id': {
    request: () => ({ method: 'POST', path: '/certificates/nope/renew' }),
    status: 404,
    field: 'path.id',
    rule: 'exists',
  },
  'answers 404 when revoking an unknown id': {
    request: () => ({ method: 'POST', path: '/certificates/nope/revoke', body: { reason: 'superseded' } }),
    status: 404,
    field: 'path.id',
    rule: 'exists',
  },
  'answers 404 for the events of an unknown id': {
    request: () => ({ method: 'GET', path: '/certificates/nope/events' }),
    status: 404,
    field: 'path.id',
    rule: 'exists',
  },
  'answers 404 for another tenant’s certificate': {
    request: (existing) => ({ method: 'GET', path: `/certificates/${existing}`, principal: Principal.globex }),
    status: 404,
    field: 'path.id',
    rule: 'exists',
  },
  // renew, revoke, delete bodies and parameters
  'refuses an unknown field in a renew body': {
    request: (existing) => ({ method: 'POST', path: `/certificates/${existing}/renew`, body: { force: true } }),
    status: 400,
    field: 'force',
    rule: 'unknown-field',
  },
  'refuses a revoke without a body': {
    request: (existing) => ({ method: 'POST', path: `/certificates/${existing}/revoke` }),
    status: 400,
    field: 'body',
    rule: 'required',
  },
  'refuses an unknown revocation reason': {
    request: (existing) => ({ method: 'POST', path: `/certificates/${existing}/revoke`, body: { reason: 'because' } }),
    status: 400,
    field: 'reason',
    rule: 'invalid-value',
  },
  'refuses a revocation reason given as its number': {
    request: (existing) => ({ method: 'POST', path: `/certificates/${existing}/revoke`, body: { reason: 1 } }),
    status: 400,
    field: 'reason',
    rule: 'invalid-value',
  },
  'refuses a delete reason without revoke': {
    request: (existing) => ({ method: 'DELETE', path: `/certificates/${existing}`, query: { reason: 'superseded' } }),
    status: 400,
    field: 'query.reason',
    rule: 'requires-revoke',
  },
  'refuses revoke=maybe on delete': {
    request: (existing) => ({ method: 'DELETE', path: `/certificates/${existing}`, query: { revoke: 'maybe' } }),
    status: 400,
    field: 'query.revoke',
    rule: 'invalid-value',
  },
  'refuses a query parameter on renew': {
    request: (existing) => ({ method: 'POST', path: `/certificates/${existing}/renew`, query: { now: 'true' } }),
    status: 400,
    field: 'query.now',
    rule: 'unknown-field',
  },
  'refuses a body on GET': {
    request: (existing) => ({ method: 'GET', path: `/certificates/${existing}`, body: { names: [] } }),
    status: 400,
    field: 'body',
    rule: 'absent',
  },
  // listing parameters and cursors
  'refuses limit=0': {
    request: () => ({ method: 'GET', path: '/certificates', query: { limit: '0' } }),
    status: 400,
    field: 'query.limit',
    rule: 'range',
  },
  'refuses limit=1000': {
    request: () => ({ method: 'GET', path: '/certificates', query: { limit: '1000' } }),
    status: 400,
    field: 'query.limit',
    rule: 'range',
  },
  'refuses limit=abc': {
    request: () => ({ method: 'GET', path: '/certificates', query: { limit: 'abc' } }),
    status: 400,
    field: 'query.limit',
    rule: 'pattern',
  },
  'refuses ready=yes': {
    request: () => ({ method: 'GET', path: '/certificates', query: { ready: 'yes' } }),
    status: 400,
    field: 'query.ready',
    rule: 'invalid-value',
  },
  'refuses a tenant query parameter': {
    request: () => ({ method: 'GET', path: '/certificates', query: { tenant: 'globex' } }),
    status: 400,
    field: 'query.tenant',
    rule: 'unknown-field',
  },
  'refuses an invalid name filter': {
    request: () => ({ method: 'GET', path: '/certificates', query: { name: 'a..b' } }),
    status: 400,
    field: 'query.name',
    rule: 'empty-label',
  },
  'refuses a cursor that is not base64url': {
    request: () => ({ method: 'GET', path: '/certificates', query: { cursor: 'not a cursor!' } }),
    status: 400,
    field: 'query.cursor',
    rule: 'cursor',
  },
  'refuses a cursor holding no JSON': {
    request: () => ({ method: 'GET', path: '/certificates', query: { cursor: base64('garbage') } }),
    status: 400,
    field: 'query.cursor',
    rule: 'cursor',
  },
  'refuses a forged cursor of the right shape': {
    request: () => ({
      method: 'GET',
      path: '/certificates',
      query: { cursor: base64(JSON.stringify({ s: 'x', c: 'y' })) },
    }),
    status: 400,
    field: 'query.cursor',
    rule: 'cursor',
  },
  'refuses a garbage events cursor': {
    request: (existing) => ({
      method: 'GET',
      path: `/certificates/${existing}/events`,
      query: { cursor: base64('{}') },
    }),
    status: 400,
    field: 'query.cursor',
    rule: 'cursor',
  },
  'refuses an unknown events parameter': {
    request: (existing) => ({ method: 'GET', path: `/certificates/${existing}/events`, query: { type: 'issued' } }),
    status: 400,
    field: 'query.type',
    rule: 'unknown-field',
  },
  // methods and routes
  'refuses PUT /certificates': {
    request: () => ({ method: 'PUT', path: '/certificates', body: {} }),
    status: 405,
    field: 'method',
    rule: 'method',
  },
  'refuses PUT on a certificate': {
    request: (existing) => ({ method: 'PUT', path: `/certificates/${existing}`, body: {} }),
    status: 405,
    field: 'method',
    rule: 'method',
  },
  'refuses GET /preflight': {
    request: () => ({ method: 'GET', path: '/preflight' }),
    status: 405,
    field: 'method',
    rule: 'method',
  },
  'refuses GET on renew': {
    request: (existing) => ({ method: 'GET', path: `/certificates/${existing}/renew` }),
    status: 405,
    field: 'method',
    rule: 'method',
  },
  'answers 404 for an unknown route': {
    request: () => ({ method: 'POST', path: '/certificates-v2', body: {} }),
    status: 404,
    field: 'path',
    rule: 'route',
  },
  // headers
  'refuses an Idempotency-Key with spaces': {
    request: post({ names: ['a.example.test'] }, { headers: { 'idempotency-key': 'two words' } }),
    status: 400,
    field: 'header.idempotency-key',
    rule: 'pattern',
  },
  'refuses an Idempotency-Key of 129 characters': {
    request: post({ names: ['a.example.test'] }, { headers: { 'idempotency-key': 'k'.repeat(129) } }),
    status: 400,
    field: 'header.idempotency-key',
    rule: 'pattern',
  },
};
