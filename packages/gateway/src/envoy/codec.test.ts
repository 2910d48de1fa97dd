import { inspect } from 'node:util';
import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { SecretSchema } from '../generated/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { buildEnvoyResources } from './build.js';
import { encodeResources, REDACTED_MARKER, resourcesToJson } from './codec.js';
import { decodeAnyStrict } from './decode.js';
import { given } from './model-fixtures.js';
import { TypeUrl } from './registry.js';

const KEY_TEXT = 'key-default/tls-01';

describe('encodeResources', () => {
  const resources = buildEnvoyResources(given.model());
  const encoded = encodeResources(resources);

  it('writes the private key into the Secret bytes, and only there', () => {
    const [secret] = encoded[TypeUrl.Secret];
    expect(secret?.resource.typeUrl).toBe(TypeUrl.Secret);
    const decoded = fromBinary(SecretSchema, secret?.resource.value ?? new Uint8Array());
    const tls = decoded.type.case === 'tlsCertificate' ? decoded.type.value : undefined;
    expect(tls?.privateKey?.specifier).toEqual({
      case: 'inlineString',
      value: given.secret('default/tls').privateKey.reveal(),
    });
    expect(resources.secrets[0]?.secret.type.value).not.toHaveProperty('privateKey.specifier.value');
  });

  it('encodes the same resources to the same bytes and versions', () => {
    const again = encodeResources(buildEnvoyResources(given.model()));
    for (const typeUrl of Object.values(TypeUrl)) {
      expect(again[typeUrl].map((r) => [r.name, r.version])).toEqual(encoded[typeUrl].map((r) => [r.name, r.version]));
    }
  });

  it('names every resource like the model object it came from', () => {
    expect(Object.fromEntries(Object.values(TypeUrl).map((t) => [t, encoded[t].map((r) => r.name)]))).toEqual({
      [TypeUrl.Listener]: ['http-80', 'https-443'],
      [TypeUrl.RouteConfiguration]: ['http-80', 'https-443'],
      [TypeUrl.Cluster]: ['default/web:80'],
      [TypeUrl.ClusterLoadAssignment]: ['default/web:80'],
      [TypeUrl.Secret]: ['default/tls'],
    });
  });

  it('prints encoded resources without their bytes', () => {
    const [secret] = encoded[TypeUrl.Secret];
    expect(JSON.stringify(secret)).toBe(
      JSON.stringify({ typeUrl: TypeUrl.Secret, name: 'default/tls', version: secret?.version, size: secret?.size }),
    );
    expect(inspect(encoded, { depth: 10 })).not.toContain(KEY_TEXT);
  });
});

describe('resourcesToJson', () => {
  const resources = buildEnvoyResources(given.model());

  it('redacts the private key but keeps the Secret complete', () => {
    const [secret] = resourcesToJson(resources).secrets;
    expect(secret).toMatchObject({
      '@type': TypeUrl.Secret,
      name: 'default/tls',
      tls_certificate: {
        certificate_chain: { inline_string: expect.stringContaining('cert-default/tls-01') },
        private_key: { inline_string: REDACTED_MARKER },
      },
    });
  });

  it('produces JSON that decodes strictly, resource by resource', () => {
    const json = resourcesToJson(resources);
    const all = [...json.listeners, ...json.routes, ...json.clusters, ...json.endpoints, ...json.secrets];
    expect(all.map((resource) => decodeAnyStrict(resource as never).typeUrl)).toEqual([
      TypeUrl.Listener,
      TypeUrl.Listener,
      TypeUrl.RouteConfiguration,
      TypeUrl.RouteConfiguration,
      TypeUrl.Cluster,
      TypeUrl.ClusterLoadAssignment,
      TypeUrl.Secret,
    ]);
  });

  it('never carries key material, whichever way the resources are printed', () => {
    expect(JSON.stringify(resourcesToJson(resources))).not.toContain(KEY_TEXT);
    expect(JSON.stringify(resources, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(KEY_TEXT);
    expect(inspect(resources, { depth: 20 })).not.toContain(KEY_TEXT);
  });
});
