import type { JsonValue } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { decodeAnyStrict, decodeStrict, firstDifference } from './decode.js';
import { EnvoyDecodeError, EnvoyUnknownTypeError } from './errors.js';
import { TypeUrl } from './registry.js';

const CLUSTER = {
  '@type': TypeUrl.Cluster,
  name: 'default/web:80',
  type: 'EDS',
  eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } },
};

const ROUTER = { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' };
const hcmListener = (hcm: Record<string, JsonValue>): JsonValue => ({
  name: 'http-80',
  address: { socket_address: { address: '0.0.0.0', port_value: 80 } },
  filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcm }] }],
});
const HCM_TYPE =
  'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const VALID_HCM = {
  '@type': HCM_TYPE,
  stat_prefix: 'http-80',
  rds: { config_source: { ads: {}, resource_api_version: 'V3' }, route_config_name: 'http-80' },
  http_filters: [{ name: 'envoy.filters.http.router', typed_config: ROUTER }],
};

const rejected: Record<string, { typeUrl: string; json: JsonValue; error: RegExp }> = {
  'rejects an unknown field': {
    typeUrl: TypeUrl.Cluster,
    json: { ...CLUSTER, health_checkz: [] },
    error: /key "health_checkz" is unknown/,
  },
  'rejects an enum name Envoy does not define': {
    typeUrl: TypeUrl.Cluster,
    json: { ...CLUSTER, lb_policy: 'FASTEST' },
    error: /cannot decode enum .*LbPolicy from JSON: "FASTEST"/,
  },
  'rejects a duration protobuf-es would accept but is not canonical ("30sec")': {
    typeUrl: TypeUrl.Cluster,
    json: { ...CLUSTER, connect_timeout: '30sec' },
    error: /not canonical proto JSON at \$\.connect_timeout \("30sec" vs "30s"\)/,
  },
  'rejects an unknown field inside a typed_config': {
    typeUrl: TypeUrl.Listener,
    json: hcmListener({ ...VALID_HCM, strip_ports: true }),
    error: /key "strip_ports" is unknown/,
  },
  'rejects a typed_config whose @type is not a generated type': {
    typeUrl: TypeUrl.Listener,
    json: hcmListener({ ...VALID_HCM, '@type': 'type.googleapis.com/envoy.Nope' }),
    error: /envoy\.Nope/,
  },
  'rejects a resource whose @type names another type': {
    typeUrl: TypeUrl.Listener,
    json: CLUSTER,
    error: /"@type" is ".*Cluster", expected .*Listener/,
  },
  "rejects what Envoy's validation rules refuse (empty stat_prefix)": {
    typeUrl: TypeUrl.Listener,
    json: hcmListener({ '@type': HCM_TYPE, http_filters: VALID_HCM.http_filters }),
    error: /typed_config<.*HttpConnectionManager>\.stat_prefix: string\.min_len = 1/,
  },
  'rejects a mix of snake_case and camelCase names': {
    typeUrl: TypeUrl.Cluster,
    json: { ...CLUSTER, lbPolicy: 'MAGLEV', eds_cluster_config: CLUSTER.eds_cluster_config },
    error: /not canonical/,
  },
};

const accepted: Record<string, { typeUrl: string; json: JsonValue }> = {
  'accepts a canonical resource with @type': { typeUrl: TypeUrl.Cluster, json: CLUSTER },
  'accepts a canonical resource without @type': {
    typeUrl: 'envoy.config.cluster.v3.Cluster',
    json: { name: 'a', type: 'EDS', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } } },
  },
  'accepts canonical camelCase JSON': {
    typeUrl: TypeUrl.Cluster,
    json: { name: 'a', type: 'EDS', edsClusterConfig: { edsConfig: { ads: {}, resourceApiVersion: 'V3' } } },
  },
  'accepts a listener whose connection manager is typed and valid': {
    typeUrl: TypeUrl.Listener,
    json: hcmListener(VALID_HCM),
  },
};

describe('decodeStrict', () => {
  it.each(Object.entries(rejected))('%s', (_name, { typeUrl, json, error }) => {
    expect(() => decodeStrict(typeUrl, json)).toThrow(EnvoyDecodeError);
    expect(() => decodeStrict(typeUrl, json)).toThrow(error);
  });

  it.each(Object.entries(accepted))('%s', (_name, { typeUrl, json }) => {
    expect(decodeStrict(typeUrl, json).$typeName).toBe(typeUrl.replace('type.googleapis.com/', ''));
  });

  it('accepts non-canonical JSON when asked to', () => {
    const message = decodeStrict(TypeUrl.Cluster, { ...CLUSTER, connect_timeout: '30sec' }, { canonical: false });
    expect(message).toMatchObject({ connectTimeout: { seconds: 30n } });
  });

  it('refuses a type that is not generated', () => {
    expect(() => decodeStrict('type.googleapis.com/envoy.config.rbac.v3.RBAC', {})).toThrow(EnvoyUnknownTypeError);
  });

  it('never echoes a private key value in its error', () => {
    const certificate = { inline_string: 'CERT' };
    const cases: JsonValue[] = [
      // Not canonical: camelCase inside a snake_case document, right at the key.
      {
        name: 'default/tls',
        tls_certificate: { certificate_chain: certificate, private_key: { inlineString: 'KEY-1' } },
      },
      // Canonical but invalid for Envoy: no certificate chain.
      { name: 'default/tls', tls_certificate: { private_key: { inline_string: 'KEY-1' }, certificate_chain: {} } },
      // Unknown field next to the key.
      { name: 'default/tls', tls_certificate: { private_key: { inline_string: 'KEY-1', bogus: 1 } } },
    ];
    for (const json of cases) {
      expect(() => decodeStrict(TypeUrl.Secret, json)).toThrow(EnvoyDecodeError);
      expect(() => decodeStrict(TypeUrl.Secret, json)).not.toThrow(/KEY-1/);
    }
  });
});

describe('decodeAnyStrict', () => {
  it('decodes by the JSON @type', () => {
    expect(decodeAnyStrict(CLUSTER).typeUrl).toBe(TypeUrl.Cluster);
  });

  it('requires an @type', () => {
    expect(() => decodeAnyStrict({ name: 'a' })).toThrow(/missing "@type"/);
  });
});

describe('firstDifference', () => {
  const cases: Record<string, { a: JsonValue; b: JsonValue; want: string | undefined }> = {
    'finds none in deep-equal values whatever the key order': {
      a: { x: [1, { y: 2 }], z: 1 },
      b: { z: 1, x: [1, { y: 2 }] },
      want: undefined,
    },
    'names the first differing path': { a: { x: [1, { y: 2 }] }, b: { x: [1, { y: 3 }] }, want: '$.x[1].y (2 vs 3)' },
    'names a missing key': { a: { x: 1 }, b: {}, want: '$.x (1 vs absent)' },
    'hides values under private_key': {
      a: { private_key: { inline_string: 'k1' } },
      b: { private_key: { inline_string: 'k22' } },
      want: '$.private_key.inline_string (string of 4 chars vs string of 5 chars)',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { a, b, want }) => {
    expect(firstDifference(a, b, '')).toBe(want);
  });
});
