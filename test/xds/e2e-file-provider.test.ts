/**
 * End to end on the local stack: `portcullis issue` gets a real certificate from pebble (DNS-01 through bind9), the
 * certificate is published as a kubernetes.io/tls Secret in a File-provider directory, the controller
 * (`runController`: File provider → translate → Envoy builders → snapshot cache → our ADS server) serves it over SDS,
 * and a TLS
 * handshake against the SDS consumer's server — verified against pebble's roots — shows the issued serial. A renewal
 * written over the same file reaches the same port without a restart.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIssue } from '@portcullis/cli';
import { type ControllerLogEvent, FileProvider, type RunningController, runController } from '@portcullis/gateway';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdsConsumerEvent, SdsTlsConsumer } from './support/sds-consumer.js';
import { httpsGatewayManifests } from './support/tls-gateway.js';
import { openTls, roundTrip, servedSerial } from './support/tls-probe.js';

const HOST = 'e2e.example.test';
const SECRET = 'default/e2e-tls';

let stack: LocalStack;
let work: string;
let controller: RunningController | undefined;
let sds: SdsTlsConsumer | undefined;
const controllerLog: ControllerLogEvent[] = [];

beforeAll(async () => {
  stack = await startLocalStack();
  work = await mkdtemp(join(tmpdir(), 'portcullis-xds-e2e-'));
});

afterAll(async () => {
  await sds?.close();
  await controller?.stop();
  await stack?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** Issues a certificate for HOST with the CLI; returns the PEM files' content and the leaf serial. */
async function issue(round: string) {
  const out = join(work, `issued-${round}`);
  const issued = await runIssue(
    { name: [HOST], challenge: 'dns-01', dns: 'rfc2136', key: 'ec-p256', out },
    { out: () => {}, env: { ...stack.env(), PORTCULLIS_STATE_DIR: join(work, 'cli-state') }, localBind: stack.bind },
  );
  const certificatePem = await readFile(join(out, 'fullchain.pem'), 'utf8');
  const keyPem = await readFile(join(out, 'privkey.pem'), 'utf8');
  const serialNumber = new X509Certificate(certificatePem).serialNumber;
  // The CLI reports lower-case hex without leading zeros; Node upper-case with them.
  expect(serialNumber.toLowerCase().replace(/^0+/, '')).toBe(issued.serial.replace(/^0+/, ''));
  return { certificatePem, keyPem, serialNumber };
}

/** Publishes the Secret the way a user or the kube target would: one manifest file, replaced atomically. */
async function publish(directory: string, material: { certificatePem: string; keyPem: string }) {
  const staged = join(work, 'staged.yaml');
  await writeFile(staged, httpsGatewayManifests(HOST, 'e2e-tls', material));
  await rename(staged, join(directory, 'gateway.yaml'));
}

const installed = (serialNumber: string) => (event: SdsConsumerEvent) =>
  event.kind === 'ack' && event.secrets.some((s) => s.name === SECRET && s.serialNumber === serialNumber);

describe('issued certificate → File provider → SDS → TLS', () => {
  it('serves the issued serial over a verified handshake, and the renewal on the same port', async () => {
    const manifests = join(work, 'manifests');
    await mkdir(manifests);
    const first = await issue('first');
    await publish(manifests, first);

    controller = await runController({
      provider: new FileProvider({ directory: manifests, debounceMs: 50, onProblems: () => {} }),
      xds: { host: '127.0.0.1', port: 0, debounceMs: 0 },
      translate: { addresses: [{ type: 'IPAddress', value: '127.0.0.1' }] },
      log: (event) => controllerLog.push(event),
    });
    const serverAddress = `127.0.0.1:${controller.server.port}`;
    sds = SdsTlsConsumer.start({ serverAddress, nodeId: 'envoy-e2e', secretNames: [SECRET] });
    await sds.waitFor(installed(first.serialNumber), 'the issued certificate over SDS', 30_000);

    const roots = await stack.pebble.roots();
    const port = sds.port;
    // Full verification: pebble's chain up to its root, for the issued name.
    const open = await openTls(port, { servername: HOST, ca: roots });
    expect(open.serialNumber).toBe(first.serialNumber);
    expect(open.socket.authorized).toBe(true);

    const renewed = await issue('renewal');
    expect(renewed.serialNumber).not.toBe(first.serialNumber);
    await publish(manifests, renewed);
    await sds.waitFor(installed(renewed.serialNumber), 'the renewed certificate over SDS', 30_000);

    expect(sds.port).toBe(port);
    expect(await servedSerial(port, { servername: HOST, ca: roots })).toBe(renewed.serialNumber);
    expect(await roundTrip(open.socket, 'still here')).toBe('still here');
    open.socket.end();
    expect(sds.events.filter((e) => e.kind === 'nack')).toEqual([]);
    expect(controllerLog).toEqual([]);
    // Status as the controller computed it: the Gateway is programmed and nothing is rejected.
    await controller.settled();
    const gateway = controller.status().find((u) => u.key === 'Gateway/default/web');
    expect(gateway?.kind === 'Gateway' && gateway.status.conditions.find((c) => c.type === 'Programmed')).toMatchObject(
      {
        status: 'True',
      },
    );
  });
});
