import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeInputHash, GENERATED_DIR, hashGeneratedFiles, readStamp, readToolVersions } from './stamp.js';

// Fails when src/generated no longer matches what `npm run gen:protos` would produce from the current config,
// tool versions and protos — without running buf (see stamp.ts).
describe('generated Envoy code', () => {
  const stamp = readStamp();

  it('was generated with the installed protos and tools', () => {
    expect(readToolVersions()).toEqual(stamp.versions);
  });

  it('was generated from the current buf.gen.yaml and workspace definition (else run npm run gen:protos)', () => {
    expect(computeInputHash(stamp.versions)).toBe(stamp.inputHash);
  });

  it('has not been edited, added to or pruned by hand since it was generated', () => {
    expect(hashGeneratedFiles()).toEqual(stamp.files);
  });

  it('holds the resource, bootstrap and discovery types the controller needs', () => {
    const needed = [
      'envoy/config/listener/v3/listener_pb.ts',
      'envoy/config/route/v3/route_pb.ts',
      'envoy/config/cluster/v3/cluster_pb.ts',
      'envoy/config/endpoint/v3/endpoint_pb.ts',
      'envoy/config/bootstrap/v3/bootstrap_pb.ts',
      'envoy/extensions/transport_sockets/tls/v3/secret_pb.ts',
      'envoy/extensions/upstreams/http/v3/http_protocol_options_pb.ts',
      'envoy/service/discovery/v3/ads_pb.ts',
      'envoy/service/discovery/v3/discovery_pb.ts',
    ];
    expect(needed.filter((file) => !existsSync(join(GENERATED_DIR, file)))).toEqual([]);
  });
});
