/** Malformed bodies of `POST /certificates`: names, sizes, JSON shape, unknown fields, wrong types and values. */
import type { ApiCall } from './api-harness.js';

export interface MalformedCase {
  /** Built lazily: some cases address a certificate created by the test file (`existing`). */
  readonly request: (existing: string) => ApiCall;
  readonly status: number;
  readonly field: string;
  readonly rule: string;
}

export const post =
  (body: unknown, extra: Partial<ApiCall> = {}): (() => ApiCall) =>
  () => ({ method: 'POST', path: '/certificates', body, ...extra });
export const names = (...list: unknown[]) => post({ names: list });

const long = (length: number) => `${'a'.repeat(length)}.example.test`;
const deep = `${Array.from({ length: 4 }, () => 'b'.repeat(60)).join('.')}.example.test`;

export const bodyCases: Record<string, MalformedCase> = {
  // names
  'refuses an empty name list': { request: names(), status: 400, field: 'names', rule: 'too-small' },
  'refuses a body without names': {
    request: post({ keyType: 'ec-p256' }),
    status: 400,
    field: 'names',
    rule: 'invalid-type',
  },
  'refuses names given as a string': {
    request: post({ names: 'a.example.test' }),
    status: 400,
    field: 'names',
    rule: 'invalid-type',
  },
  'refuses a name that is a number': { request: names(42), status: 400, field: 'names[0]', rule: 'invalid-type' },
  'refuses a name that is null': {
    request: names('a.example.test', null),
    status: 400,
    field: 'names[1]',
    rule: 'invalid-type',
  },
  'refuses an empty name': { request: names(''), status: 400, field: 'names[0]', rule: 'too-small' },
  'refuses an empty label': { request: names('a..example.test'), status: 400, field: 'names[0]', rule: 'empty-label' },
  'refuses a leading dot': { request: names('.example.test'), status: 400, field: 'names[0]', rule: 'empty-label' },
  'refuses an underscore': {
    request: names('a_b.example.test'),
    status: 400,
    field: 'names[0]',
    rule: 'invalid-character',
  },
  'refuses a space': { request: names('a b.example.test'), status: 400, field: 'names[0]', rule: 'invalid-character' },
  'refuses a label starting with a hyphen': {
    request: names('-a.example.test'),
    status: 400,
    field: 'names[0]',
    rule: 'invalid-character',
  },
  'refuses a label of 64 characters': {
    request: names(long(64)),
    status: 400,
    field: 'names[0]',
    rule: 'label-too-long',
  },
  'refuses a name over 253 characters': { request: names(deep), status: 400, field: 'names[0]', rule: 'name-too-long' },
  'refuses a name over 300 characters before normalizing': {
    request: names('x'.repeat(301)),
    status: 400,
    field: 'names[0]',
    rule: 'too-big',
  },
  'refuses a wildcard in the middle': {
    request: names('a.*.example.test'),
    status: 400,
    field: 'names[0]',
    rule: 'wildcard-position',
  },
  'refuses a partial wildcard label': {
    request: names('*a.example.test'),
    status: 400,
    field: 'names[0]',
    rule: 'wildcard-position',
  },
  'refuses a bare wildcard': { request: names('*'), status: 400, field: 'names[0]', rule: 'wildcard-too-broad' },
  'refuses a wildcard with http-01': {
    request: post({ names: ['*.example.test'], challenge: 'http-01' }),
    status: 400,
    field: 'names[0]',
    rule: 'wildcard-needs-dns-01',
  },
  'refuses an IP address with dns-01': {
    request: names('192.0.2.1'),
    status: 400,
    field: 'names[0]',
    rule: 'ip-needs-http-01',
  },
  'refuses the same name twice': {
    request: names('a.example.test', 'a.example.test'),
    status: 400,
    field: 'names[1]',
    rule: 'duplicate',
  },
  'refuses names equal after normalization': {
    request: names('A.example.test', 'a.example.test.'),
    status: 400,
    field: 'names[1]',
    rule: 'duplicate',
  },
  'refuses 101 names': {
    request: names(...Array.from({ length: 101 }, (_, i) => `n${i}.example.test`)),
    status: 400,
    field: 'names',
    rule: 'too-big',
  },
  // sizes and JSON shape
  'refuses a body over 64 KiB': {
    request: post(undefined, { rawBody: JSON.stringify({ names: ['a.example.test'], pad: 'x'.repeat(70_000) }) }),
    status: 413,
    field: 'body',
    rule: 'max-size',
  },
  'refuses malformed JSON': {
    request: post(undefined, { rawBody: '{"names": [' }),
    status: 400,
    field: 'body',
    rule: 'json',
  },
  'refuses a JSON array': { request: post([]), status: 400, field: 'body', rule: 'invalid-type' },
  'refuses a JSON string': { request: post('names'), status: 400, field: 'body', rule: 'invalid-type' },
  'refuses JSON null': { request: post(null), status: 400, field: 'body', rule: 'invalid-type' },
  'refuses a missing body': { request: post(undefined), status: 400, field: 'body', rule: 'required' },
  'refuses text/plain': {
    request: post({ names: ['a.example.test'] }, { headers: { 'content-type': 'text/plain' } }),
    status: 415,
    field: 'header.content-type',
    rule: 'media-type',
  },
  'refuses a body without a content type': {
    request: post({ names: ['a.example.test'] }, { headers: { 'content-type': '' } }),
    status: 415,
    field: 'header.content-type',
    rule: 'media-type',
  },
  // unknown fields
  'refuses an unknown top-level field': {
    request: post({ names: ['a.example.test'], colour: 'blue' }),
    status: 400,
    field: 'colour',
    rule: 'unknown-field',
  },
  'refuses a tenant chosen by the caller': {
    request: post({ names: ['a.example.test'], tenant: 'globex' }),
    status: 400,
    field: 'tenant',
    rule: 'unknown-field',
  },
  'refuses an unknown field in a target': {
    request: post({ names: ['a.example.test'], targets: [{ id: 'a', type: 'acm', arn: 'x' }] }),
    status: 400,
    field: 'targets[0].arn',
    rule: 'unknown-field',
  },
  'refuses an unknown field in renewal': {
    request: post({ names: ['a.example.test'], renewal: { renewBeforeSeconds: 86_400, jitter: 1 } }),
    status: 400,
    field: 'renewal.jitter',
    rule: 'unknown-field',
  },
  // wrong types and values
  'refuses an unknown key type': {
    request: post({ names: ['a.example.test'], keyType: 'rsa-1024' }),
    status: 400,
    field: 'keyType',
    rule: 'invalid-value',
  },
  'refuses a key type given as a number': {
    request: post({ names: ['a.example.test'], keyType: 256 }),
    status: 400,
    field: 'keyType',
    rule: 'invalid-value',
  },
  'refuses an unknown challenge type': {
    request: post({ names: ['a.example.test'], challenge: 'tls-alpn-01' }),
    status: 400,
    field: 'challenge',
    rule: 'invalid-value',
  },
  'refuses renewBeforeSeconds as a string': {
    request: post({ names: ['a.example.test'], renewal: { renewBeforeSeconds: '86400' } }),
    status: 400,
    field: 'renewal.renewBeforeSeconds',
    rule: 'invalid-type',
  },
  'refuses renewBeforeSeconds under an hour': {
    request: post({ names: ['a.example.test'], renewal: { renewBeforeSeconds: 60 } }),
    status: 400,
    field: 'renewal.renewBeforeSeconds',
    rule: 'too-small',
  },
  'refuses a fractional renewBeforeSeconds': {
    request: post({ names: ['a.example.test'], renewal: { renewBeforeSeconds: 3600.5 } }),
    status: 400,
    field: 'renewal.renewBeforeSeconds',
    rule: 'invalid-type',
  },
  'refuses targets given as an object': {
    request: post({ names: ['a.example.test'], targets: { id: 'a' } }),
    status: 400,
    field: 'targets',
    rule: 'invalid-type',
  },
  'refuses an unknown target type': {
    request: post({ names: ['a.example.test'], targets: [{ id: 'a', type: 'ftp' }] }),
    status: 400,
    field: 'targets[0].type',
    rule: 'invalid-value',
  },
  'refuses a target id with spaces': {
    request: post({ names: ['a.example.test'], targets: [{ id: 'Bad Id', type: 'acm' }] }),
    status: 400,
    field: 'targets[0].id',
    rule: 'pattern',
  },
  'refuses a target option that is not a string': {
    request: post({ names: ['a.example.test'], targets: [{ id: 'a', type: 'acm', options: { region: 1 } }] }),
    status: 400,
    field: 'targets[0].options.region',
    rule: 'invalid-type',
  },
  'refuses the same target id twice': {
    request: post({
      names: ['a.example.test'],
      targets: [
        { id: 'a', type: 'acm' },
        { id: 'a', type: 'acm' },
      ],
    }),
    status: 400,
    field: 'targets[1].id',
    rule: 'unique',
  },
  'refuses eleven targets': {
    request: post({
      names: ['a.example.test'],
      targets: Array.from({ length: 11 }, (_, i) => ({ id: `t${i}`, type: 'acm' })),
    }),
    status: 400,
    field: 'targets',
    rule: 'too-big',
  },
  'refuses an issuer id with spaces': {
    request: post({ names: ['a.example.test'], issuer: "Let's Encrypt" }),
    status: 400,
    field: 'issuer',
    rule: 'pattern',
  },
  'refuses an upper-case profile': {
    request: post({ names: ['a.example.test'], profile: 'TLSServer' }),
    status: 400,
    field: 'profile',
    rule: 'pattern',
  },
  'refuses an empty preferred chain': {
    request: post({ names: ['a.example.test'], preferredChain: '' }),
    status: 400,
    field: 'preferredChain',
    rule: 'too-small',
  },
};
