import { describe, expect, it } from 'vitest';
import { toApiGatewayEvent } from './http-bridge.js';

const PRINCIPAL = 'arn:aws:iam::111111111111:role/deployer';

describe('toApiGatewayEvent', () => {
  const cases: Record<string, { url: string; path: string; raw: string; query?: Record<string, string> }> = {
    'keeps a path without a query as it is': { url: '/certificates/abc', path: '/certificates/abc', raw: '' },
    'splits the query into raw and parsed parameters': {
      url: '/certificates?ready=true&limit=5',
      path: '/certificates',
      raw: 'ready=true&limit=5',
      query: { ready: 'true', limit: '5' },
    },
    'joins a repeated parameter with commas as API Gateway does': {
      url: '/certificates?name=a&name=b',
      path: '/certificates',
      raw: 'name=a&name=b',
      query: { name: 'a,b' },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { url, path, raw, query }) => {
    const event = toApiGatewayEvent({ method: 'GET', url, headers: {} }, PRINCIPAL);
    expect(event.rawPath).toBe(path);
    expect(event.rawQueryString).toBe(raw);
    expect(event.queryStringParameters).toEqual(query);
  });

  it('carries the configured principal in the IAM request context', () => {
    const event = toApiGatewayEvent({ method: 'POST', url: '/certificates', headers: {}, body: '{}' }, PRINCIPAL);
    expect(event.requestContext.authorizer.iam).toMatchObject({ userArn: PRINCIPAL, accountId: '111111111111' });
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.body).toBe('{}');
  });
});
