/**
 * `npm run demo`: the main job on the local stack, start to finish, on one machine.
 *
 * 1. starts pebble (ACME CA), bind9 (authoritative DNS) and moto_server (AWS APIs) on loopback;
 * 2. creates the `example.test` hosted zone in moto (Route53) — moto answers no DNS, so what the Route53 provider
 *    writes is synced into bind9, where pebble's validator looks;
 * 3. issues an apex + wildcard certificate by DNS-01 through the Route53 provider (one change batch);
 * 4. issues a certificate by HTTP-01, answered by our responder on pebble's HTTP-01 port;
 * 5. checks every chain up to pebble's root, checks that no challenge record is left, and prints a summary.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { awsConfigFromEnv, createAwsClients } from '@portcullis/aws';
import { type ChainVerdict, verifyChain } from '@portcullis/core';
import { startLocalStack } from '@portcullis/local';
import pc from 'picocolors';
import { describeError, runIssue } from './commands/issue.js';

const say = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  say(pc.bold('Portcullis demo — obtaining real certificates from a local ACME CA'));
  const started = Date.now();
  const stack = await startLocalStack();
  const work = await mkdtemp(join(tmpdir(), 'portcullis-demo-'));
  try {
    say(
      `local stack up in ${Date.now() - started} ms: pebble ${stack.pebble.directoryUrl}, bind9 127.0.0.1:${stack.bind.port}, moto ${stack.moto?.endpoint}`,
    );
    const env = { ...stack.env(), PORTCULLIS_STATE_DIR: join(work, 'state') };
    const clients = createAwsClients(awsConfigFromEnv(env));
    const zone = await clients.route53.send(
      new CreateHostedZoneCommand({ Name: 'example.test', CallerReference: `demo-${Date.now()}` }),
    );
    say(`Route53 (moto): hosted zone example.test ${zone.HostedZone?.Id}\n`);

    const io = { out: (text: string) => say(`  ${text}`), env };
    say(pc.bold('1. apex + wildcard by DNS-01 through Route53'));
    await runIssue(
      {
        name: ['example.test', '*.example.test'],
        challenge: 'dns-01',
        dns: 'route53',
        key: 'ec-p256',
        out: join(work, 'apex'),
      },
      { ...io, localBind: stack.bind },
    );
    say(pc.bold('\n2. www.example.test by HTTP-01'));
    await runIssue(
      { name: ['www.example.test'], challenge: 'http-01', dns: 'rfc2136', key: 'ec-p256', out: join(work, 'www') },
      { ...io, localBind: stack.bind },
    );

    const roots = await stack.pebble.roots();
    const { readFile } = await import('node:fs/promises');
    const verdicts: [string, ChainVerdict][] = [];
    for (const name of ['apex', 'www']) {
      verdicts.push([name, verifyChain(await readFile(join(work, name, 'fullchain.pem'), 'utf8'), roots)]);
    }
    const leftovers = await clients.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone?.Id }),
    );
    const txt = (leftovers.ResourceRecordSets ?? []).filter((r) => r.Type === 'TXT');

    say(pc.bold('\nSummary'));
    for (const [name, v] of verdicts) {
      say(
        `  ${pc.green('✓')} ${name.padEnd(5)} ${v.dnsNames.join(', ').padEnd(32)} serial ${v.serial}  until ${v.notAfter}  → ${v.root}`,
      );
    }
    say(`  ${txt.length === 0 ? pc.green('✓') : pc.red('✗')} challenge TXT records left in Route53: ${txt.length}`);
    say(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (txt.length > 0) process.exitCode = 1;
  } finally {
    await stack.stop();
    await rm(work, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`demo failed: ${describeError(error)}\n`);
  process.exitCode = 1;
}
