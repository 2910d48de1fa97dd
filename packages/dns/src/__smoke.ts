import { readFileSync } from 'node:fs';
import { queryServer, txtValues } from './wire/query.js';
import { sendUpdate } from './wire/update.js';

const server = { host: '127.0.0.1', port: 15353 };
const tsig = {
  name: 'portcullis-key',
  algorithm: 'hmac-sha256' as const,
  secret: readFileSync('/tmp/dnsdev/secret', 'utf8').trim(),
};
await sendUpdate(server, 'example.test', tsig, [
  { op: 'add', name: '_acme-challenge.example.test', type: 'TXT', ttl: 60, data: 'hello' },
  { op: 'add', name: '_acme-challenge.example.test', type: 'TXT', ttl: 60, data: 'world' },
]);
let a = await queryServer(server, '_acme-challenge.example.test', 'TXT');
console.log(a.rcode, a.authoritative, txtValues(a, '_acme-challenge.example.test'));
await sendUpdate(server, 'example.test', tsig, [
  { op: 'delete', name: '_acme-challenge.example.test', type: 'TXT', data: 'hello' },
]);
a = await queryServer(server, '_acme-challenge.example.test', 'TXT');
console.log(a.rcode, txtValues(a, '_acme-challenge.example.test'));
await sendUpdate(server, 'example.test', tsig, [{ op: 'delete', name: '_acme-challenge.example.test', type: 'TXT' }]);
a = await queryServer(server, '_acme-challenge.example.test', 'TXT');
console.log(a.rcode, txtValues(a, '_acme-challenge.example.test'), a.authorities);
for (const [label, fn] of [
  [
    'badsig',
    () =>
      sendUpdate(server, 'example.test', { ...tsig, secret: Buffer.alloc(32, 1).toString('base64') }, [
        { op: 'add', name: 'x.example.test', type: 'TXT', ttl: 60, data: 'v' },
      ]),
  ],
  [
    'badkey',
    () =>
      sendUpdate(server, 'example.test', { ...tsig, name: 'other' }, [
        { op: 'add', name: 'x.example.test', type: 'TXT', ttl: 60, data: 'v' },
      ]),
  ],
  [
    'badtime',
    () =>
      sendUpdate(
        server,
        'example.test',
        tsig,
        [{ op: 'add', name: 'x.example.test', type: 'TXT', ttl: 60, data: 'v' }],
        { now: () => new Date(Date.now() - 3600_000) },
      ),
  ],
  [
    'foreign',
    () =>
      sendUpdate(server, 'other.test', tsig, [{ op: 'add', name: 'x.other.test', type: 'TXT', ttl: 60, data: 'v' }]),
  ],
  [
    'closed',
    () =>
      sendUpdate({ host: '127.0.0.1', port: 1 }, 'example.test', tsig, [
        { op: 'add', name: 'x.example.test', type: 'TXT', ttl: 60, data: 'v' },
      ]),
  ],
  [
    'closedtcp',
    () =>
      sendUpdate(
        { host: '127.0.0.1', port: 1 },
        'example.test',
        tsig,
        Array.from({ length: 30 }, (_, i) => ({
          op: 'add' as const,
          name: 'x.example.test',
          type: 'TXT' as const,
          ttl: 60,
          data: `value-${i}-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
        })),
      ),
  ],
] as const) {
  const t = Date.now();
  try {
    await fn();
    console.log(label, 'no error');
  } catch (e) {
    console.log(label, Date.now() - t, 'ms', (e as any).code, (e as any).retryable, (e as Error).message);
  }
}
// big update via TCP
const ops = Array.from({ length: 90 }, (_, i) => ({
  op: 'add' as const,
  name: '_acme-challenge.big.example.test',
  type: 'TXT' as const,
  ttl: 60,
  data: `value-${i}-${'a'.repeat(40)}`,
}));
await sendUpdate(server, 'example.test', tsig, ops);
a = await queryServer(server, '_acme-challenge.big.example.test', 'TXT');
console.log('big', a.transport, txtValues(a, '_acme-challenge.big.example.test').length);
await sendUpdate(server, 'example.test', tsig, [
  { op: 'delete', name: '_acme-challenge.big.example.test', type: 'ANY' },
]);
const t = Date.now();
for (let i = 0; i < 200; i++)
  await sendUpdate(server, 'example.test', tsig, [
    { op: 'add', name: 'perf.example.test', type: 'TXT', ttl: 60, data: `p${i % 5}` },
  ]);
console.log('200 updates', Date.now() - t, 'ms');
await sendUpdate(server, 'example.test', tsig, [{ op: 'delete', name: 'perf.example.test', type: 'TXT' }]);
