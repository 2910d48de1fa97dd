export { type AccountView, KeyStoreKind, type RolloverOutcome } from './account.js';
export { answersAgree, type ServerAnswer, type ZoneSurvey } from './authoritative.js';
export { type CheckResult, CheckStatus, renderChecks } from './checks.js';
export { DNS_CHECK_TYPES, type DnsCheckType, questionFor } from './dns-check.js';
export { DoctorCheck, type DoctorReport, runDoctor } from './doctor.js';
export { OpsError, OpsErrorCode } from './errors.js';
export { ExitCode, type OpsIo, processOpsIo } from './io.js';
export { jwkThumbprint } from './jwk-thumbprint.js';
