import { PortcullisError } from '@portcullis/core';

/** Stable codes of the DNS package (API mapping, metrics and tests match on them). */
export const DnsErrorCode = {
  /** No answer from a DNS server within the time-out. Retryable: the server may be back soon. */
  Timeout: 'DnsTimeout',
  /** The server could not be reached (connection refused, ICMP port unreachable, network down). Retryable. */
  Unreachable: 'DnsUnreachable',
  /** The server's answer could not be parsed or did not belong to our question. */
  BadResponse: 'DnsBadResponse',
  /** The server answered an UPDATE with an rcode other than NOERROR (NOTAUTH, REFUSED, SERVFAIL, ...). */
  UpdateRejected: 'DnsUpdateRejected',
  /** TSIG failed: the server reported BADSIG/BADKEY/BADTIME, or its response was unsigned or carried a bad MAC. */
  TsigFailed: 'DnsTsigFailed',
  /** Every server asked answered a query with an rcode we cannot use (REFUSED, SERVFAIL, NOTIMP, ...). */
  QueryFailed: 'DnsQueryFailed',
  /** No zone (SOA) encloses the name on the servers we can reach. */
  ZoneNotFound: 'DnsZoneNotFound',
  /** A zone was found but none of its name servers has an address we can ask. */
  NoNameservers: 'DnsNoNameservers',
  /** A CNAME chain loops or is longer than we follow. */
  CnameChainBroken: 'DnsCnameChainBroken',
  /** `_acme-challenge.<name>` is only a CNAME because a wildcard CNAME captures it: writing there is wrong. */
  WildcardCnameCapture: 'DnsWildcardCnameCapture',
} as const;
export type DnsErrorCode = (typeof DnsErrorCode)[keyof typeof DnsErrorCode];

/** A DNS server as `host:port`, the form every message uses. */
export function formatServer(server: { readonly host: string; readonly port: number }): string {
  return server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/** A name server for messages: `host:port`, with its NS name when known (`127.0.0.1:53 (ns1.example.test)`). */
export function describeNameserver(server: {
  readonly host: string;
  readonly port: number;
  readonly name?: string;
}): string {
  return server.name === undefined ? formatServer(server) : `${formatServer(server)} (${server.name})`;
}

/**
 * Base of every error of this package (the `DnsError` the `DnsProvider` contract names). `code` is a `DnsErrorCode`
 * here and a provider's own code in provider errors (e.g. `Route53ErrorCode`), hence typed as a string.
 */
export class DnsError extends PortcullisError {
  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** Transport failure towards one server: time-out or unreachable. Always retryable. */
export class DnsTransportError extends DnsError {
  readonly server: string;

  constructor(
    code: typeof DnsErrorCode.Timeout | typeof DnsErrorCode.Unreachable,
    server: string,
    message: string,
    cause?: unknown,
  ) {
    super(code, message, { retryable: true, cause });
    this.server = server;
  }
}

/** A query could not be answered usefully (bad response, or every server refused). */
export class DnsQueryError extends DnsError {
  /** The question, as `<name> <type>`. */
  readonly question: string;
  readonly rcode: string | undefined;

  constructor(
    code: DnsErrorCode,
    question: string,
    message: string,
    options: { rcode?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.question = question;
    this.rcode = options.rcode;
  }
}

/**
 * An RFC 2136 UPDATE failed. Names the server, the zone and the records, and carries the server's answer
 * (`rcode`, and `tsigError` such as BADSIG when TSIG failed). Retryable when the server was unreachable, timed out
 * or answered SERVFAIL; not when it refused (NOTAUTH, REFUSED, NOTZONE, TSIG errors): those need a config fix.
 */
export class DnsUpdateError extends DnsError {
  readonly server: string;
  readonly zone: string;
  readonly records: readonly string[];
  readonly rcode: string | undefined;
  readonly tsigError: string | undefined;

  constructor(
    code: DnsErrorCode,
    init: {
      server: string;
      zone: string;
      records: readonly string[];
      answer: string;
      rcode?: string;
      tsigError?: string;
      retryable?: boolean;
      cause?: unknown;
    },
  ) {
    const what =
      init.records.length > 3
        ? `${init.records.slice(0, 3).join(', ')} and ${init.records.length - 3} more`
        : init.records.join(', ');
    super(code, `rfc2136: ${init.server} zone ${init.zone}: update of ${what || 'no records'} failed: ${init.answer}`, {
      retryable: init.retryable ?? false,
      cause: init.cause,
    });
    this.server = init.server;
    this.zone = init.zone;
    this.records = init.records;
    this.rcode = init.rcode;
    this.tsigError = init.tsigError;
  }
}

/** Resolver-level failures (zone discovery, CNAME chains, wildcard capture), naming the name concerned. */
export class DnsResolveError extends DnsError {
  readonly fqdn: string;

  constructor(
    code: DnsErrorCode,
    fqdn: string,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.fqdn = fqdn;
  }
}
