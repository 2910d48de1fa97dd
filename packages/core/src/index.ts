export { PortcullisError, ValidationError } from './errors.js';
export type { Clock } from './ports/clock.js';
export { systemClock } from './ports/clock.js';
export type { DnsProvider, Presentation, TxtRecord, ZonePresentation } from './ports/dns-provider.js';
export type { Http01TokenStore } from './ports/http01-token-store.js';
export type { KeyStore } from './ports/key-store.js';
export { Redacted, redact } from './redacted.js';
