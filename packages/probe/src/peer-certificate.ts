/**
 * Reading what a TLS server presented: the SNI to send for a host, the names of a leaf's subjectAltName, its issuer
 * CN, and the probe result in the forms the lifecycle stores (serial as `serialHex`, notAfter as `IsoTime`).
 */
import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { type ProbeResult, serialHex, toIsoTime } from '@portcullis/core';

/**
 * The server name to send: the explicit one, else the host when it is a name. Never an IP literal — RFC 6066 §3
 * forbids literal addresses in SNI (Node warns and servers may refuse), so an endpoint given by address gets
 * whatever certificate the server presents without SNI.
 */
export function serverNameFor(host: string, serverName?: string): string | undefined {
  const name = serverName ?? host;
  return isIP(unbracket(name)) === 0 ? name.replace(/\.$/, '') : undefined;
}

/** `[::1]` → `::1` (URLs bracket IPv6; sockets do not). */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * DNS names and IP addresses of a subjectAltName string as Node prints it (`DNS:a.example, IP Address:127.0.0.1`).
 * Node quotes an entry holding a comma or quote as a JSON string (`DNS:"a,b"`); such entries are read back too.
 */
export function namesOfSubjectAltName(subjectAltName: string | undefined): string[] {
  if (subjectAltName === undefined || subjectAltName === '') return [];
  const names: string[] = [];
  for (const entry of subjectAltName.match(/(?:[^,"]|"(?:\\.|[^"\\])*")+/g) ?? []) {
    const match = /^\s*(DNS|IP Address):(.*)$/.exec(entry);
    if (match === null) continue;
    const raw = (match[2] ?? '').trim();
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (value !== '') names.push(value);
  }
  return names;
}

/** The CN of an issuer string (`C=US\nO=Org\nCN=Name`), or the whole string when it has none. */
export function issuerCommonName(issuer: string): string {
  const line = issuer.split('\n').find((part) => part.startsWith('CN='));
  return line === undefined ? issuer.replace(/\n/g, ', ') : line.slice(3);
}

/** The probe result of the leaf a server presented. */
export function probeResultOf(leaf: X509Certificate): ProbeResult {
  return {
    serial: serialHex(leaf),
    notAfter: toIsoTime(new Date(leaf.validTo)),
    names: namesOfSubjectAltName(leaf.subjectAltName),
    issuer: issuerCommonName(leaf.issuer),
  };
}
