export { buildProgram } from './program.js';
export { type DnsProviderName, type IssuanceSetup, setupIssuance } from './wiring/issuance.js';
