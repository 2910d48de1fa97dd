/**
 * `portcullis dns check <fqdn>`: the zone's authoritative name servers, each asked directly, side by side — the
 * view the CA gets, without any resolver cache in between. When every server answers with the same CNAME to a
 * name outside the answer (a delegated `_acme-challenge`), the target is checked the same way, hop by hop.
 *
 * Name rule: with the default type (TXT) a name whose first label does not start with `_` means its challenge
 * record, `_acme-challenge.<name>` (`*.x` → `_acme-challenge.x`): what a runbook asks about a certificate name.
 * With an explicit `--type`, the name is asked exactly as given.
 */

import type { Resolver } from '@portcullis/core';
import { challengeRecordName, type QueryType } from '@portcullis/dns';
import { renderTable } from '../runtime/format.js';
import { formatServer, type QueryFn, surveyZone, type ZoneSurvey } from './authoritative.js';
import type { Progress } from './progress.js';

export const DNS_CHECK_TYPES = ['TXT', 'A', 'AAAA', 'CNAME', 'CAA', 'NS', 'SOA'] as const;
export type DnsCheckType = (typeof DNS_CHECK_TYPES)[number];

/** Longest CNAME chain followed (as the resolver's default). */
const MAX_HOPS = 8;

/** The name and type actually asked (see the name rule above). */
export function questionFor(input: string, type: DnsCheckType | undefined): { name: string; type: DnsCheckType } {
  const name = input.trim().toLowerCase().replace(/\.$/, '');
  if (type !== undefined) return { name, type };
  return { name: name.startsWith('_') ? name : challengeRecordName(name), type: 'TXT' };
}

export interface DnsCheckDeps {
  readonly resolver: Pick<Resolver, 'findZone'>;
  readonly query?: QueryFn;
  readonly timeoutMs?: number;
  readonly progress?: Progress;
}

/** One survey per hop of the CNAME chain that starts at `name`. */
export async function runDnsCheck(name: string, type: DnsCheckType, deps: DnsCheckDeps): Promise<ZoneSurvey[]> {
  const surveys: ZoneSurvey[] = [];
  const seen = new Set<string>();
  let current: string | undefined = name;
  for (let hop = 0; current !== undefined && hop <= MAX_HOPS && !seen.has(current); hop++) {
    seen.add(current);
    const asked: string = current;
    const survey = await (deps.progress?.step(`asking the name servers of ${asked}`, () => ask(asked)) ?? ask(asked));
    surveys.push(survey);
    current = type === 'CNAME' ? undefined : commonCnameTarget(survey);
  }
  return surveys;

  function ask(asked: string): Promise<ZoneSurvey> {
    return surveyZone(deps.resolver, asked, type as QueryType, {
      ...(deps.query === undefined ? {} : { query: deps.query }),
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    });
  }
}

/** The CNAME target every server agrees on and whose records are not in the answer, else undefined. */
function commonCnameTarget(survey: ZoneSurvey): string | undefined {
  const targets = new Set(survey.answers.map((a) => a.cname));
  const [target] = targets;
  return survey.agree && targets.size === 1 ? target : undefined;
}

export function renderSurvey(survey: ZoneSurvey): string {
  const rows: string[][] = [];
  for (const answer of survey.answers) {
    const server = formatServer(answer.server);
    if (answer.error !== undefined) {
      rows.push([server, 'ERROR', '-', answer.error]);
      continue;
    }
    const lines = answer.records.length === 0 ? ['(no records)'] : answer.records;
    for (const [index, line] of lines.entries()) {
      const first = [server, answer.rcode ?? '-', answer.authoritative ? 'yes' : 'no'];
      rows.push([...(index === 0 ? first : ['', '', '']), line]);
    }
  }
  const table = renderTable(['SERVER', 'RCODE', 'AA', 'ANSWER'], rows);
  const count = survey.answers.length;
  const verdict = survey.agree
    ? `✔ all ${count} name server(s) agree`
    : `✖ the ${count} name server(s) disagree or do not all answer with authority`;
  return `${survey.name} ${survey.type} in zone ${survey.zone}\n${table}\n${verdict}`;
}
