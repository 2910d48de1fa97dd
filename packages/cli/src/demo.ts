/**
 * `npm run demo`: the whole job on one machine, against the local stack (pebble + bind9 + moto_server on loopback).
 *
 * 1. the `issue` command: an apex + wildcard certificate by DNS-01 through the Route53 provider (moto holds the
 *    zone; what the provider writes is synced into bind9, where pebble's validator looks), and one by HTTP-01;
 * 2. the lifecycle service in one process (the local runtime: HTTP → API handler, moto SQS → reconcile worker,
 *    timer → plan handler): an apex + wildcard certificate requested through the HTTP API, its status watched step
 *    by step, its key + chain in Secrets Manager and its import in ACM (moto) shown;
 * 3. a forced renewal through the API: ACM still holds ONE ARN, now with a new serial;
 * 4. one run of the monitor schedule: every target observed, no alert open;
 * 5. a summary that checks every claim above and exits 1 when one does not hold.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { acmSerialMatches, awsConfigFromEnv, createAwsClients, normalizeAcmSerial } from '@portcullis/aws';
import { verifyChain } from '@portcullis/core';
import { FunctionsEnv } from '@portcullis/functions';
import { startLocalStack } from '@portcullis/local';
import pc from 'picocolors';
import { describeError, runIssue } from './commands/issue.js';
import { ApiClient, type CertificateView } from './runtime/api-client.js';
import { formatStatus } from './runtime/format.js';
import { acmArnsFor, describeAcmCertificate, describeSecret, isReady, watchCertificate } from './runtime/inspect.js';
import { startLocalRuntime } from './runtime/local-runtime.js';

const say = (text: string) => process.stdout.write(`${text}\n`);
/** ACM's serial as hex (moto answers in decimal, AWS in colon-separated hex) with the raw form beside it. */
const acmSerial = (raw: string) => `${normalizeAcmSerial(raw) ?? '?'} [ACM: ${raw}]`;
const indent = (text: string) => text.replace(/^/gm, '    ');

/** One line per observed step: elapsed time, phase, Ready condition and deliveries. */
function progressLine(started: number): (view: CertificateView) => void {
  return (view) => {
    const ready = view.status.conditions.find((c) => c.type === 'Ready');
    const deliveries = Object.entries(view.status.deliveries)
      .map(([id, d]) => `${id}=${d.state}@r${d.revision ?? '-'}`)
      .join(' ');
    say(
      `  ${pc.dim(`+${((Date.now() - started) / 1000).toFixed(1).padStart(4)}s`)}  revision ${view.status.revision}  phase ${(view.status.phase ?? '-').padEnd(10)} Ready=${ready?.status ?? 'Unknown'} (${ready?.reason ?? '-'})${deliveries === '' ? '' : `  ${deliveries}`}`,
    );
  };
}

async function main(): Promise<void> {
  say(pc.bold('Portcullis demo — certificates from a local ACME CA, stored, delivered to ACM and renewed'));
  const started = Date.now();
  const stack = await startLocalStack();
  const work = await mkdtemp(join(tmpdir(), 'portcullis-demo-'));
  const checks: [boolean, string][] = [];
  try {
    say(
      `local stack up in ${Date.now() - started} ms: pebble ${stack.pebble.directoryUrl}, bind9 127.0.0.1:${stack.bind.port}, moto ${stack.moto?.endpoint}`,
    );
    const env = { ...stack.env(), PORTCULLIS_STATE_DIR: join(work, 'state') };
    const clients = createAwsClients(awsConfigFromEnv(env));
    const zone = await clients.route53.send(
      new CreateHostedZoneCommand({ Name: 'example.test', CallerReference: `demo-${Date.now()}` }),
    );

    say(pc.bold(`\n1. portcullis issue: apex + wildcard by DNS-01 through Route53 (moto zone ${zone.HostedZone?.Id})`));
    await runIssue(
      {
        name: ['example.test', '*.example.test'],
        challenge: 'dns-01',
        dns: 'route53',
        key: 'ec-p256',
        out: join(work, 'apex'),
      },
      { out: (text) => say(`  ${text}`), env, localBind: stack.bind },
    );
    say(pc.bold("\n   portcullis issue: www.example.test by HTTP-01, answered on pebble's HTTP-01 port"));
    await runIssue(
      { name: ['www.example.test'], challenge: 'http-01', dns: 'rfc2136', key: 'ec-p256', out: join(work, 'www') },
      { out: (text) => say(`  ${text}`), env, localBind: stack.bind },
    );
    const roots = await stack.pebble.roots();
    const issued = verifyChain(await readFile(join(work, 'apex', 'fullchain.pem'), 'utf8'), roots);
    const www = verifyChain(await readFile(join(work, 'www', 'fullchain.pem'), 'utf8'), roots);
    const records = await clients.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone?.Id }),
    );
    const txt = (records.ResourceRecordSets ?? []).filter((r) => r.Type === 'TXT').length;
    // verifyChain throws when a chain does not lead to pebble's root: reaching these lines is the check.
    checks.push([
      true,
      `issue (dns-01, Route53): ${issued.dnsNames.join(', ')} serial ${issued.serial} → ${issued.root}`,
    ]);
    checks.push([true, `issue (http-01): ${www.dnsNames.join(', ')} serial ${www.serial} → ${www.root}`]);
    checks.push([txt === 0, `issue: challenge TXT records left in Route53: ${txt}`]);

    say(pc.bold('\n2. the lifecycle service: API + SQS worker + plan schedule in one process'));
    const runtime = await startLocalRuntime(stack, { planIntervalMs: 2000 });
    try {
      say(`  HTTP API ${runtime.url} (as ${runtime.principal}), queue ${runtime.queueUrl}`);
      const api = new ApiClient(runtime.url);
      const requestedAt = Date.now();
      const created = await api.create({
        names: ['example.test', '*.example.test'],
        keyType: 'ec-p256',
        challenge: 'dns-01',
        targets: [{ id: 'acm', type: 'acm', options: { region: 'us-east-1' } }],
      });
      say(`  POST ${runtime.url}/certificates → id ${pc.cyan(created.id)}`);
      const ready = await watchCertificate(api, created.id, { until: isReady, onChange: progressLine(requestedAt) });
      say(`  GET /certificates/${created.id} (what \`portcullis status ${created.id}\` prints):`);
      say(indent(formatStatus(ready)));

      const secretName = `${runtime.env[FunctionsEnv.CertificatePrefix]}${created.id}`;
      const secret = await describeSecret(runtime.wiring.clients, secretName);
      say(pc.bold('\n  Secrets Manager (moto)'));
      say(`    ${secret.name}`);
      for (const [version, stages] of Object.entries(secret.versions))
        say(`      version ${version}  ${stages.join(', ')}`);
      say(
        `      tags: ${Object.entries(secret.tags)
          .map(([k, v]) => `${k}=${v}`)
          .join('  ')}`,
      );
      const arn = ready.status.deliveries.acm?.location ?? '';
      const first = await describeAcmCertificate(runtime.wiring.clients, arn);
      say(pc.bold('  ACM (moto)'));
      say(
        `    ${first.arn}\n      serial ${acmSerial(first.serial)}  names ${first.sans.join(', ')}  until ${first.notAfter}`,
      );
      checks.push([isReady(ready), `lifecycle: ${created.id} Ready at revision ${ready.status.revision}`]);
      checks.push([
        acmSerialMatches(first.serial, ready.status.serial ?? ''),
        `ACM: ${arn} holds serial ${ready.status.serial}`,
      ]);
      checks.push([Object.keys(secret.versions).length > 0, `Secrets Manager: ${secret.name}`]);

      say(pc.bold('\n3. forced renewal: POST /certificates/{id}/renew'));
      const renewAt = Date.now();
      await api.renew(created.id);
      const renewed = await watchCertificate(api, created.id, {
        until: (v) =>
          isReady(v) &&
          v.status.revision > ready.status.revision &&
          v.status.deliveries.acm?.revision === v.status.revision,
        onChange: progressLine(renewAt),
      });
      const arns = await acmArnsFor(runtime.wiring.clients, created.id);
      const second = await describeAcmCertificate(runtime.wiring.clients, arns[0] ?? arn);
      say(`  ACM certificates tagged ${created.id}: ${arns.length}`);
      say(
        `    ${second.arn}\n      serial ${acmSerial(second.serial)}  until ${second.notAfter}  (was ${acmSerial(first.serial)})`,
      );
      checks.push([
        arns.length === 1 && arns[0] === arn,
        `renewal: ACM holds ONE ARN for ${created.id} (${arns.length})`,
      ]);
      checks.push([
        second.serial !== first.serial && acmSerialMatches(second.serial, renewed.status.serial ?? ''),
        `renewal: revision ${renewed.status.revision}, new serial ${renewed.status.serial} imported on the same ARN`,
      ]);

      say(pc.bold('\n4. the monitor schedule: every target and the ACM inventory observed, alerts to SNS'));
      const monitored = await runtime.monitorNow();
      say(
        `  ${monitored.certificates} certificate(s) at ${monitored.observations} place(s); alerts open: ${monitored.open}, notifications: ${monitored.notified}`,
      );
      checks.push([
        monitored.errors.length === 0 && monitored.open === 0,
        `monitor: ${monitored.observations} observation(s), no alert open${monitored.errors.length === 0 ? '' : ` (errors: ${monitored.errors.join('; ')})`}`,
      ]);
    } finally {
      await runtime.stop();
    }

    say(pc.bold('\nSummary'));
    for (const [ok, text] of checks) say(`  ${ok ? pc.green('✓') : pc.red('✗')} ${text}`);
    say(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (checks.some(([ok]) => !ok)) process.exitCode = 1;
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
