/**
 * The monitor and the ACM expiry rule end to end on the local runtime (real pebble, bind9 and moto; the API, the SQS
 * worker, the monitor and the ACM rule's handlers in one process): a certificate requested through the HTTP API with
 * an ACM target and a live TLS endpoint (a Node TLS server on 127.0.0.1 serving the certificate read back from
 * Secrets Manager) is watched by the monitor; the endpoint serving another serial raises `drift`, which arrives on
 * an SQS queue subscribed to the SNS alert topic; serving the current one again resolves it. Then an `ACM
 * Certificate Approaching Expiration` event for its ARN renews it: a new serial imported on the same ARN.
 *
 * Real time throughout, no fake clock: pebble's default validity (nothing expires here; expiry is in
 * expiry.test.ts). The drift grace is 0 so a fresh delivery is checked at once.
 */

import {
  ApiClient,
  acmArnsFor,
  type CertificateView,
  describeAcmCertificate,
  isReady,
  type LocalRuntime,
  runMonitorCommand,
  runPlanCommand,
  startLocalRuntime,
  watchCertificate,
} from '@portcullis/cli';
import { createTestMaterial } from '@portcullis/core/testing';
import { MonitorEnv } from '@portcullis/functions';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertInbox,
  eventually,
  startTlsEndpoint,
  subscribeAlerts,
  type TlsEndpoint,
  type TlsMaterial,
} from './support.js';

const NAME = 'drift.example.test';

let stack: LocalStack;
let runtime: LocalRuntime;
let api: ApiClient;
let inbox: AlertInbox;
let endpoint: TlsEndpoint;
let ready: CertificateView;
/** What Secrets Manager holds as current for the certificate (key revealed for the TLS server only). */
let current: TlsMaterial;
/** A certificate for the same name that Portcullis never issued. */
let other: TlsMaterial;

async function materialOf(id: string): Promise<TlsMaterial> {
  const stored = await runtime.wiring.deps.store.getCurrent(id);
  if (stored === undefined) throw new Error(`test: nothing stored for ${id}`);
  return { key: stored.key.reveal(), chainPem: stored.chainPem };
}

beforeAll(async () => {
  stack = await startLocalStack({});
  runtime = await startLocalRuntime(stack, {
    planIntervalMs: 500,
    monitorIntervalMs: 0,
    env: {
      [MonitorEnv.DriftGraceSeconds]: '0',
      [MonitorEnv.RunbookBaseUrl]: 'https://runbooks.example/portcullis',
    },
  });
  api = new ApiClient(runtime.url);
  inbox = await subscribeAlerts(runtime.wiring.clients, runtime.alertTopicArn, ['drift']);
  const stranger = await createTestMaterial({ certificateId: 'stranger', revision: 1, names: [NAME] });
  other = { key: stranger.key.reveal(), chainPem: stranger.chainPem };
  endpoint = await startTlsEndpoint(other);

  const response = await fetch(`${runtime.url}/certificates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      names: [NAME],
      keyType: 'ec-p256',
      challenge: 'dns-01',
      targets: [{ id: 'acm', type: 'acm', options: { region: 'us-east-1' } }],
      endpoints: [{ host: endpoint.host, port: endpoint.port, serverName: NAME }],
    }),
  });
  if (response.status >= 300) throw new Error(`test: POST /certificates → ${response.status} ${await response.text()}`);
  const created = (await response.json()) as CertificateView;
  ready = await watchCertificate(api, created.id, { until: isReady });
  current = await materialOf(ready.id);
  endpoint.serve(current);
}, 90_000);

afterAll(async () => {
  await inbox?.close();
  await endpoint?.close();
  await runtime?.stop();
  await stack?.stop();
});

const driftOf = (transition: string) => () =>
  inbox.received.find(
    (a) =>
      a.attributes.kind === 'drift' && a.attributes.certificate === ready.id && a.attributes.transition === transition,
  );

describe('drift of a live endpoint', () => {
  it('observes the serial the endpoint really serves and raises nothing while it is the current one', async () => {
    const result = await runtime.monitorNow();
    expect(result.errors).toEqual([]);
    const observations = await runtime.monitor.deps.observations.get(ready.id);
    const atEndpoint = observations.find((o) => o.source === 'endpoint');
    expect(atEndpoint).toMatchObject({ serial: ready.status.serial, address: `${endpoint.host}:${endpoint.port}` });
    const atAcm = observations.find((o) => o.location === 'acm');
    expect(atAcm?.serial).toBe(ready.status.serial);
    await inbox.poll();
    expect(inbox.received).toEqual([]);
  });

  it('raises drift when the endpoint serves another serial, delivered to the subscribed queue', async () => {
    endpoint.serve(other);
    const alert = await eventually(
      'a drift alert on the queue',
      async () => {
        await runtime.monitorNow();
        await inbox.poll();
      },
      driftOf('opened'),
    );
    expect(alert.attributes).toMatchObject({ kind: 'drift', names: NAME, certificate: ready.id });
    expect(['warning', 'critical']).toContain(alert.attributes.severity);
    expect(alert.body).toContain('runbook: https://runbooks.example/portcullis/docs/runbooks/drift.md');
    expect(alert.body).toContain(`endpoint:${endpoint.host}:${endpoint.port}`);
    expect(alert.subject).toContain('drift');
  });

  it('resolves drift once the endpoint serves the current serial again, and says so on the queue', async () => {
    endpoint.serve(current);
    const resolved = await eventually(
      'the drift alert resolved on the queue',
      async () => {
        await runtime.monitorNow();
        await inbox.poll();
      },
      driftOf('resolved'),
    );
    expect(resolved.body).toContain('RESOLVED');
    const open = await runtime.monitor.deps.alerts.list(
      { state: 'open', kind: 'drift', certificateId: ready.id },
      { limit: 10 },
    );
    expect(open.items).toEqual([]);
  });
});

describe('ACM Certificate Approaching Expiration', () => {
  it('renews a managed certificate at once: a new serial imported on the same ARN', async () => {
    const arn = ready.status.deliveries.acm?.location ?? '';
    const before = await describeAcmCertificate(runtime.wiring.clients, arn);
    const outcome = await runtime.acmExpiryNow(arn, 30);
    expect(outcome).toEqual({ action: 'renew', certificateId: ready.id });

    const renewed = await watchCertificate(api, ready.id, {
      until: (v) =>
        isReady(v) &&
        v.status.revision > ready.status.revision &&
        v.status.deliveries.acm?.revision === v.status.revision,
    });
    expect(renewed.status.serial).not.toBe(ready.status.serial);
    expect(await acmArnsFor(runtime.wiring.clients, ready.id)).toEqual([arn]);
    const after = await describeAcmCertificate(runtime.wiring.clients, arn);
    expect(after.serial).not.toBe(before.serial);
  });
});

describe('portcullis monitor run / plan run', () => {
  it('run the schedules once against AWS from the functions environment and print a summary', async () => {
    const out: string[] = [];
    const io = { out: (text: string) => out.push(text), err: () => {}, env: runtime.env };
    const monitored = await runMonitorCommand(io);
    expect(monitored.certificates).toBe(1);
    expect(monitored.errors).toEqual([]);
    expect(out.join('\n')).toContain(`observed 1 certificate(s) at ${monitored.observations} place(s)`);
    const planned = await runPlanCommand(10, io);
    expect(out.at(-1)).toContain(`enqueued ${planned.enqueued.length} certificate(s)`);
  });
});
