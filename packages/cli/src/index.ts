export { type AccountFlags, registerAccountCommands, runAccountRollover, runAccountShow } from './commands/account.js';
export { type AlertsFlags, registerAlertsCommand, runAlerts } from './commands/alerts.js';
export {
  type DlqListFlags,
  type DlqRedriveFlags,
  registerDlqCommands,
  runDlqList,
  runDlqRedrive,
} from './commands/dlq.js';
export { type DnsCheckFlags, registerDnsCommands, runDnsCheckCommand } from './commands/dns.js';
export { type DoctorFlags, registerDoctorCommand, runDoctorCommand } from './commands/doctor.js';
export { type EventsFlags, registerEventsCommand, runEvents } from './commands/events.js';
export { type InspectFlags, registerInspectCommand, runInspect } from './commands/inspect.js';
export { describeError, type IssueFlags, type IssueIo, runIssue } from './commands/issue.js';
export { type ListFlags, registerListCommand, runList } from './commands/list.js';
export {
  formatMonitorResult,
  formatPlanResult,
  registerScheduleCommands,
  runMonitorCommand,
  runPlanCommand,
  type ScheduleCommandIo,
} from './commands/monitor.js';
export { describeRenewalStep, type RenewFlags, registerRenewCommand, runRenew } from './commands/renew.js';
export { type ReportFlags, registerReportCommand, runReport } from './commands/report.js';
export { type RevokeFlags, registerRevokeCommand, runRevoke } from './commands/revoke.js';
export { registerStatusCommand, runStatus, type StatusFlags } from './commands/status.js';
export { registerUpdateCommand, runUpdate, type UpdateFlags, updateBodyOf } from './commands/update.js';
export * from './ops/index.js';
export { buildProgram } from './program.js';
export {
  CHROMIUM_ENV,
  chromiumArguments,
  findChromium,
  type ScreenshotOptions,
  screenshotHtml,
} from './report/chromium.js';
export { buildReportModel, type ReportInput, type ReportModel, RowKind, type TimelineRow } from './report/model.js';
export {
  countColours,
  decodePng,
  PNG_SIGNATURE,
  type PngHeader,
  type PngImage,
  readPngHeader,
} from './report/png-image.js';
export { renderReportHtml } from './report/report-html.js';
export * from './runtime/index.js';
export { formatAlerts } from './views/alerts-view.js';
export { ViewError, ViewErrorCode } from './views/errors.js';
export { EXPIRY_THRESHOLDS, ExpiryBand, expiryBand } from './views/expiry.js';
export { ListSort, sortCertificates } from './views/list-view.js';
export { createProgress, type Progress } from './views/progress.js';
export { processViewIo, type ViewIo } from './views/terminal.js';
export { CliEnv, DnsProviderName, type IssuanceSetup, setupIssuance } from './wiring/issuance.js';
