/**
 * Expiry end to end on the local runtime with pebble issuing 45-second certificates (`validitySeconds`): a
 * certificate requested through the HTTP API (ACM target + a live TLS endpoint serving it) cannot be renewed — a CAA
 * record added after the first issuance forbids the CA, so every renewal fails its pre-flight as it would for real —
 * and really approaches expiry and expires in moto ACM. The monitor raises `expiring` at half its lifetime left
 * (PORTCULLIS_ALERT_FRACTIONS=0.5), once (a second run sends nothing), and escalates it to critical once ACM holds
 * an expired certificate. Alerts are read from an SQS queue subscribed to the SNS topic with a filter policy on
 * `kind` (renewal-failing is raised too, and filtered out). Also: an ACM certificate imported by hand (unmanaged)
 * raises `unmanaged-expiring`, and a message in the reconcile dead-letter queue raises `dlq-not-empty`.
 *
 * Real time: the expiry itself (≈45 s after issuance; the other scenarios run while it approaches). No fake clock,
 * no timing assertion: every wait polls with a deadline.
 */
import { DeleteCertificateCommand, DescribeCertificateCommand, ImportCertificateCommand } from '@aws-sdk/client-acm';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  ApiClient,
  type CertificateView,
  isReady,
  type LocalRuntime,
  startLocalRuntime,
  watchCertificate,
} from '@portcullis/cli';
import { createTestMaterial } from '@portcullis/core/testing';
import { sendUpdate } from '@portcullis/dns';
import { FunctionsEnv, MonitorEnv } from '@portcullis/functions';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertInbox, eventually, startTlsEndpoint, subscribeAlerts, type TlsEndpoint } from './support.js';

const NAME = 'expiring.example.test';
const VALIDITY_SECONDS = 45;
const RUNBOOKS = 'https://runbooks.example/portcullis';

let stack: LocalStack;
let runtime: LocalRuntime;
let inbox: AlertInbox;
let endpoint: TlsEndpoint;
let ready: CertificateView;

beforeAll(async () => {
  stack = await startLocalStack({ pebble: { validitySeconds: VALIDITY_SECONDS } });
  runtime = await startLocalRuntime(stack, {
    planIntervalMs: 500,
    monitorIntervalMs: 0,
    env: {
      [MonitorEnv.AlertFractions]: '0.5',
      [MonitorEnv.RunbookBaseUrl]: RUNBOOKS,
      [MonitorEnv.DriftGraceSeconds]: '0',
      // The CAA identity our pre-flight checks for the local CA (pebble itself checks no CAA).
      [FunctionsEnv.IssuerCaa]: 'pebble.test',
      PORTCULLIS_ACME_BACKOFF_MIN_MS: '50',
      PORTCULLIS_ACME_BACKOFF_MAX_MS: '500',
    },
  });
  inbox = await subscribeAlerts(runtime.wiring.clients, runtime.alertTopicArn, [
    'expiring',
    'unmanaged-expiring',
    'dlq-not-empty',
  ]);
  const placeholder = await createTestMaterial({ certificateId: 'placeholder', revision: 1, names: [NAME] });
  endpoint = await startTlsEndpoint({ key: placeholder.key.reveal(), chainPem: placeholder.chainPem });

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
  ready = await watchCertificate(new ApiClient(runtime.url), created.id, { until: isReady });
  // From now on the CA is forbidden for this name: renewals fail (CAA), the certificate runs out.
  await sendUpdate(stack.bind, 'example.test', stack.bind.tsig, [
    { op: 'add', name: NAME, type: 'CAA', ttl: 60, data: { flags: 0, tag: 'issue', value: 'other-ca.test' } },
  ]);
  const stored = await runtime.wiring.deps.store.getCurrent(ready.id);
  if (stored === undefined) throw new Error('test: nothing stored');
  endpoint.serve({ key: stored.key.reveal(), chainPem: stored.chainPem });
}, 90_000);

afterAll(async () => {
  await inbox?.close();
  await endpoint?.close();
  await runtime?.stop();
  await stack?.stop();
});

const utf8 = (text: string) => new TextEncoder().encode(text);
const monitorAndPoll = async () => {
  await runtime.monitorNow();
  await inbox.poll();
};
const received = (kind: string, transition: string, subject?: string) =>
  inbox.received.filter(
    (a) =>
      a.attributes.kind === kind &&
      a.attributes.transition === transition &&
      (subject === undefined || a.attributes.certificate === subject),
  );

describe('a certificate that cannot be renewed', () => {
  it('raises expiring at half its lifetime left; the alert arrives on the subscribed queue with its attributes', async () => {
    const alert = await eventually(
      'an expiring alert on the queue',
      monitorAndPoll,
      () => received('expiring', 'opened', ready.id)[0],
    );
    expect(alert.attributes).toMatchObject({ kind: 'expiring', severity: 'warning', names: NAME });
    expect(alert.subject).toContain(`[warning] expiring: ${NAME} (1/2)`);
    expect(alert.body).toContain(`runbook: ${RUNBOOKS}/docs/runbooks/expiring.md`);
    // Every place it is deployed crosses the threshold: as stored, in ACM, at the endpoint.
    await eventually('expiring alerts for ACM and the endpoint', monitorAndPoll, () => {
      const bodies = received('expiring', 'opened', ready.id).map((a) => a.body);
      const places = ['location: acm', `location: endpoint:${endpoint.host}:${endpoint.port}`];
      return places.every((p) => bodies.some((b) => b.includes(p))) ? true : undefined;
    });
  });

  it('sends nothing new when the monitor runs again (deduplicated)', async () => {
    const before = inbox.received.length;
    await runtime.monitorNow();
    await inbox.poll();
    expect(inbox.received.slice(before).filter((a) => a.attributes.certificate === ready.id)).toEqual([]);
  });

  it('raises unmanaged-expiring for an ACM certificate imported by hand; its ACM event alerts, not renews', async () => {
    const legacy = await createTestMaterial({
      certificateId: 'legacy',
      revision: 1,
      names: ['legacy.example.test'],
      notBefore: new Date(Date.now() - 86_400_000),
      validitySeconds: 6 * 86_400,
    });
    const imported = await runtime.wiring.clients.acm.send(
      new ImportCertificateCommand({
        // Self-signed: the leaf alone, no chain.
        Certificate: utf8(legacy.chainPem),
        PrivateKey: utf8(legacy.key.reveal()),
      }),
    );
    const arn = imported.CertificateArn as string;
    try {
      const alert = await eventually('an unmanaged-expiring alert on the queue', monitorAndPoll, () =>
        received('unmanaged-expiring', 'opened', arn).at(0),
      );
      expect(alert.attributes.names).toBe('legacy.example.test');
      expect(alert.body).toContain(`runbook: ${RUNBOOKS}/docs/runbooks/unmanaged-expiring.md`);
      // ACM's own daily event for it: the same alert (already open), nothing renewed, nothing sent again.
      expect(await runtime.acmExpiryNow(arn, 5)).toMatchObject({ action: 'alert' });
      await inbox.poll();
      expect(received('unmanaged-expiring', 'opened', arn)).toHaveLength(1);
    } finally {
      await runtime.wiring.clients.acm.send(new DeleteCertificateCommand({ CertificateArn: arn }));
    }
  });

  it('raises dlq-not-empty while the reconcile dead-letter queue holds a message, and resolves it when emptied', async () => {
    const { sqs } = runtime.wiring.clients;
    const redrive = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: runtime.queueUrl, AttributeNames: ['RedrivePolicy'] }),
    );
    expect(JSON.parse(redrive.Attributes?.RedrivePolicy ?? '{}')).toMatchObject({ maxReceiveCount: 5 });
    // What SQS does after maxReceiveCount failed receives, done directly: a message whose reconcile kept failing.
    await sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.deadLetterQueueUrl, MessageBody: 'poisoned-certificate' }),
    );
    const dlqName = runtime.deadLetterQueueUrl.split('/').pop() ?? '';
    const opened = await eventually('a dlq-not-empty alert on the queue', monitorAndPoll, () =>
      received('dlq-not-empty', 'opened').at(0),
    );
    expect(opened.attributes.certificate).toBe(dlqName);
    expect(opened.body).toContain(`runbook: ${RUNBOOKS}/docs/runbooks/dlq-not-empty.md`);

    const message = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: runtime.deadLetterQueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
    );
    for (const m of message.Messages ?? []) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: runtime.deadLetterQueueUrl, ReceiptHandle: m.ReceiptHandle }),
      );
    }
    await eventually('the dlq-not-empty alert resolved on the queue', monitorAndPoll, () =>
      received('dlq-not-empty', 'resolved').at(0),
    );
  });

  it('escalates to critical once ACM holds an expired certificate', async () => {
    const arn = ready.status.deliveries.acm?.location ?? '';
    let acmExpired = false;
    await eventually(
      'moto ACM to hold the certificate expired (status EXPIRED or notAfter past)',
      async () => {
        const answer = await runtime.wiring.clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
        const detail = answer.Certificate;
        acmExpired =
          detail?.Status === 'EXPIRED' || (detail?.NotAfter?.getTime() ?? Number.POSITIVE_INFINITY) < Date.now();
      },
      () => (acmExpired ? true : undefined),
      90_000,
    );
    const critical = await eventually('a critical expiring alert for ACM', monitorAndPoll, () =>
      received('expiring', 'changed', ready.id).find(
        (a) => a.attributes.severity === 'critical' && a.body.includes('location: acm') && a.body.includes('expired'),
      ),
    );
    expect(critical.subject).toContain('[critical] expiring');
    // Renewal is failing too (CAA): raised, but filtered out of this subscription.
    const failing = await runtime.monitor.deps.alerts.list(
      { state: 'open', kind: 'renewal-failing', certificateId: ready.id },
      { limit: 10 },
    );
    expect(failing.items.length).toBeGreaterThan(0);
    expect(inbox.received.filter((a) => a.attributes.kind === 'renewal-failing')).toEqual([]);
  }, 120_000);
});
