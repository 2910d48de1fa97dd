import { GetChangeCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { createAwsClients, route53ClientForZone } from './clients.js';

// Unit tests without network: a middleware placed after signing records the outgoing request and answers it.

interface SeenRequest {
  hostname: string;
  port: number | undefined;
  protocol: string;
  authorization: string;
}

interface FakeRequest {
  hostname: string;
  port?: number;
  protocol: string;
  headers: Record<string, string>;
}

/** Structural view of any SDK client's middleware stack, enough to add one finalizeRequest middleware. */
interface InterceptableClient {
  middlewareStack: {
    add(
      middleware: () => (args: never) => Promise<unknown>,
      options: { step: 'finalizeRequest'; name: string; priority: 'low' },
    ): void;
  };
}

function interceptRequests(client: InterceptableClient): SeenRequest[] {
  const seen: SeenRequest[] = [];
  client.middlewareStack.add(
    () => async (args) => {
      const { request } = args as { request: FakeRequest };
      seen.push({
        hostname: request.hostname,
        port: request.port,
        protocol: request.protocol,
        authorization: request.headers.authorization ?? '',
      });
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'finalizeRequest', name: 'intercept', priority: 'low' },
  );
  return seen;
}

describe('createAwsClients', () => {
  it('creates each client on first use and then returns the same one', () => {
    const clients = createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:5000' });
    expect(clients.route53).toBeInstanceOf(Route53Client);
    expect(clients.route53).toBe(clients.route53);
    expect(clients.sts).toBe(clients.sts);
    clients.destroy();
  });

  it('sends every service to the endpoint override, signed with local keys when none are given', async () => {
    const clients = createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:5000/' });
    const route53 = interceptRequests(clients.route53);
    const sts = interceptRequests(clients.sts);
    await clients.route53.send(new GetChangeCommand({ Id: 'C1' }));
    await clients.sts.send(new GetCallerIdentityCommand({}));
    for (const seen of [...route53, ...sts]) {
      expect(seen).toMatchObject({ hostname: '127.0.0.1', port: 5000, protocol: 'http:' });
      expect(seen.authorization).toContain('Credential=portcullis-local/');
    }
    expect(route53.length + sts.length).toBe(2);
    clients.destroy();
  });

  it('signs with the given credentials', async () => {
    const clients = createAwsClients({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:5000',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' },
    });
    const seen = interceptRequests(clients.route53);
    await clients.route53.send(new GetChangeCommand({ Id: 'C1' }));
    expect(seen[0]?.authorization).toContain('Credential=AKIAEXAMPLE/');
    clients.destroy();
  });

  it('leaves Route53 retries to the provider, so each one passes the shared throttle', async () => {
    const clients = createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:5000' });
    expect(await clients.route53.config.maxAttempts()).toBe(1);
    clients.destroy();
  });

  it('gives a zone with a role the clients of that role, cached per role', () => {
    const clients = createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:5000' });
    const forZone = route53ClientForZone(clients, { sessionName: 'portcullis-dns' });
    const role = { roleArn: 'arn:aws:iam::210987654321:role/dns', externalId: 'tenant-42' };
    expect(forZone()).toBe(clients.route53);
    expect(forZone({})).toBe(clients.route53);
    expect(forZone(role)).not.toBe(clients.route53);
    expect(forZone(role)).toBe(forZone({ ...role }));
    expect(forZone({ ...role, externalId: 'other' })).not.toBe(forZone(role));
    clients.destroy();
  });

  const invalidCases: Record<string, { config: Record<string, unknown>; field: string }> = {
    'a missing region': { config: {}, field: 'aws.region' },
    'a region that is not a region name': { config: { region: 'US East' }, field: 'aws.region' },
    'an endpoint that is not a URL': {
      config: { region: 'us-east-1', endpoint: '127.0.0.1:5000' },
      field: 'aws.endpoint',
    },
    'an endpoint with another scheme': {
      config: { region: 'us-east-1', endpoint: 'ftp://127.0.0.1' },
      field: 'aws.endpoint',
    },
    'credentials without a secret': {
      config: { region: 'us-east-1', credentials: { accessKeyId: 'a' } },
      field: 'aws.credentials',
    },
    'an unknown option': { config: { region: 'us-east-1', endpointUrl: 'http://x' }, field: 'aws.endpointUrl' },
  };
  it.each(Object.entries(invalidCases))('refuses %s', (_name, { config, field }) => {
    const attempt = () => createAwsClients(config as never);
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(expect.objectContaining({ field }));
  });
});
