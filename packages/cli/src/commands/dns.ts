/**
 * `portcullis dns check <fqdn> [--type TXT|A|AAAA|CNAME|CAA|NS|SOA]`: every authoritative name server's answer,
 * side by side, and whether they agree. Exit code 0 when all agree (also when all say "no such record"), 1 when
 * they disagree, a server does not answer or answers without authority. See ops/dns-check.ts for the name rule.
 */
import { DnsResolver } from '@portcullis/dns';
import { type Command, Option } from 'commander';
import { DNS_CHECK_TYPES, type DnsCheckType, questionFor, renderSurvey, runDnsCheck } from '../ops/dns-check.js';
import { dnsSettingsFromEnv } from '../ops/dns-settings.js';
import { ExitCode, type OpsIo, processOpsIo } from '../ops/io.js';
import { createProgress } from '../ops/progress.js';
import { parseTimeout } from './doctor.js';

export interface DnsCheckFlags {
  readonly type?: DnsCheckType;
  readonly timeout?: number;
}

export async function runDnsCheckCommand(fqdn: string, flags: DnsCheckFlags, io: OpsIo): Promise<boolean> {
  const settings = dnsSettingsFromEnv(io.env);
  const resolver = new DnsResolver({
    ...settings.resolver,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
  });
  const question = questionFor(fqdn, flags.type);
  io.err(`asking DNS from ${settings.source}`);
  const surveys = await runDnsCheck(question.name, question.type, {
    resolver,
    progress: createProgress(io, 'dns check'),
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
  });
  io.out(surveys.map(renderSurvey).join('\n\n'));
  const ok = surveys.every((s) => s.agree);
  io.setExitCode(ok ? ExitCode.Ok : ExitCode.Problem);
  return ok;
}

export function registerDnsCommands(program: Command, io: OpsIo = processOpsIo): void {
  const dns = program.command('dns').description('look at DNS the way the CA does');
  dns
    .command('check')
    .description("ask each authoritative name server of the name's zone directly and compare the answers")
    .argument('<fqdn>', 'name to ask; with the default type a name not starting with "_" means _acme-challenge.<name>')
    .addOption(new Option('--type <type>', 'record type (default TXT)').choices(DNS_CHECK_TYPES))
    .option('--timeout <ms>', 'time-out of one DNS exchange (default 3000)', parseTimeout)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  portcullis dns check www.example.com            TXT at _acme-challenge.www.example.com\n' +
        '  portcullis dns check _acme-challenge.x.com      TXT at exactly that name\n' +
        '  portcullis dns check www.example.com --type A   A at www.example.com (explicit type: name as given)\n' +
        'A CNAME every server agrees on is followed into the target zone.\n' +
        'Lookups start at $PORTCULLIS_DNS_RESOLVERS, name servers on $PORTCULLIS_DNS_NAMESERVER_PORT (else a local\n' +
        'stack, else the system resolvers).\n' +
        'Exit codes: 0 all servers agree, 1 they disagree / one fails or lacks authority / the command could not run.',
    )
    .action(async (fqdn: string, flags: DnsCheckFlags) => {
      await runDnsCheckCommand(fqdn, flags, io);
    });
}
