/**
 * Envoy's protoc-gen-validate (PGV) rules, checked on messages we build or decode. Envoy annotates its protos with
 * `(validate.rules)` and enforces them when it loads config: a violation is a NACK. The rules are data in the
 * descriptors we already embed, so a reflection walk checks them before anything reaches Envoy.
 *
 * Why hand-written: no JS library implements legacy PGV for protobuf-es (protovalidate-es implements its successor
 * `buf.validate`, a different extension with different rules).
 *
 * Covered: message required/skip/disabled, oneof required, numeric const/lt/lte/gt/gte (incl. exclusive ranges)/
 * in/not_in, bool const, enum const/defined_only/in/not_in, string const/len/min_len/max_len/len_bytes/min_bytes/
 * max_bytes/pattern/prefix/suffix/contains/not_contains/in/not_in/ip/ipv4/ipv6/hostname/address/uuid/
 * well_known_regex (strict), bytes len/min_len/max_len, repeated min_items/max_items/unique/items, map
 * min_pairs/max_pairs/keys/values, duration and any rules, ignore_empty, wrapper types, `Any` payloads (walked
 * through the registry). Not covered (never used by the resources we build): email, uri, uri_ref, timestamp.
 * Also checks what Envoy checks beyond PGV where cheap: every `RegexMatcher.regex` compiles as RE2.
 */
import { isIP } from 'node:net';
import type { DescEnum, DescField, DescMessage, Message } from '@bufbuild/protobuf';
import { getOption, hasOption } from '@bufbuild/protobuf';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
import { isReflectMessage, reflect } from '@bufbuild/protobuf/reflect';
import type { Any, Duration } from '@bufbuild/protobuf/wkt';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { RE2JS } from 're2js';
import type { DurationRules, FieldRules, StringRules } from '../generated/validate/validate_pb.js';
import { disabled, required, rules as rulesOption } from '../generated/validate/validate_pb.js';
import { envoyRegistry } from './registry.js';

export interface PgvViolation {
  /** Proto field path: `filter_chains[0].filters[0].typed_config<...HttpConnectionManager>.stat_prefix`. */
  readonly path: string;
  /** The rule broken, e.g. `string.min_len = 1`. Never contains the field's value. */
  readonly rule: string;
}

/** Every PGV violation in `message` (empty when Envoy would accept it). */
export function validatePgv(schema: DescMessage, message: Message): PgvViolation[] {
  const out: PgvViolation[] = [];
  walk(reflect(schema, message), '', out);
  return out;
}

type Out = PgvViolation[];
const at = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

/** The rule fields that are set (proto2 presence), by local name. */
function present(message: Message & { $typeName: string }): Record<string, unknown> {
  const schema = envoyRegistry.getMessage(message.$typeName);
  if (schema === undefined) return {};
  const reflected = reflect(schema, message);
  const out: Record<string, unknown> = {};
  for (const field of schema.fields)
    if (reflected.isSet(field)) out[field.localName] = (message as never)[field.localName];
  return out;
}

const re2Cache = new Map<string, RE2JS | undefined>();
function re2(pattern: string): RE2JS | undefined {
  if (!re2Cache.has(pattern)) {
    let compiled: RE2JS | undefined;
    try {
      compiled = RE2JS.compile(pattern);
    } catch {
      compiled = undefined;
    }
    re2Cache.set(pattern, compiled);
  }
  return re2Cache.get(pattern);
}

function walk(message: ReflectMessage, path: string, out: Out): void {
  const { desc } = message;
  if (hasOption(desc, disabled) && getOption(desc, disabled)) return;
  if (desc.typeName === 'google.protobuf.Any') {
    walkAny(message.message as Any, path, out);
    return;
  }
  if (desc.typeName === 'envoy.type.matcher.v3.RegexMatcher') {
    const regex = (message.message as unknown as { regex: string }).regex;
    if (re2(regex) === undefined) out.push({ path: at(path, 'regex'), rule: 'valid RE2 (Envoy compiles it)' });
  }
  for (const oneof of desc.oneofs) {
    if (hasOption(oneof, required) && getOption(oneof, required) && message.oneofCase(oneof) === undefined) {
      out.push({ path: at(path, oneof.name), rule: 'oneof required' });
    }
  }
  for (const field of desc.fields) {
    // Rules on a oneof member apply only when that member is the one set.
    if (field.oneof !== undefined && message.oneofCase(field.oneof) !== field) continue;
    checkField(message, field, hasOption(field, rulesOption) ? getOption(field, rulesOption) : undefined, out, path);
  }
}

function walkAny(any: Any, path: string, out: Out): void {
  const payload = anyUnpack(any, envoyRegistry);
  const schema = envoyRegistry.getMessage(any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1));
  if (payload === undefined || schema === undefined) {
    out.push({ path, rule: `Any type ${any.typeUrl} is known` });
    return;
  }
  walk(reflect(schema, payload), `${path}<${schema.typeName}>`, out);
}

function requiresPresence(rules: FieldRules | undefined): boolean {
  if (rules === undefined) return false;
  if (rules.message?.required) return true;
  const { type } = rules;
  return (type.case === 'duration' || type.case === 'any' || type.case === 'timestamp') && type.value.required;
}

function checkField(
  message: ReflectMessage,
  field: DescField,
  rules: FieldRules | undefined,
  out: Out,
  parent: string,
) {
  const path = at(parent, field.name);
  switch (field.fieldKind) {
    case 'scalar':
    case 'enum':
      if (rules !== undefined) checkValue(rules, message.get(field), path, out, field.enum);
      return;
    case 'message': {
      if (!message.isSet(field)) {
        if (requiresPresence(rules)) out.push({ path, rule: 'required' });
        return;
      }
      const sub = message.get(field) as ReflectMessage;
      if (rules !== undefined) checkMessageValue(rules, sub, path, out);
      if (!rules?.message?.skip) walk(sub, path, out);
      return;
    }
    case 'list': {
      const list = message.get(field);
      const repeated = rules?.type.case === 'repeated' ? rules.type.value : undefined;
      if (repeated !== undefined) {
        const set = present(repeated);
        if (set.minItems !== undefined && list.size < Number(set.minItems))
          out.push({ path, rule: `repeated.min_items = ${set.minItems}` });
        if (set.maxItems !== undefined && list.size > Number(set.maxItems))
          out.push({ path, rule: `repeated.max_items = ${set.maxItems}` });
        if (repeated.unique && !isReflectMessage([...list][0])) {
          if (new Set([...list].map(String)).size !== list.size) out.push({ path, rule: 'repeated.unique' });
        }
      }
      let index = 0;
      for (const item of list) {
        const itemPath = `${path}[${index++}]`;
        if (isReflectMessage(item)) {
          if (repeated?.items !== undefined) checkMessageValue(repeated.items, item, itemPath, out);
          if (!repeated?.items?.message?.skip) walk(item, itemPath, out);
        } else if (repeated?.items !== undefined) checkValue(repeated.items, item, itemPath, out, field.enum);
      }
      return;
    }
    case 'map': {
      const map = message.get(field);
      const mapRules = rules?.type.case === 'map' ? rules.type.value : undefined;
      if (mapRules !== undefined) {
        const set = present(mapRules);
        if (set.minPairs !== undefined && map.size < Number(set.minPairs))
          out.push({ path, rule: `map.min_pairs = ${set.minPairs}` });
        if (set.maxPairs !== undefined && map.size > Number(set.maxPairs))
          out.push({ path, rule: `map.max_pairs = ${set.maxPairs}` });
      }
      for (const [key, value] of map) {
        const entryPath = `${path}[${String(key)}]`;
        if (mapRules?.keys !== undefined) checkValue(mapRules.keys, key, `${entryPath}(key)`, out, undefined);
        if (isReflectMessage(value)) {
          if (mapRules?.values !== undefined) checkMessageValue(mapRules.values, value, entryPath, out);
          walk(value, entryPath, out);
        } else if (mapRules?.values !== undefined) checkValue(mapRules.values, value, entryPath, out, field.enum);
      }
      return;
    }
  }
}

/** Rules on a message-typed value: wrappers (rules apply to the wrapped value), Duration, Any. */
function checkMessageValue(rules: FieldRules, value: ReflectMessage, path: string, out: Out): void {
  const { type } = rules;
  if (type.case === 'duration') {
    checkDuration(type.value, value.message as Duration, path, out);
    return;
  }
  if (type.case === 'any') {
    const typeUrl = (value.message as Any).typeUrl;
    if (type.value.in.length > 0 && !type.value.in.includes(typeUrl)) out.push({ path, rule: 'any.in' });
    if (type.value.notIn.includes(typeUrl)) out.push({ path, rule: 'any.not_in' });
    return;
  }
  const inner = value.desc.typeName.startsWith('google.protobuf.') ? value.desc.fields[0] : undefined;
  if (inner !== undefined && value.desc.fields.length === 1 && inner.name === 'value') {
    checkValue(rules, value.get(inner), path, out, undefined);
  }
}

const nanos = (d: Duration): bigint => d.seconds * 1_000_000_000n + BigInt(d.nanos);

function checkDuration(rules: DurationRules, value: Duration, path: string, out: Out): void {
  const set = present(rules) as Partial<Record<'const' | 'lt' | 'lte' | 'gt' | 'gte', Duration>>;
  const bounds = Object.fromEntries(
    Object.entries(set)
      .filter(([k]) => ['const', 'lt', 'lte', 'gt', 'gte'].includes(k))
      .map(([k, v]) => [k, nanos(v as Duration)]),
  );
  checkRange(bounds, nanos(value), 'duration', path, out);
  const all = (list: Duration[]) => list.map(nanos);
  if (rules.in.length > 0 && !all(rules.in).includes(nanos(value))) out.push({ path, rule: 'duration.in' });
  if (all(rules.notIn).includes(nanos(value))) out.push({ path, rule: 'duration.not_in' });
}

type Bounds = {
  const?: number | bigint;
  lt?: number | bigint;
  lte?: number | bigint;
  gt?: number | bigint;
  gte?: number | bigint;
};

/** PGV ranges: gt/gte above lt/lte means "outside" (exclusive range) rather than "between". */
function checkRange(b: Bounds, v: number | bigint, kind: string, path: string, out: Out): void {
  if (b.const !== undefined && v !== b.const) out.push({ path, rule: `${kind}.const = ${b.const}` });
  const upper = b.lt ?? b.lte;
  const lower = b.gt ?? b.gte;
  const below = b.lt !== undefined ? v < b.lt : b.lte !== undefined ? v <= b.lte : true;
  const above = b.gt !== undefined ? v > b.gt : b.gte !== undefined ? v >= b.gte : true;
  const exclusive = upper !== undefined && lower !== undefined && upper < lower;
  if (exclusive ? !(below || above) : !(below && above)) {
    const rule = Object.entries(b)
      .filter(([k]) => k !== 'const')
      .map(([k, x]) => `${kind}.${k} = ${x}`)
      .join(', ');
    out.push({ path, rule });
  }
}

function checkValue(rules: FieldRules, value: unknown, path: string, out: Out, enumDesc: DescEnum | undefined): void {
  const { type } = rules;
  switch (type.case) {
    case undefined:
    case 'duration':
    case 'any':
    case 'timestamp':
    case 'repeated':
    case 'map':
      return;
    case 'bool':
      if (present(type.value).const !== undefined && value !== type.value.const)
        out.push({ path, rule: `bool.const = ${type.value.const}` });
      return;
    case 'string':
      checkString(type.value, String(value), path, out);
      return;
    case 'bytes': {
      const length = (value as Uint8Array).byteLength;
      const set = present(type.value);
      if (set.len !== undefined && BigInt(length) !== set.len) out.push({ path, rule: `bytes.len = ${set.len}` });
      if (set.minLen !== undefined && BigInt(length) < (set.minLen as bigint))
        out.push({ path, rule: `bytes.min_len = ${set.minLen}` });
      if (set.maxLen !== undefined && BigInt(length) > (set.maxLen as bigint))
        out.push({ path, rule: `bytes.max_len = ${set.maxLen}` });
      return;
    }
    case 'enum': {
      const number = value as number;
      const set = present(type.value);
      if (set.const !== undefined && number !== set.const) out.push({ path, rule: `enum.const = ${set.const}` });
      if (type.value.definedOnly && enumDesc !== undefined && !enumDesc.values.some((v) => v.number === number)) {
        out.push({ path, rule: 'enum.defined_only' });
      }
      if (type.value.in.length > 0 && !type.value.in.includes(number)) out.push({ path, rule: 'enum.in' });
      if (type.value.notIn.includes(number)) out.push({ path, rule: 'enum.not_in' });
      return;
    }
    default: {
      // Every numeric kind: int32 … sfixed64, float, double.
      const numeric = type.value as { in: (number | bigint)[]; notIn: (number | bigint)[]; ignoreEmpty?: boolean };
      const v = value as number | bigint;
      if (numeric.ignoreEmpty && (v === 0 || v === 0n)) return;
      checkRange(present(type.value) as Bounds, v, type.case, path, out);
      // Compared as numbers: rule lists and values may mix bigint (64-bit kinds) and number.
      const same = (x: number | bigint) => Number(x) === Number(v);
      if (numeric.in.length > 0 && !numeric.in.some(same)) out.push({ path, rule: `${type.case}.in` });
      if (numeric.notIn.some(same)) out.push({ path, rule: `${type.case}.not_in` });
    }
  }
}

const HEADER_NAME = /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/;
/** RFC 7230 field value (PGV strict HTTP_HEADER_VALUE): no control characters except horizontal tab. */
const isHeaderValue = (value: string): boolean =>
  [...value].every((c) => {
    const code = c.charCodeAt(0);
    return code === 0x09 || (code >= 0x20 && code !== 0x7f);
  });
/** PGV non-strict header names and values: only NUL, CR and LF are refused (they would split the message). */
const isLooseHeader = (value: string): boolean => !/[\0\r\n]/.test(value);
const HOSTNAME =
  /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function checkString(rules: StringRules, value: string, path: string, out: Out): void {
  if (rules.ignoreEmpty && value === '') return;
  const set = present(rules);
  const fail = (rule: string) => out.push({ path, rule: `string.${rule}` });
  const chars = [...value].length;
  const bytes = Buffer.byteLength(value);
  if (set.const !== undefined && value !== set.const) fail('const');
  if (set.len !== undefined && BigInt(chars) !== set.len) fail(`len = ${set.len}`);
  if (set.minLen !== undefined && BigInt(chars) < (set.minLen as bigint)) fail(`min_len = ${set.minLen}`);
  if (set.maxLen !== undefined && BigInt(chars) > (set.maxLen as bigint)) fail(`max_len = ${set.maxLen}`);
  if (set.lenBytes !== undefined && BigInt(bytes) !== set.lenBytes) fail(`len_bytes = ${set.lenBytes}`);
  if (set.minBytes !== undefined && BigInt(bytes) < (set.minBytes as bigint)) fail(`min_bytes = ${set.minBytes}`);
  if (set.maxBytes !== undefined && BigInt(bytes) > (set.maxBytes as bigint)) fail(`max_bytes = ${set.maxBytes}`);
  if (set.pattern !== undefined && !(re2(rules.pattern)?.test(value) ?? false)) fail(`pattern = ${rules.pattern}`);
  if (set.prefix !== undefined && !value.startsWith(rules.prefix)) fail('prefix');
  if (set.suffix !== undefined && !value.endsWith(rules.suffix)) fail('suffix');
  if (set.contains !== undefined && !value.includes(rules.contains)) fail('contains');
  if (set.notContains !== undefined && value.includes(rules.notContains)) fail('not_contains');
  if (rules.in.length > 0 && !rules.in.includes(value)) fail('in');
  if (rules.notIn.includes(value)) fail('not_in');
  const known = rules.wellKnown;
  switch (known.case) {
    case 'ip':
      if (known.value && isIP(value) === 0) fail('ip');
      return;
    case 'ipv4':
      if (known.value && isIP(value) !== 4) fail('ipv4');
      return;
    case 'ipv6':
      if (known.value && isIP(value) !== 6) fail('ipv6');
      return;
    case 'hostname':
      if (known.value && !HOSTNAME.test(value)) fail('hostname');
      return;
    case 'address':
      if (known.value && isIP(value) === 0 && !HOSTNAME.test(value)) fail('address');
      return;
    case 'uuid':
      if (known.value && !UUID.test(value)) fail('uuid');
      return;
    case 'wellKnownRegex': {
      // `strict` defaults to true in validate.proto.
      const strict = present(rules).strict === undefined ? true : rules.strict;
      const name = known.value === 1 ? 'HTTP_HEADER_NAME' : 'HTTP_HEADER_VALUE';
      const valid = !strict ? isLooseHeader(value) : known.value === 1 ? HEADER_NAME.test(value) : isHeaderValue(value);
      if (known.value !== 0 && !valid) fail(`well_known_regex = ${name}`);
      return;
    }
    default:
      return;
  }
}
