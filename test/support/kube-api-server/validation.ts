/**
 * The validation the real API server applies to the fields our code writes, so that a bug that Kubernetes would
 * reject is rejected here too: object names, label keys and values, annotation keys, Secret and ConfigMap data keys,
 * base64 Secret data, the `kubernetes.io/tls` required keys, and the immutability of `Secret.type` and of
 * `immutable: true` objects. CRD OpenAPI schemas and CEL rules are not applied (see README).
 */
import { isDeepStrictEqual } from 'node:util';
import type { StatusCause } from './api-errors.js';
import { isPlainMap } from './field-paths.js';
import type { ResourceType } from './resources.js';
import type { KubeObject } from './store.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const required = (field: string): StatusCause => ({ reason: 'FieldValueRequired', message: 'Required value', field });
const badValue = (field: string, value: unknown, why: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
  field,
});

export function validateName(resource: ResourceType, name: string): StatusCause[] {
  if (resource.plural === 'namespaces') {
    return name.length <= 63 && DNS1123_LABEL.test(name)
      ? []
      : [
          badValue(
            'metadata.name',
            name,
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'",
          ),
        ];
  }
  if (resource.plural === 'services') {
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? []
      : [badValue('metadata.name', name, "a DNS-1035 label must consist of lower case alphanumeric characters or '-'")];
  }
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name)
    ? []
    : [
        badValue(
          'metadata.name',
          name,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'",
        ),
      ];
}

function validateQualifiedKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

function validateMetadata(obj: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(obj.metadata?.labels ?? {})) {
    if (!validateQualifiedKey(key)) causes.push(badValue('metadata.labels', key, 'name part must be a qualified name'));
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      causes.push(
        badValue(
          'metadata.labels',
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.' (at most 63)",
        ),
      );
    }
  }
  for (const [key, value] of Object.entries(obj.metadata?.annotations ?? {})) {
    if (!validateQualifiedKey(key.toLowerCase()))
      causes.push(badValue('metadata.annotations', key, 'name part must be a qualified name'));
    if (typeof value !== 'string') causes.push(badValue(`metadata.annotations[${key}]`, value, 'must be a string'));
  }
  return causes;
}

function validateDataKeys(obj: KubeObject, field: 'data' | 'binaryData'): StatusCause[] {
  const data = obj[field];
  if (data === undefined) return [];
  if (!isPlainMap(data)) return [badValue(field, data, 'must be a map')];
  return Object.keys(data)
    .filter((k) => !CONFIG_KEY.test(k) || k.length > 253)
    .map((k) =>
      badValue(`${field}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"),
    );
}

function validateSecret(obj: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const causes = validateDataKeys(obj, 'data');
  const data = isPlainMap(obj.data) ? obj.data : {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string' || !BASE64.test(value))
      causes.push(badValue(`data[${key}]`, '<value>', 'illegal base64 data'));
  }
  if (obj.type === 'kubernetes.io/tls') {
    for (const key of ['tls.crt', 'tls.key']) if (!Object.hasOwn(data, key)) causes.push(required(`data[${key}]`));
  }
  if (old && old.type !== obj.type) causes.push(badValue('type', obj.type, 'field is immutable'));
  return causes;
}

function validateImmutable(obj: KubeObject, old: KubeObject | undefined): StatusCause[] {
  if (old?.immutable !== true) return [];
  const causes: StatusCause[] = [];
  if (obj.immutable !== true)
    causes.push(badValue('immutable', obj.immutable, 'field is immutable when `immutable` is set'));
  for (const field of ['data', 'binaryData']) {
    if (!isDeepStrictEqual(obj[field], old[field]))
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: field is immutable when `immutable` is set',
        field,
      });
  }
  return causes;
}

/** Everything the server checks on a create (`old` absent) or an update of `obj`. */
export function validateObject(resource: ResourceType, obj: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const causes = [...validateName(resource, obj.metadata?.name ?? ''), ...validateMetadata(obj)];
  if (resource.kind === 'Secret') causes.push(...validateSecret(obj, old), ...validateImmutable(obj, old));
  if (resource.kind === 'ConfigMap') {
    causes.push(
      ...validateDataKeys(obj, 'data'),
      ...validateDataKeys(obj, 'binaryData'),
      ...validateImmutable(obj, old),
    );
  }
  return causes;
}

/** `stringData` is write-only: merged into `data` (base64) before anything is stored, as the real server does. */
export function foldStringData(obj: KubeObject): void {
  if (!isPlainMap(obj.stringData)) return;
  const data = isPlainMap(obj.data) ? obj.data : {};
  for (const [key, value] of Object.entries(obj.stringData)) data[key] = Buffer.from(String(value)).toString('base64');
  obj.data = data;
  delete obj.stringData;
}
