import type { DescMessage, Message } from '@bufbuild/protobuf';
import { create } from '@bufbuild/protobuf';
import { AnySchema, durationFromMs } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { type Cluster_LbPolicy, ClusterSchema } from '../generated/envoy/config/cluster/v3/cluster_pb.js';
import { FilterSchema } from '../generated/envoy/config/listener/v3/listener_components_pb.js';
import {
  DirectResponseActionSchema,
  RetryPolicySchema,
  RouteMatchSchema,
  RouteSchema,
  VirtualHostSchema,
} from '../generated/envoy/config/route/v3/route_components_pb.js';
import { HttpConnectionManagerSchema } from '../generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import { typedConfig } from './common.js';
import type { PgvViolation } from './pgv.js';
import { validatePgv } from './pgv.js';

const HCM_PATH = 'typed_config<envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager>';

const cases: Record<string, { schema: DescMessage; message: Message; want: PgvViolation[] }> = {
  'refuses a path_separated_prefix ending in a slash (string.pattern)': {
    schema: RouteMatchSchema,
    message: create(RouteMatchSchema, { pathSpecifier: { case: 'pathSeparatedPrefix', value: '/foo/' } }),
    want: [{ path: 'path_separated_prefix', rule: 'string.pattern = ^[^?#]+[^?#/]$' }],
  },
  'accepts a path_separated_prefix without a trailing slash': {
    schema: RouteMatchSchema,
    message: create(RouteMatchSchema, { pathSpecifier: { case: 'pathSeparatedPrefix', value: '/foo' } }),
    want: [],
  },
  'refuses a direct response status outside [200, 600) (uint32 range)': {
    schema: DirectResponseActionSchema,
    message: create(DirectResponseActionSchema, { status: 700 }),
    want: [{ path: 'status', rule: 'uint32.lt = 600, uint32.gte = 200' }],
  },
  'refuses a virtual host without domains (repeated.min_items)': {
    schema: VirtualHostSchema,
    message: create(VirtualHostSchema, { name: 'a', domains: [] }),
    want: [{ path: 'domains', rule: 'repeated.min_items = 1' }],
  },
  'refuses a domain with a line break (items well_known_regex, non-strict)': {
    schema: VirtualHostSchema,
    message: create(VirtualHostSchema, { name: 'a', domains: ['a\nb'] }),
    want: [{ path: 'domains[0]', rule: 'string.well_known_regex = HTTP_HEADER_VALUE' }],
  },
  'refuses a route without match or action (message.required, oneof required)': {
    schema: RouteSchema,
    message: create(RouteSchema, {}),
    want: [
      { path: 'action', rule: 'oneof required' },
      { path: 'match', rule: 'required' },
    ],
  },
  'checks rules only on the oneof member that is set': {
    schema: RouteMatchSchema,
    message: create(RouteMatchSchema, { pathSpecifier: { case: 'prefix', value: '' } }),
    want: [],
  },
  'refuses an enum number Envoy does not define (enum.defined_only)': {
    schema: ClusterSchema,
    message: create(ClusterSchema, { name: 'c', lbPolicy: 99 as Cluster_LbPolicy }),
    want: [{ path: 'lb_policy', rule: 'enum.defined_only' }],
  },
  'refuses a zero connect timeout (duration.gt)': {
    schema: ClusterSchema,
    message: create(ClusterSchema, { name: 'c', connectTimeout: durationFromMs(0) }),
    want: [{ path: 'connect_timeout', rule: 'duration.gt = 0' }],
  },
  'refuses a regex RE2 cannot compile (look-ahead)': {
    schema: RouteMatchSchema,
    message: create(RouteMatchSchema, { pathSpecifier: { case: 'safeRegex', value: { regex: '(?=x)' } } }),
    want: [{ path: 'safe_regex.regex', rule: 'valid RE2 (Envoy compiles it)' }],
  },
  'refuses a zero retry back-off base interval': {
    schema: RetryPolicySchema,
    message: create(RetryPolicySchema, { retryBackOff: { baseInterval: durationFromMs(0) } }),
    want: [{ path: 'retry_back_off.base_interval', rule: 'duration.gt = 0' }],
  },
  'walks into typed_config and names the payload type in the path': {
    schema: FilterSchema,
    message: create(FilterSchema, {
      name: 'envoy.filters.network.http_connection_manager',
      configType: { case: 'typedConfig', value: typedConfig(HttpConnectionManagerSchema, {}) },
    }),
    want: [
      { path: `${HCM_PATH}.route_specifier`, rule: 'oneof required' },
      { path: `${HCM_PATH}.stat_prefix`, rule: 'string.min_len = 1' },
    ],
  },
  'refuses a typed_config of a type the registry does not know': {
    schema: FilterSchema,
    message: create(FilterSchema, {
      name: 'x',
      configType: { case: 'typedConfig', value: create(AnySchema, { typeUrl: 'type.googleapis.com/x.Y' }) },
    }),
    want: [{ path: 'typed_config', rule: 'Any type type.googleapis.com/x.Y is known' }],
  },
};

describe('validatePgv', () => {
  it.each(Object.entries(cases))('%s', (_name, { schema, message, want }) => {
    expect(validatePgv(schema, message)).toEqual(want);
  });
});
