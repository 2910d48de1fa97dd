export { type EventsFlags, registerEventsCommand, runEvents } from './commands/events.js';
export { describeError, type IssueFlags, type IssueIo, runIssue } from './commands/issue.js';
export { type ListFlags, registerListCommand, runList } from './commands/list.js';
export { registerRenewCommand, runRenew } from './commands/renew.js';
export { type RevokeFlags, registerRevokeCommand, runRevoke } from './commands/revoke.js';
export { registerStatusCommand, runStatus } from './commands/status.js';
export { buildProgram } from './program.js';
export * from './runtime/index.js';
export { CliEnv, DnsProviderName, type IssuanceSetup, setupIssuance } from './wiring/issuance.js';
