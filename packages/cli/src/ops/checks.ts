/**
 * A check result as the operations commands print it: a mark (✔ pass, ✖ fail, ! warning, - skipped), a short
 * name, one sentence, and for anything not passing a one-line fix hint. Plain text; colour is added by the caller
 * only on a terminal.
 */

export const CheckStatus = {
  /** Fine. */
  Pass: 'pass',
  /** Broken: issuance (or what the command checks) will fail. Makes the command exit 1. */
  Fail: 'fail',
  /** Suspicious or could not be checked; does not change the exit code. */
  Warn: 'warn',
  /** Does not apply (e.g. wildcard CNAME capture for HTTP-01). */
  Skip: 'skip',
} as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  readonly message: string;
  /** How to fix it; shown under a failing or warning line. */
  readonly hint?: string;
}

export const MARKS: Readonly<Record<CheckStatus, string>> = { pass: '✔', fail: '✖', warn: '!', skip: '-' };

export function renderChecks(
  checks: readonly CheckResult[],
  paint: (status: CheckStatus, text: string) => string = (_s, t) => t,
): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${paint(c.status, MARKS[c.status])} ${c.check.padEnd(width)}  ${c.message}`);
    if (c.hint !== undefined && (c.status === 'fail' || c.status === 'warn')) {
      lines.push(`  ${' '.repeat(width)}  fix: ${c.hint}`);
    }
  }
  return lines.join('\n');
}

export function anyFailed(checks: readonly CheckResult[]): boolean {
  return checks.some((c) => c.status === CheckStatus.Fail);
}
