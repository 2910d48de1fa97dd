/**
 * Strict decoding with the real Envoy protos, for goldens, tests and anything that reads Envoy config back:
 * 1. `fromJson` with `ignoreUnknownFields: false` and the Envoy registry: unknown fields, bad enum names, wrong
 *    types and an unknown `@type` inside any `Any` fail;
 * 2. canonical round trip: the decoded message re-encodes to exactly the input JSON (in the input's field naming).
 *    This catches what proto JSON parsers accept but Envoy's config loaders do not write — e.g. protobuf-es reads
 *    `"30sec"` as a Duration — and values that parse but are not what was meant;
 * 3. binary round trip: the message encodes and decodes back to an equal message;
 * 4. Envoy's protoc-gen-validate rules (pgv.ts), which Envoy enforces on load: a violation would be a NACK.
 */
import type { DescMessage, JsonValue, Message, MessageShape } from '@bufbuild/protobuf';
import { equals, fromBinary, fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import { EnvoyDecodeError, EnvoyUnknownTypeError } from './errors.js';
import { validatePgv } from './pgv.js';
import { envoyRegistry, findMessageType, typeUrlOf } from './registry.js';

export interface DecodeOptions {
  /** Require the input to be canonical proto JSON (step 2). Default true; turn off for hand-written JSON. */
  readonly canonical?: boolean;
}

/**
 * Decodes one resource of the given type (`type.googleapis.com/<name>` or the bare full name). The JSON may carry
 * `@type` (as in goldens and config dumps); it must then name the same type.
 */
export function decodeStrict(typeUrl: string, json: JsonValue, options: DecodeOptions = {}): Message {
  const schema = findMessageType(typeUrl);
  if (schema === undefined) throw new EnvoyUnknownTypeError(typeUrl);
  return decodeMessageStrict(schema, json, options);
}

/** Decodes JSON that carries its own `@type` (an Any in JSON form) and returns the type URL with the message. */
export function decodeAnyStrict(json: JsonValue, options: DecodeOptions = {}): { typeUrl: string; message: Message } {
  const typeUrl = isObject(json) && typeof json['@type'] === 'string' ? json['@type'] : undefined;
  if (typeUrl === undefined) throw new EnvoyDecodeError('google.protobuf.Any', 'missing "@type"');
  return { typeUrl, message: decodeStrict(typeUrl, json, options) };
}

/** `decodeStrict` for a known schema, typed. */
export function decodeMessageStrict<Desc extends DescMessage>(
  schema: Desc,
  json: JsonValue,
  options: DecodeOptions = {},
): MessageShape<Desc> {
  const typed = isObject(json) && '@type' in json;
  if (typed && json['@type'] !== typeUrlOf(schema)) {
    throw new EnvoyDecodeError(
      schema.typeName,
      `"@type" is ${JSON.stringify(json['@type'])}, expected ${typeUrlOf(schema)}`,
    );
  }
  let message: MessageShape<Desc>;
  try {
    // A typed resource decodes through Any, so the same code path as nested typed_config is exercised.
    message = typed
      ? unpackTyped(schema, fromJson(AnySchema, json, { registry: envoyRegistry, ignoreUnknownFields: false }))
      : fromJson(schema, json, { registry: envoyRegistry, ignoreUnknownFields: false });
  } catch (error) {
    if (error instanceof EnvoyDecodeError) throw error;
    throw new EnvoyDecodeError(schema.typeName, errorMessage(error), error);
  }
  if (options.canonical ?? true) checkCanonical(schema, message, json, typed);
  checkBinaryRoundTrip(schema, message);
  const violations = validatePgv(schema, message);
  if (violations.length > 0) {
    const list = violations.map((v) => `${v.path || '$'}: ${v.rule}`).join('; ');
    throw new EnvoyDecodeError(schema.typeName, `violates Envoy's validation rules: ${list}`);
  }
  return message;
}

function unpackTyped<Desc extends DescMessage>(schema: Desc, any: { typeUrl: string; value: Uint8Array }) {
  return fromBinary(schema, any.value, { readUnknownFields: false });
}

function checkCanonical(schema: DescMessage, message: Message, input: JsonValue, typed: boolean): void {
  const write = (useProtoFieldName: boolean): JsonValue => {
    const body = toJson(schema, message, { registry: envoyRegistry, useProtoFieldName });
    return typed && isObject(body) ? { '@type': typeUrlOf(schema), ...body } : body;
  };
  const snake = write(true);
  const differenceSnake = firstDifference(input, snake, '');
  if (differenceSnake === undefined) return;
  if (firstDifference(input, write(false), '') === undefined) return;
  throw new EnvoyDecodeError(schema.typeName, `not canonical proto JSON at ${differenceSnake}`);
}

function checkBinaryRoundTrip(schema: DescMessage, message: Message): void {
  let back: Message;
  try {
    back = fromBinary(schema, toBinary(schema, message), { readUnknownFields: false });
  } catch (error) {
    throw new EnvoyDecodeError(schema.typeName, `binary round trip failed: ${errorMessage(error)}`, error);
  }
  if (!equals(schema, message, back, { registry: envoyRegistry, unpackAny: true })) {
    throw new EnvoyDecodeError(schema.typeName, 'binary round trip changed the message');
  }
}

/** The JSON path of the first difference between two JSON values (`undefined` when deep-equal). */
export function firstDifference(a: JsonValue | undefined, b: JsonValue | undefined, path: string): string | undefined {
  const here = path === '' ? '$' : path;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return mismatch(here, a, b);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const difference = firstDifference(a[i], b[i], `${here}[${i}]`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return mismatch(here, a, b);
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const difference = firstDifference(a[key], b[key], `${here}.${key}`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return a === b ? undefined : mismatch(here, a, b);
}

/** Values under a private key field are described by size only: error messages never carry key material. */
const SECRET_PATH = /private_?key/i;

function mismatch(path: string, a: JsonValue | undefined, b: JsonValue | undefined): string {
  const hide = SECRET_PATH.test(path);
  return `${path} (${describe(a, hide)} vs ${describe(b, hide)})`;
}

function describe(value: JsonValue | undefined, hide: boolean): string {
  if (value === undefined) return 'absent';
  if (hide) return `${typeof value} of ${JSON.stringify(value).length} chars`;
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
