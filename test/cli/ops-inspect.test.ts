/**
 * `portcullis inspect` against real things: a certificate really issued by the local pebble (leaf + intermediate,
 * pebble's root fetched after start), served by a Node TLS server, imported into moto ACM, stored in moto Secrets
 * Manager in the store's and the export's formats, and written to a file. The private key must never appear.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { AddTagsToCertificateCommand, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { generatePrivateKey } from '@portcullis/acme';
import { createAwsClients } from '@portcullis/aws';
import { runInspect } from '@portcullis/cli';
import { KeyType } from '@portcullis/core';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueFromPebble, recordingIo } from './ops-support.js';

let stack: LocalStack;
let work: string;
let issued: { chainPem: string; keyPem: string; rootPem: string };
let rootFile: string;
const NAME = 'inspect.example.test';

beforeAll(async () => {
  stack = await startLocalStack({});
  work = await mkdtemp(join(tmpdir(), 'portcullis-inspect-'));
  issued = await issueFromPebble(stack, [NAME]);
  rootFile = join(work, 'root.pem');
  await writeFile(rootFile, issued.rootPem);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const keyBody = () => issued.keyPem.split('\n')[1] as string;

function awsEnv() {
  return { PORTCULLIS_AWS_ENDPOINT: stack.moto?.endpoint as string, PORTCULLIS_AWS_REGION: 'us-east-1' };
}

async function inspect(target: string, flags: Parameters<typeof runInspect>[1] = {}) {
  const io = recordingIo(awsEnv());
  await runInspect(target, flags, io);
  expect(io.text()).not.toContain(keyBody());
  expect(io.stderr.join('\n')).not.toContain(keyBody());
  return io;
}

describe('inspect a file', () => {
  it('verifies the chain to a --ca root and reports that the key matches, without printing it', async () => {
    const file = join(work, 'bundle.pem');
    await writeFile(file, `${issued.chainPem}\n${issued.keyPem}`, { mode: 0o600 });
    const io = await inspect(file, { ca: [rootFile] });
    expect(io.exitCode()).toBe(0);
    expect(io.text()).toContain('certificate 0 (leaf)');
    expect(io.text()).toContain('certificate 1 (intermediate)');
    expect(io.text()).toMatch(/✔ chain +signed link by link, ends in the trusted root/);
    expect(io.text()).toMatch(/✔ key +a private key is present and matches the leaf/);
    expect(io.text()).toContain(`names       ${NAME}`);
    expect(io.text()).toContain('key         EC P-256');
  });

  it('warns (exit 0) when the root is not trusted, fails (exit 1) on a key of another certificate', async () => {
    const other = await generatePrivateKey(KeyType.EcP256);
    const file = join(work, 'mismatch.pem');
    await writeFile(file, `${issued.chainPem}\n${other.reveal()}`, { mode: 0o600 });
    const io = await inspect(file);
    expect(io.text()).toMatch(/! chain +signed link by link, but .* is not a trusted root here/);
    expect(io.text()).toMatch(/✖ key +a private key is present but does NOT match the leaf/);
    expect(io.text()).not.toContain(other.reveal().split('\n')[1] as string);
    expect(io.exitCode()).toBe(1);
  });

  it('fails a chain whose links are out of order', async () => {
    const [leaf, intermediate] =
      issued.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const file = join(work, 'reversed.pem');
    await writeFile(file, `${intermediate}\n${leaf}\n`);
    const io = await inspect(file, { ca: [rootFile] });
    expect(io.exitCode()).toBe(1);
    expect(io.text()).toMatch(/✖ chain +chain\[0\]: .* is not signed by/);
  });
});

describe('inspect a TLS endpoint', () => {
  it('reads the served chain with SNI and checks the name', async () => {
    const server = tls.createServer({ cert: issued.chainPem, key: issued.keyPem });
    server.on('secureConnection', (socket) => socket.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      const good = await inspect(`127.0.0.1:${port}`, { sni: NAME, ca: [rootFile] });
      expect(good.exitCode()).toBe(0);
      expect(good.text()).toContain(`TLS endpoint 127.0.0.1:${port} (SNI ${NAME})`);
      expect(good.text()).toMatch(/✔ monitor view +the monitor's probe sees serial [0-9a-f]+/);
      expect(good.text()).toMatch(new RegExp(`✔ name +the leaf covers ${NAME.replaceAll('.', '\\.')}`));
      expect(good.text()).toContain('certificates sent  2');

      const wrong = await inspect(`127.0.0.1:${port}`, { sni: 'other.example.test', ca: [rootFile] });
      expect(wrong.exitCode()).toBe(1);
      expect(wrong.text()).toMatch(/✖ name +the leaf does not cover other\.example\.test/);
    } finally {
      server.close();
    }
  });

  it('fails with the endpoint named when nothing listens', async () => {
    const io = recordingIo(awsEnv());
    await expect(runInspect('127.0.0.1:9', {}, io)).rejects.toThrow(/127\.0\.0\.1:9.*(ECONNREFUSED|connection failed)/);
  });
});

describe('inspect AWS', () => {
  it('describes an ACM certificate with its Portcullis tags and checks the serial against the PEM', async () => {
    const clients = createAwsClients({ region: 'us-east-1', endpoint: stack.moto?.endpoint as string });
    try {
      const [leaf, ...rest] =
        issued.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      const imported = await clients.acm.send(
        new ImportCertificateCommand({
          Certificate: Buffer.from(leaf as string),
          CertificateChain: Buffer.from(rest.join('\n')),
          PrivateKey: Buffer.from(issued.keyPem),
        }),
      );
      const arn = imported.CertificateArn as string;
      await clients.acm.send(
        new AddTagsToCertificateCommand({
          CertificateArn: arn,
          Tags: [{ Key: 'portcullis:certificate-id', Value: 'cert-inspect' }],
        }),
      );
      const io = await inspect(arn, { ca: [rootFile] });
      expect(io.text()).toContain(`ACM certificate ${arn}`);
      expect(io.text()).toMatch(/certificate id +cert-inspect/);
      expect(io.text()).toMatch(/✔ acm status +ISSUED/);
      expect(io.text()).toMatch(/✔ serial +ACM serial and the PEM leaf agree/);
      expect(io.text()).toMatch(/key algorithm +EC_prime256v1/);
      expect(io.text()).toContain('certificate 1 (intermediate)');
      // moto appends an "Amazon" intermediate of its own to GetCertificate's CertificateChain (real ACM returns the
      // chain as imported): reported as a stray certificate, and the chain is judged without it.
      expect(io.text()).toMatch(/! extra certificates +chain\[2\] C=US, O=Amazon.* signs nothing before it/);
      expect(io.text()).toMatch(/✔ chain +signed link by link, ends in the trusted root .*Pebble Root/);
    } finally {
      clients.destroy();
    }
  });

  it('reads a secret in the certificate store format and in the PEM export format, never printing the key', async () => {
    const clients = createAwsClients({ region: 'us-east-1', endpoint: stack.moto?.endpoint as string });
    try {
      const stored = JSON.stringify({
        format: 'portcullis.certificate/v1',
        revision: 1,
        privateKey: issued.keyPem,
        chainPem: issued.chainPem,
      });
      await clients.secretsManager.send(
        new CreateSecretCommand({
          Name: 'inspect/store',
          SecretString: stored,
          Tags: [{ Key: 'portcullis:certificate-id', Value: 'cert-inspect' }],
        }),
      );
      await clients.secretsManager.send(
        new CreateSecretCommand({ Name: 'inspect/export', SecretString: `${issued.chainPem}\n${issued.keyPem}` }),
      );
      for (const name of ['inspect/store', 'inspect/export']) {
        const io = await inspect(`secret:${name}`, { ca: [rootFile] });
        expect(io.exitCode(), name).toBe(0);
        expect(io.text()).toContain(`secret ${name}`);
        expect(io.text()).toMatch(/private key +present \(not shown\)/);
        expect(io.text()).toMatch(/✔ key +a private key is present and matches the leaf/);
      }
      const keyOnly = JSON.stringify({ format: 'portcullis.certificate/v1', revision: 2, privateKey: issued.keyPem });
      await clients.secretsManager.send(new CreateSecretCommand({ Name: 'inspect/key-only', SecretString: keyOnly }));
      await expect(runInspect('secret:inspect/key-only', {}, recordingIo(awsEnv()))).rejects.toThrow(
        'secrets manager: inspect/key-only: the current version holds no certificate (only a key: not promoted yet)',
      );
    } finally {
      clients.destroy();
    }
  });
});
