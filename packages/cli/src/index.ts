export { describeError, type IssueFlags, type IssueIo, runIssue } from './commands/issue.js';
export { buildProgram } from './program.js';
export { CliEnv, DnsProviderName, type IssuanceSetup, setupIssuance } from './wiring/issuance.js';
