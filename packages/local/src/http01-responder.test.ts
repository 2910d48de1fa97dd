import { request } from 'node:http';
import type { Http01TokenStore } from '@portcullis/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Http01Responder, MemoryHttp01TokenStore, startHttp01Responder } from './http01-responder.js';

function send(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startHttp01Responder', () => {
  const store = new MemoryHttp01TokenStore();
  let responder: Http01Responder;
  beforeAll(async () => {
    responder = await startHttp01Responder({ host: '127.0.0.1', port: 0, store });
    await store.put('abc_DEF-1', 'abc_DEF-1.thumb');
  });
  afterAll(() => responder.close());

  const cases: Record<string, { method: string; path: string; status: number; body?: string }> = {
    'answers GET for a stored token with its key authorization': {
      method: 'GET',
      path: '/.well-known/acme-challenge/abc_DEF-1',
      status: 200,
      body: 'abc_DEF-1.thumb',
    },
    'answers HEAD for a stored token without a body': {
      method: 'HEAD',
      path: '/.well-known/acme-challenge/abc_DEF-1',
      status: 200,
      body: '',
    },
    'ignores a query string': { method: 'GET', path: '/.well-known/acme-challenge/abc_DEF-1?x=1', status: 200 },
    'says 404 for an unknown token': { method: 'GET', path: '/.well-known/acme-challenge/nope', status: 404 },
    'says 404 for a path outside the challenge dir': { method: 'GET', path: '/abc_DEF-1', status: 404 },
    'says 404 for a token with characters base64url lacks': {
      method: 'GET',
      path: '/.well-known/acme-challenge/abc%2FDEF',
      status: 404,
    },
    'says 404 for POST': { method: 'POST', path: '/.well-known/acme-challenge/abc_DEF-1', status: 404 },
  };
  it.each(Object.entries(cases))('%s', async (_name, { method, path, status, body }) => {
    const res = await send(responder.port, method, path);
    expect(res.status).toBe(status);
    if (body !== undefined) expect(res.body).toBe(body);
  });

  it('stops serving a token once it is deleted', async () => {
    await store.put('gone', 'gone.thumb');
    await store.delete('gone');
    await store.delete('gone'); // deleting what is absent is success
    expect((await send(responder.port, 'GET', '/.well-known/acme-challenge/gone')).status).toBe(404);
  });
});

describe('startHttp01Responder with a failing store', () => {
  // A stand-in store: a real store that fails on demand does not exist in this package.
  const failing: Http01TokenStore = {
    put: async () => {},
    get: async () => {
      throw new Error('backend down');
    },
    delete: async () => {},
  };

  it('answers 500 so the validator reports the problem', async () => {
    const responder = await startHttp01Responder({ host: '127.0.0.1', port: 0, store: failing });
    try {
      expect((await send(responder.port, 'GET', '/.well-known/acme-challenge/abc')).status).toBe(500);
    } finally {
      await responder.close();
    }
  });
});
