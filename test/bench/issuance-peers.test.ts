/**
 * How the benchmark drives lego and certbot (pure builders), and the child runner it uses — the runner against
 * real short-lived `sh` processes, because what matters is that a killed CLI leaves nothing running.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTimeLine, runTimedChild } from '../../bench/issuance/child.js';
import { certbotCredentials, certbotInvocation, legoInvocation, type PeerContext } from '../../bench/issuance/peers.js';

const context: PeerContext = {
  directoryUrl: 'https://127.0.0.1:14000/dir',
  caFile: '/run/ca.pem',
  bind: {
    host: '127.0.0.1',
    port: 5353,
    tsig: { name: 'portcullis-local', algorithm: 'hmac-sha256', secret: 'c2VjcmV0' },
  },
  certbotCredentialsFile: '/run/rfc2136.ini',
};
const names = ['b1.example.test', '*.b1.example.test'];

function flagValue(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at < 0 ? undefined : args[at + 1];
}

describe('legoInvocation', () => {
  const lego = legoInvocation(context, names, '/work/lego/c1');

  it('always asks bind9 on loopback and never checks propagation through the system resolver', () => {
    expect(flagValue(lego.args, '--dns.resolvers')).toBe('127.0.0.1:5353');
    expect(lego.args).toContain('--dns.disable-cp');
    expect(lego.env.RFC2136_NAMESERVER).toBe('127.0.0.1:5353');
  });

  it('uses the stack’s TSIG key with miekg/dns’s algorithm spelling and no pauses between authorizations', () => {
    expect(lego.env).toMatchObject({
      RFC2136_TSIG_KEY: 'portcullis-local',
      RFC2136_TSIG_SECRET: 'c2VjcmV0',
      RFC2136_TSIG_ALGORITHM: 'hmac-sha256.',
      RFC2136_SEQUENCE_INTERVAL: '0',
      RFC2136_POLLING_INTERVAL: '0',
      LEGO_CA_CERTIFICATES: '/run/ca.pem',
    });
  });

  it('asks for both names with a P-256 key in its own directory and knows where the chain lands', () => {
    expect(lego.args.filter((_, i) => lego.args[i - 1] === '--domains')).toEqual(names);
    expect(flagValue(lego.args, '--key-type')).toBe('ec256');
    expect(flagValue(lego.args, '--path')).toBe('/work/lego/c1');
    expect(lego.args.at(-1)).toBe('run');
    expect(lego.certificateFile).toBe('/work/lego/c1/certificates/b1.example.test.crt');
    expect(lego.accountDir).toBe('/work/lego/c1/accounts');
  });
});

describe('certbotInvocation', () => {
  const certbot = certbotInvocation(context, names, '/work/certbot/c1');

  it('gives each process its own config, work and logs directories', () => {
    expect(flagValue(certbot.args, '--config-dir')).toBe('/work/certbot/c1/config');
    expect(flagValue(certbot.args, '--work-dir')).toBe('/work/certbot/c1/work');
    expect(flagValue(certbot.args, '--logs-dir')).toBe('/work/certbot/c1/logs');
    expect(certbot.certificateFile).toBe('/work/certbot/c1/config/live/b1.example.test/fullchain.pem');
    expect(certbot.accountDir).toBe('/work/certbot/c1/config/accounts');
  });

  it('solves by RFC 2136 without a propagation pause, with a P-256 key, trusting only pebble’s listener CA', () => {
    expect(flagValue(certbot.args, '--authenticator')).toBe('dns-rfc2136');
    expect(flagValue(certbot.args, '--dns-rfc2136-propagation-seconds')).toBe('0');
    expect(flagValue(certbot.args, '--elliptic-curve')).toBe('secp256r1');
    expect(certbot.args.filter((_, i) => certbot.args[i - 1] === '-d')).toEqual(names);
    expect(certbot.env).toEqual({ REQUESTS_CA_BUNDLE: '/run/ca.pem' });
  });

  it('writes the plugin’s credentials for the same bind9 and key', () => {
    expect(certbotCredentials(context.bind).split('\n')).toEqual([
      'dns_rfc2136_server = 127.0.0.1',
      'dns_rfc2136_port = 5353',
      'dns_rfc2136_name = portcullis-local',
      'dns_rfc2136_secret = c2VjcmV0',
      'dns_rfc2136_algorithm = HMAC-SHA256',
      '',
    ]);
  });
});

describe('runTimedChild', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const spec = (script: string, timeoutMs = 20_000) => ({
    command: 'sh',
    args: ['-c', script],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    cwd: dir,
    logFile: join(dir, 'out.log'),
    timeFile: join(dir, 'time.txt'),
    timeoutMs,
  });

  it('reports the exit code, the output and a CPU time', async () => {
    const result = await runTimedChild(spec('echo hello; exit 3'));
    expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
    expect(result.cpuMs).toBeGreaterThanOrEqual(0);
    expect(readFileSync(join(dir, 'out.log'), 'utf8')).toBe('hello\n');
  });

  it('kills the whole process group at the limit, so nothing the CLI started keeps running', async () => {
    const pidFile = join(dir, 'pid');
    const result = await runTimedChild(spec(`sleep 30 & echo $! > ${pidFile}; wait`, 500));
    expect(result).toMatchObject({ timedOut: true, cpuMs: undefined });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => isRunning(grandchild), { timeout: 5_000 }).toBe(false);
  });

  const lines: Record<string, { text: string; want: number | undefined }> = {
    'adds user and system seconds': { text: '5.771 0.012 0.009\n', want: 21 },
    'reads the last line when the shell printed something before': { text: 'warning\n1.000 0.500 0.250', want: 750 },
    'gives nothing for a missing report': { text: '', want: undefined },
  };
  it.each(Object.entries(lines))('parseTimeLine %s', (_name, { text, want }) => {
    expect(parseTimeLine(text)).toBe(want);
  });
});

/** A zombie counts as ended: this VM's init reaps reparented processes late. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
