import { readFileSync } from 'node:fs';
import { preflight } from './preflight.js';
import { Rfc2136Provider } from './providers/rfc2136/provider.js';
import { DnsResolver } from './resolver/dns-resolver.js';
import { sendUpdate } from './wire/update.js';

const server = { host: '127.0.0.1', port: 15353 };
const tsig = {
  name: 'portcullis-key',
  algorithm: 'hmac-sha256' as const,
  secret: readFileSync('/tmp/dnsdev/secret', 'utf8').trim(),
};
const r = new DnsResolver({ servers: [server], nameserverPort: 15353 });
console.log(await r.findZone('_acme-challenge.a.b.example.test'));
console.log(await r.findZone('delegated.test'));
try {
  await r.findZone('x.other.test');
} catch (e) {
  console.log((e as any).code, (e as Error).message);
}
await sendUpdate(server, 'example.test', tsig, [
  { op: 'add', name: '_acme-challenge.deleg.example.test', type: 'CNAME', ttl: 60, data: 'deleg.acme.delegated.test' },
  { op: 'add', name: '*.wild.example.test', type: 'CNAME', ttl: 60, data: 'lb.delegated.test' },
  {
    op: 'add',
    name: 'caa.example.test',
    type: 'CAA',
    ttl: 60,
    data: { flags: 0, tag: 'issue', value: 'letsencrypt.org; accounturi=x' },
  },
]);
console.log('follow', await r.followCnames('_acme-challenge.deleg.example.test'));
console.log('follow plain', await r.followCnames('_acme-challenge.plain.example.test'));
try {
  await r.followCnames('_acme-challenge.host.wild.example.test');
} catch (e) {
  console.log((e as any).code, (e as Error).message);
}
console.log(await r.checkCaa('x.caa.example.test', ['letsencrypt.org']));
console.log(await r.checkCaa('*.caa.example.test', ['pebble.test']));
console.log(await r.checkCaa('foo.example.test', ['pebble.test']));
const p = new Rfc2136Provider({ server, tsig });
const recs = [
  { fqdn: '_acme-challenge.example.test', value: 'v1' },
  { fqdn: '_acme-challenge.example.test', value: 'v2' },
  { fqdn: 'deleg.acme.delegated.test', value: 'v3' },
];
console.log(await r.checkPropagation(recs));
const pres = await p.present(recs);
console.log(JSON.stringify(pres), await r.checkPropagation(recs));
console.log(JSON.stringify(await preflight('deleg.example.test', r, { caIdentities: ['pebble.test'] }), null, 1));
console.log(JSON.stringify(await preflight('host.wild.example.test', r, { caIdentities: ['pebble.test'] }), null, 1));
await p.cleanup(pres);
console.log(await r.checkPropagation(recs));
await sendUpdate(server, 'example.test', tsig, [
  { op: 'delete', name: '_acme-challenge.deleg.example.test', type: 'ANY' },
  { op: 'delete', name: '*.wild.example.test', type: 'ANY' },
  { op: 'delete', name: 'caa.example.test', type: 'CAA' },
]);
