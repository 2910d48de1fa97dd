import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNamedConf, renderPebbleConfig, renderPebbleEnv, renderZoneFile, zoneFileName } from './config.js';
import { LocalStackStartError } from './errors.js';
import { findFreePorts } from './free-port.js';
import { createListenerTls } from './listener-tls.js';
import { createStackHandle, type LocalStack } from './local-stack.js';
import { type LocalStackOptions, validateLocalStackOptions } from './options.js';
import { registerExitCleanup, type SpawnedChild, spawnChild, stopPid, tailFile } from './process-control.js';
import { fetchText, querySoa, waitUntilReady } from './readiness.js';
import type { ChildRecord, EabKey, LocalStackState } from './stack-state.js';

/** Executables of the stack (Debian packages bind9 and pebble; moto_server from the machine image). */
export const LocalStackCommand = {
  named: '/usr/sbin/named',
  pebble: '/usr/bin/pebble',
  moto: 'moto_server',
} as const;

export const DEFAULT_ZONES: readonly string[] = ['example.test', 'delegated.test'];
const TSIG_NAME = 'portcullis-local';
/** named, pebble and moto each start in well under a second; the deadline only catches a hung child. */
const DEFAULT_START_TIMEOUT_MS = 20_000;
/** Automatically picked ports can be taken by another process before the child binds them; retry with new ones. */
const PORT_RACE_ATTEMPTS = 3;
const ADDRESS_IN_USE = /address (already )?in use|unable to listen on any configured interfaces/i;

interface Ports {
  dns: number;
  acme: number;
  management: number;
  http01: number;
  tls: number;
  moto: number;
}

async function choosePorts(options: LocalStackOptions): Promise<Ports> {
  const fixed = options.ports ?? {};
  const [dns] = fixed.dns === undefined ? await findFreePorts(1, { udp: true }) : [fixed.dns];
  // One spare: the DNS port or a fixed one may come up again among the free ones.
  const free = await findFreePorts(6 + Object.keys(fixed).length);
  const exclude = new Set([dns, ...Object.values(fixed)]);
  const pick = (): number => {
    const port = free.find((candidate) => !exclude.has(candidate));
    if (port === undefined) throw new Error('net: ran out of free ports');
    exclude.add(port);
    return port;
  };
  return {
    dns: dns as number,
    acme: fixed.acme ?? pick(),
    management: fixed.management ?? pick(),
    http01: fixed.http01 ?? pick(),
    tls: fixed.tls ?? pick(),
    moto: fixed.moto ?? pick(),
  };
}

/** Random MAC keys for pebble's externalAccountMACKeys (32 bytes, base64url as pebble expects). */
function generateEabKeys(): EabKey[] {
  return ['kid-1', 'kid-2'].map((kid) => ({ kid, hmacKey: randomBytes(32).toString('base64url') }));
}

class ChildStartFailure extends Error {
  constructor(
    readonly child: SpawnedChild,
    readonly reason: string,
  ) {
    super(reason);
  }
}

async function startOnce(options: LocalStackOptions, ports: Ports): Promise<LocalStackState> {
  const zones = options.zones ?? [...DEFAULT_ZONES];
  const detached = options.detached ?? false;
  const deadline = Date.now() + (options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-'));
  const spawned: SpawnedChild[] = [];
  const records: ChildRecord[] = [];
  const pids: number[] = [];
  // Until the handle exists, this keeps an aborted start from leaving children behind.
  const unregister = detached ? () => {} : registerExitCleanup(pids, dir);
  const start = (name: string, command: string, args: string[], marker: string, env?: Record<string, string>) => {
    const logFile = join(dir, `${name}.log`);
    const child = spawnChild({
      name,
      command,
      args,
      cwd: dir,
      logFile,
      detached,
      ...(env === undefined ? {} : { env }),
    });
    spawned.push(child);
    if (child.pid > 0) {
      pids.push(child.pid);
      records.push({ name, pid: child.pid, commandLineMarker: marker, logFile });
    }
    return child;
  };
  const ready = async (child: SpawnedChild, probe: () => Promise<boolean>): Promise<void> => {
    const failure = await waitUntilReady(probe, child.exited, deadline);
    if (failure !== undefined) throw new ChildStartFailure(child, failure);
  };

  try {
    const tsig = { name: TSIG_NAME, algorithm: 'hmac-sha256' as const, secret: randomBytes(32).toString('base64') };
    const namedConf = join(dir, 'named.conf');
    writeFileSync(namedConf, renderNamedConf({ dir, port: ports.dns, zones, tsig }), { mode: 0o600 });
    for (const zone of zones) writeFileSync(join(dir, zoneFileName(zone)), renderZoneFile(zone));

    const tls = await createListenerTls();
    const listenerCaFile = join(dir, 'listener-ca.pem');
    writeFileSync(listenerCaFile, tls.caPem);
    writeFileSync(join(dir, 'listener-cert.pem'), tls.certPem);
    writeFileSync(join(dir, 'listener-key.pem'), tls.keyPem, { mode: 0o600 });
    const eab = options.pebble?.eab === true ? generateEabKeys() : undefined;
    const pebbleConf = join(dir, 'pebble.json');
    writeFileSync(
      pebbleConf,
      renderPebbleConfig({
        acmePort: ports.acme,
        managementPort: ports.management,
        certificateFile: join(dir, 'listener-cert.pem'),
        privateKeyFile: join(dir, 'listener-key.pem'),
        httpPort: ports.http01,
        tlsPort: ports.tls,
        ...(eab === undefined ? {} : { eabKeys: Object.fromEntries(eab.map((key) => [key.kid, key.hmacKey])) }),
        ...(options.pebble?.validitySeconds === undefined ? {} : { validitySeconds: options.pebble.validitySeconds }),
      }),
      { mode: 0o600 },
    );
    chmodSync(dir, 0o700);

    // named first (pebble resolves through it); moto does not depend on anything, so it starts alongside.
    const named = start('named', LocalStackCommand.named, ['-g', '-c', namedConf], namedConf);
    const motoEnabled = options.moto ?? true;
    const motoPort = String(ports.moto);
    const moto = motoEnabled
      ? start('moto', LocalStackCommand.moto, ['-H', '127.0.0.1', '-p', motoPort], `-p ${motoPort}`)
      : undefined;
    const motoEndpoint = `http://127.0.0.1:${ports.moto}`;
    const motoReady = moto
      ? ready(moto, async () => (await fetchText(`${motoEndpoint}/moto-api/`, { timeoutMs: 1_000 })).status === 200)
      : Promise.resolve();
    motoReady.catch(() => {}); // awaited below; this only keeps an early rejection from being unhandled

    await ready(named, async () => (await Promise.all(zones.map((zone) => querySoa(ports.dns, zone)))).every(Boolean));

    const pebble = start(
      'pebble',
      LocalStackCommand.pebble,
      ['-config', pebbleConf, '-dnsserver', `127.0.0.1:${ports.dns}`],
      pebbleConf,
      renderPebbleEnv(options.pebble ?? {}),
    );
    const directoryUrl = `https://127.0.0.1:${ports.acme}/dir`;
    const probeAgent = new Agent({ ca: tls.caPem, keepAlive: false });
    try {
      await ready(
        pebble,
        async () => (await fetchText(directoryUrl, { agent: probeAgent, timeoutMs: 1_000 })).status === 200,
      );
    } finally {
      probeAgent.destroy();
    }
    await motoReady;

    unregister();
    return {
      version: 1,
      dir,
      detached,
      startedAt: new Date().toISOString(),
      children: records,
      bind: { host: '127.0.0.1', port: ports.dns, zones, tsig },
      pebble: {
        directoryUrl,
        managementUrl: `https://127.0.0.1:${ports.management}`,
        listenerCaFile,
        httpPort: ports.http01,
        tlsPort: ports.tls,
        rootCount: 1 + (options.pebble?.alternateRoots ?? 0),
        ...(eab === undefined ? {} : { eab }),
      },
      ...(motoEnabled ? { moto: { endpoint: motoEndpoint, region: 'us-east-1' as const } } : {}),
    };
  } catch (error) {
    // Stop everything this attempt started before reporting, so a failed start leaves nothing running.
    await Promise.all(spawned.map((child) => stopPid(child.pid)));
    const failed = error instanceof ChildStartFailure ? error : undefined;
    const logTail = failed ? tailFile(failed.child.logFile) : '';
    rmSync(dir, { recursive: true, force: true });
    unregister();
    if (failed) {
      throw new LocalStackStartError(
        failed.child.name,
        failed.reason,
        logTail,
        spawned.map((child) => child.pid),
        dir,
      );
    }
    throw error;
  }
}

/**
 * Starts bind9, pebble and moto_server on free loopback ports in a fresh temp dir and waits until each answers.
 * A failed start throws `LocalStackStartError` with the failing child's log tail after stopping everything.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const state = await startLocalStackState(options);
  return createStackHandle(state, { ownChildren: !state.detached });
}

/** Starts the stack and returns its plain state (the detached mode persists it and attaches later). */
export async function startLocalStackState(options: LocalStackOptions = {}): Promise<LocalStackState> {
  validateLocalStackOptions(options);
  const anyFixed = Object.keys(options.ports ?? {}).length > 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await choosePorts(options));
    } catch (error) {
      const portRace = error instanceof LocalStackStartError && ADDRESS_IN_USE.test(error.logTail);
      if (!portRace || anyFixed || attempt >= PORT_RACE_ATTEMPTS) throw error;
    }
  }
}
