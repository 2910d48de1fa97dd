import { ValidationError } from '@portcullis/core';

/** What `startLocalStack` accepts (see the API doc in packages/local/README.md). */
export interface LocalStackOptions {
  readonly pebble?: {
    /** externalAccountBindingRequired + generated MAC keys (exposed as `stack.pebble.eab`). */
    readonly eab?: boolean;
    /** PEBBLE_WFE_NONCEREJECT, 0–100 (default 0). */
    readonly nonceRejectPercent?: number;
    /** PEBBLE_ALTERNATE_ROOTS, 0–10. */
    readonly alternateRoots?: number;
    /** PEBBLE_CHAIN_LENGTH, 1–10. */
    readonly chainLength?: number;
    /** certificateValidityPeriod in seconds (pebble's default is 5 years). */
    readonly validitySeconds?: number;
  };
  /** Zones bind9 is authoritative for; default `['example.test', 'delegated.test']`. */
  readonly zones?: readonly string[];
  /** Start moto_server (default true). */
  readonly moto?: boolean;
  /** Children in their own session, surviving this process (`portcullis local up`). Default false. */
  readonly detached?: boolean;
  /** Fixed ports instead of free ones (people who want stable addresses); unset ones are picked. */
  readonly ports?: {
    readonly dns?: number;
    readonly acme?: number;
    readonly management?: number;
    readonly http01?: number;
    readonly tls?: number;
    readonly moto?: number;
  };
  /** Deadline for all children to become ready (default 20 s). */
  readonly startTimeoutMs?: number;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function checkInteger(field: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, 'range', `must be an integer from ${min} to ${max}, got ${value}`);
  }
}

function checkKeys(field: string, value: object | undefined, allowed: readonly string[]): void {
  for (const key of Object.keys(value ?? {})) {
    if (!allowed.includes(key)) throw new ValidationError(`${field}.${key}`, 'unknown', 'is not a known option');
  }
}

/** Throws a ValidationError naming the field and the rule; called before any file or process is created. */
export function validateLocalStackOptions(options: LocalStackOptions): void {
  checkKeys('options', options, ['pebble', 'zones', 'moto', 'detached', 'ports', 'startTimeoutMs']);
  checkKeys('pebble', options.pebble, [
    'eab',
    'nonceRejectPercent',
    'alternateRoots',
    'chainLength',
    'validitySeconds',
  ]);
  checkKeys('ports', options.ports, ['dns', 'acme', 'management', 'http01', 'tls', 'moto']);
  checkInteger('pebble.nonceRejectPercent', options.pebble?.nonceRejectPercent, 0, 100);
  checkInteger('pebble.alternateRoots', options.pebble?.alternateRoots, 0, 10);
  checkInteger('pebble.chainLength', options.pebble?.chainLength, 1, 10);
  checkInteger('pebble.validitySeconds', options.pebble?.validitySeconds, 1, 10 * 365 * 86_400);
  checkInteger('startTimeoutMs', options.startTimeoutMs, 1, 600_000);
  const ports = Object.entries(options.ports ?? {});
  // Below 1024 needs privileges the stack should not rely on, and port 53 belongs to the system resolver.
  for (const [name, port] of ports) checkInteger(`ports.${name}`, port, 1024, 65_535);
  if (new Set(ports.map(([, port]) => port)).size !== ports.length) {
    throw new ValidationError('ports', 'distinct', 'every fixed port must be different');
  }
  const zones = options.zones;
  if (zones === undefined) return;
  if (zones.length === 0) throw new ValidationError('zones', 'non-empty', 'needs at least one zone');
  for (const zone of zones) {
    const labels = zone.split('.');
    if (zone.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
      throw new ValidationError(
        'zones',
        'zone-name',
        `${JSON.stringify(zone)} must be a lower-case name of at least two labels (letters, digits, hyphens), no trailing dot`,
      );
    }
  }
  if (new Set(zones).size !== zones.length) throw new ValidationError('zones', 'distinct', 'lists a zone twice');
}
