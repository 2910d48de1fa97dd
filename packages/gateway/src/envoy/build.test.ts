import { describe, expect, it } from 'vitest';
import type { GatewayModel } from '../model/types.js';
import { buildEnvoyResources } from './build.js';
import type { EncodedResources } from './codec.js';
import { encodeResources } from './codec.js';
import { given } from './model-fixtures.js';
import { TypeUrl } from './registry.js';

/** Type URL → names of the resources whose bytes differ between two encodings. */
function changed(before: EncodedResources, after: EncodedResources): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const typeUrl of Object.values(TypeUrl)) {
    const old = new Map(before[typeUrl].map((r) => [r.name, r.version]));
    const names = after[typeUrl].filter((r) => old.get(r.name) !== r.version).map((r) => r.name);
    if (names.length > 0 || after[typeUrl].length !== before[typeUrl].length) out[typeUrl] = names;
  }
  return out;
}

const encode = (model: GatewayModel) => encodeResources(buildEnvoyResources(model));

describe('buildEnvoyResources', () => {
  it('builds one resource per model object, in model order', () => {
    const resources = buildEnvoyResources(given.model());
    expect({
      listeners: resources.listeners.map((r) => r.name),
      routes: resources.routes.map((r) => r.name),
      clusters: resources.clusters.map((r) => r.name),
      endpoints: resources.endpoints.map((r) => r.clusterName),
      secrets: resources.secrets.map((r) => r.name),
    }).toEqual({
      listeners: ['http-80', 'https-443'],
      routes: ['http-80', 'https-443'],
      clusters: ['default/web:80'],
      endpoints: ['default/web:80'],
      secrets: ['default/tls'],
    });
  });

  it('emits trust bundles as key-less Secrets, sorted with the certificate Secrets, and encodes them', () => {
    const model: GatewayModel = {
      ...given.model(),
      trustBundles: [{ name: 'backendtlspolicy/default/web', trustedCa: 'ca-pem' }],
    };
    const resources = buildEnvoyResources(model);
    expect(resources.secrets.map((s) => [s.name, s.secret.type.case, s.privateKey === undefined])).toEqual([
      ['backendtlspolicy/default/web', 'validationContext', true],
      ['default/tls', 'tlsCertificate', false],
    ]);
    expect(encodeResources(resources)[TypeUrl.Secret].map((r) => r.name)).toEqual([
      'backendtlspolicy/default/web',
      'default/tls',
    ]);
  });

  it('changes only the Secret when a certificate rotates (no listener, route or cluster churn)', () => {
    expect(changed(encode(given.model('a.example.com', '01')), encode(given.model('a.example.com', '02')))).toEqual({
      [TypeUrl.Secret]: ['default/tls'],
    });
  });

  it('changes only the ClusterLoadAssignment when endpoints change', () => {
    const before = given.model();
    const after: GatewayModel = {
      ...before,
      clusters: [given.cluster('default/web:80', { endpoints: [{ address: '10.0.0.9', port: 8080 }] })],
    };
    expect(changed(encode(before), encode(after))).toEqual({ [TypeUrl.ClusterLoadAssignment]: ['default/web:80'] });
  });

  it('changes nothing when nothing changed', () => {
    expect(changed(encode(given.model()), encode(given.model()))).toEqual({});
  });

  it('writes PathPrefix matches in the requested style', () => {
    const model = given.model();
    const withPrefix: GatewayModel = {
      ...model,
      routeConfigs: [
        given.routeConfig('http-80', [
          given.virtualHost('a', [
            given.route('r', { match: given.match({ path: { type: 'PathPrefix', value: '/x' } }) }),
          ]),
        ]),
      ],
    };
    const split = buildEnvoyResources(withPrefix, { pathPrefixStyle: 'exact-and-slash-prefix' });
    expect(split.routes[0]?.virtualHosts[0]?.routes.map((r) => r.match?.pathSpecifier)).toEqual([
      { case: 'path', value: '/x' },
      { case: 'prefix', value: '/x/' },
    ]);
  });
});
