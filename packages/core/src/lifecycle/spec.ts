/**
 * Structural checks of a stored spec before reconcile acts on it (the API validates requests in full, with zod;
 * this guards against records written by hand or by an older version). Throws `ValidationError` naming the field.
 */
import { isIP } from 'node:net';
import { ValidationError } from '../errors.js';
import { ChallengeType, KeyType } from '../ports/acme-client.js';
import { type CertificateSpec, TargetType } from './types.js';

const TARGET_ID = /^[a-z0-9-]{1,64}$/;
/** A DNS host name (letters, digits, hyphens; no wildcard, no trailing dot), case-insensitive. */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
/** Most live endpoints per certificate: each is a TLS handshake per monitor run. */
export const MAX_ENDPOINTS = 20;

export function validateSpec(spec: CertificateSpec): void {
  if (!Array.isArray(spec.names) || spec.names.length === 0) {
    throw new ValidationError('spec.names', 'required', 'at least one name is required');
  }
  if (!Object.values(KeyType).includes(spec.keyType)) {
    throw new ValidationError(
      'spec.keyType',
      'enum',
      `"${spec.keyType}" is not one of ${Object.values(KeyType).join(', ')}`,
    );
  }
  if (!Object.values(ChallengeType).includes(spec.challenge)) {
    throw new ValidationError(
      'spec.challenge',
      'enum',
      `"${spec.challenge}" is not one of ${Object.values(ChallengeType).join(', ')}`,
    );
  }
  if (typeof spec.issuer !== 'string' || spec.issuer === '') {
    throw new ValidationError('spec.issuer', 'required', 'an issuer id is required');
  }
  const seen = new Set<string>();
  spec.targets.forEach((target, i) => {
    if (!TARGET_ID.test(target.id)) {
      throw new ValidationError(`spec.targets[${i}].id`, 'pattern', `"${target.id}" must match ${TARGET_ID.source}`);
    }
    if (seen.has(target.id))
      throw new ValidationError(`spec.targets[${i}].id`, 'unique', `"${target.id}" is listed twice`);
    seen.add(target.id);
    if (!Object.values(TargetType).includes(target.type)) {
      throw new ValidationError(
        `spec.targets[${i}].type`,
        'enum',
        `"${target.type}" is not one of ${Object.values(TargetType).join(', ')}`,
      );
    }
  });
  validateEndpoints(spec.endpoints);
}

/** `spec.endpoints`: at most `MAX_ENDPOINTS`, host a DNS name or IP literal, port 1..65535, unique host:port. */
function validateEndpoints(endpoints: CertificateSpec['endpoints']): void {
  if (endpoints === undefined) return;
  if (!Array.isArray(endpoints) || endpoints.length > MAX_ENDPOINTS) {
    throw new ValidationError('spec.endpoints', 'max-items', `must be a list of at most ${MAX_ENDPOINTS} endpoints`);
  }
  const seen = new Set<string>();
  endpoints.forEach((endpoint, i) => {
    const host = endpoint.host;
    if (typeof host !== 'string' || (isIP(host) === 0 && !HOST_NAME.test(host))) {
      throw new ValidationError(
        `spec.endpoints[${i}].host`,
        'host',
        `"${host}" is neither a DNS name nor an IP address`,
      );
    }
    if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65_535) {
      throw new ValidationError(`spec.endpoints[${i}].port`, 'range', `${endpoint.port} is not a port from 1 to 65535`);
    }
    const serverName = endpoint.serverName;
    if (serverName !== undefined && (typeof serverName !== 'string' || !HOST_NAME.test(serverName))) {
      throw new ValidationError(`spec.endpoints[${i}].serverName`, 'host', `"${serverName}" is not a DNS name`);
    }
    const address = `${host.toLowerCase()}:${endpoint.port}`;
    if (seen.has(address)) throw new ValidationError(`spec.endpoints[${i}]`, 'unique', `${address} is listed twice`);
    seen.add(address);
  });
}
