/**
 * A real Node TLS server fed by our SDS (Secrets over ADS): certificate rotation reaches new handshakes on the same
 * port while an open connection keeps working, and a Secret whose key does not match its certificate is NACKed —
 * the server records the rejection and the consumer keeps serving the previous certificate.
 */
import { X509Certificate } from 'node:crypto';
import { TypeUrl } from '@portcullis/gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SdsConsumerEvent, SdsTlsConsumer } from './support/sds-consumer.js';
import {
  encodeManifests,
  encodeSecretOnly,
  httpsGatewayManifests,
  type TestCertificate,
  testCertificate,
} from './support/tls-gateway.js';
import { openTls, roundTrip, servedSerial } from './support/tls-probe.js';
import { nextAck, nextNack, startXdsHarness, type XdsHarness } from './support/xds-harness.js';

const HOST = 'a.example.com';
const SECRET = 'default/a-tls';

let xds: XdsHarness;
const consumers: SdsTlsConsumer[] = [];

beforeAll(async () => {
  xds = await startXdsHarness();
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.close()));
});

afterAll(async () => {
  await xds?.close();
});

const serialOf = (certificate: TestCertificate) => new X509Certificate(certificate.certificatePem).serialNumber;

function consumer(nodeId: string): SdsTlsConsumer {
  const started = SdsTlsConsumer.start({ serverAddress: xds.address, nodeId, secretNames: [SECRET] });
  consumers.push(started);
  return started;
}

const installed = (serial: string) => (event: SdsConsumerEvent) =>
  event.kind === 'ack' && event.secrets.some((s) => s.name === SECRET && s.serialNumber === serial);

describe('SDS consumer with a real TLS server', () => {
  it('rotates to the new serial on the same port while an open connection survives', async () => {
    const [v1, v2] = await Promise.all([testCertificate('sds-rotation-v1'), testCertificate('sds-rotation-v2')]);
    xds.cache.setSnapshot('rotation', encodeManifests(httpsGatewayManifests(HOST, 'a-tls', v1)));
    const sds = consumer('rotation');
    await sds.waitFor(installed(serialOf(v1)), 'the first certificate');
    const port = sds.port;

    const open = await openTls(port, { servername: HOST });
    expect(open.serialNumber).toBe(serialOf(v1));
    expect(await roundTrip(open.socket, 'before rotation')).toBe('before rotation');

    // The rotation through the whole pipeline changes the Secret and nothing else.
    const change = xds.cache.setSnapshot('rotation', encodeManifests(httpsGatewayManifests(HOST, 'a-tls', v2)));
    expect(change.changedTypes).toEqual([TypeUrl.Secret]);
    await sds.waitFor(installed(serialOf(v2)), 'the rotated certificate');

    expect(sds.port).toBe(port);
    expect(await servedSerial(port, { servername: HOST })).toBe(serialOf(v2));
    // Clients without SNI get the rotated default certificate too.
    expect(await servedSerial(port)).toBe(serialOf(v2));
    // The connection opened before the rotation is still up, still on its certificate, and still carries data.
    expect(open.socket.destroyed).toBe(false);
    expect(open.socket.getPeerCertificate().serialNumber).toBe(serialOf(v1));
    expect(await roundTrip(open.socket, 'after rotation')).toBe('after rotation');
    open.socket.end();
    expect(sds.events.filter((e) => e.kind === 'nack')).toEqual([]);
  });

  it('NACKs a key that does not match its certificate and keeps serving the old one until a good one arrives', async () => {
    const [good, other, next] = await Promise.all([
      testCertificate('sds-nack-good'),
      testCertificate('sds-nack-other'),
      testCertificate('sds-nack-next'),
    ]);
    xds.cache.setSnapshot('mismatch', encodeSecretOnly(SECRET, good));
    const sds = consumer('mismatch');
    await sds.waitFor(installed(serialOf(good)), 'the good certificate');
    const acceptedVersion = sds.acceptedVersion;

    const serverNack = nextNack(xds.cache, (e) => e.nodeId === 'mismatch', 'the server to record the NACK');
    const mismatched = { certificatePem: next.certificatePem, keyPem: other.keyPem };
    xds.cache.setSnapshot('mismatch', encodeSecretOnly(SECRET, mismatched));
    const nack = await sds.waitFor((e) => e.kind === 'nack', 'the consumer to reject the mismatched Secret');
    expect(nack).toMatchObject({ kind: 'nack', errorDetail: expect.stringContaining('does not match') });

    const recorded = await serverNack;
    expect(recorded).toMatchObject({
      typeUrl: TypeUrl.Secret,
      resourceNames: [SECRET],
      lastGoodVersion: acceptedVersion,
    });
    expect(recorded.errorDetail).toContain(SECRET);
    expect(recorded.errorDetail).not.toContain('PRIVATE KEY');
    expect(xds.cache.rejections()).toContainEqual(
      expect.objectContaining({ nodeId: 'mismatch', typeUrl: TypeUrl.Secret, resourceName: SECRET }),
    );
    expect(await servedSerial(sds.port, { servername: HOST })).toBe(serialOf(good));

    const cleared = nextAck(
      xds.cache,
      (e) => e.nodeId === 'mismatch' && e.typeUrl === TypeUrl.Secret && e.clearedResourceNames.includes(SECRET),
      'the ACK that clears the rejection',
    );
    xds.cache.setSnapshot('mismatch', encodeSecretOnly(SECRET, next));
    await sds.waitFor(installed(serialOf(next)), 'the fixed certificate');
    await cleared;
    expect(xds.cache.rejections().filter((r) => r.nodeId === 'mismatch')).toEqual([]);
    expect(await servedSerial(sds.port, { servername: HOST })).toBe(serialOf(next));
    // One rejection, never re-sent in a loop.
    expect(sds.events.filter((e) => e.kind === 'nack')).toHaveLength(1);
  });
});
