/**
 * An SDS consumer that does what Envoy does with Secrets, with real Node TLS: it subscribes to Secrets by name over
 * ADS (State of the World), checks every certificate against its key, installs them into one TLS server on a fixed
 * loopback port with `setSecureContext` (new handshakes get the new certificate, open connections keep theirs), and
 * ACKs — or, when any Secret of a response is unusable, NACKs with `error_detail` and the last version it accepted,
 * and keeps serving the old certificates.
 *
 * The xDS stream is hand-written on purpose: no Node xDS client consumes SDS (@grpc/grpc-js-xds has none), and the
 * point is a client independent of the server's own code. Messages are the real Envoy protos (protobuf-es, from the
 * gateway's registry).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext, createServer, type SecureContext, type Server, type TLSSocket } from 'node:tls';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { Client, type ClientDuplexStream, credentials } from '@grpc/grpc-js';
import { type Redacted, redact } from '@portcullis/core';
import {
  type DiscoveryRequest,
  DiscoveryRequestSchema,
  type DiscoveryResponse,
  DiscoveryResponseSchema,
  resourceSchemas,
  TypeUrl,
} from '@portcullis/gateway';

const ADS_METHOD = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';
/** google.rpc.Code INVALID_ARGUMENT: what Envoy puts in error_detail when it rejects a config. */
const INVALID_ARGUMENT = 3;

/** One certificate as installed: the leaf's serial (upper-case hex, as Node reports it) per Secret name. */
export interface InstalledSecret {
  readonly name: string;
  readonly serialNumber: string;
}

export type SdsConsumerEvent =
  | { readonly kind: 'ack'; readonly version: string; readonly secrets: readonly InstalledSecret[] }
  | { readonly kind: 'nack'; readonly version: string; readonly errorDetail: string };

export interface SdsConsumerOptions {
  /** `host:port` of the ADS server. */
  readonly serverAddress: string;
  readonly nodeId: string;
  /** Secrets to subscribe to; the first is served to clients whose SNI names none of `sniToSecret`. */
  readonly secretNames: readonly string[];
  /** SNI → Secret name, for a consumer serving several certificates on one port. */
  readonly sniToSecret?: Readonly<Record<string, string>>;
}

interface Usable {
  readonly name: string;
  readonly context: SecureContext;
  readonly serialNumber: string;
  /** For `setSecureContext` (connections without SNI); the key stays redacted outside that call. */
  readonly material: { readonly cert: string; readonly key: Redacted<string> };
}

export class SdsTlsConsumer {
  readonly events: SdsConsumerEvent[] = [];
  readonly #options: SdsConsumerOptions;
  readonly #client: Client;
  readonly #stream: ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  readonly #contexts = new Map<string, Usable>();
  readonly #waiters = new Set<() => void>();
  #tls: Server | undefined;
  #port: number | undefined;
  #acceptedVersion = '';
  #streamError: Error | undefined;
  /** Responses are handled one at a time, in arrival order (installing may await the first listen). */
  #queue: Promise<void> = Promise.resolve();

  private constructor(options: SdsConsumerOptions) {
    this.#options = options;
    this.#client = new Client(options.serverAddress, credentials.createInsecure());
    this.#stream = this.#client.makeBidiStreamRequest(
      ADS_METHOD,
      (message: DiscoveryRequest) => Buffer.from(toBinary(DiscoveryRequestSchema, message)),
      (bytes: Buffer) => fromBinary(DiscoveryResponseSchema, bytes),
    );
    this.#stream.on('data', (response: DiscoveryResponse) => {
      this.#queue = this.#queue.then(() => this.#onResponse(response)).catch((error: unknown) => this.#fail(error));
    });
    this.#stream.on('error', (error: Error) => this.#fail(error));
  }

  /** Opens the stream and subscribes; the TLS server starts listening with the first accepted Secrets. */
  static start(options: SdsConsumerOptions): SdsTlsConsumer {
    const consumer = new SdsTlsConsumer(options);
    consumer.#send({ versionInfo: '', responseNonce: '' });
    return consumer;
  }

  /** The TLS port; throws before the first Secrets were installed (await `waitFor` first). */
  get port(): number {
    if (this.#port === undefined) throw new Error('sds consumer: no certificate installed yet');
    return this.#port;
  }

  /** The version of the last response it ACKed ('' before any). */
  get acceptedVersion(): string {
    return this.#acceptedVersion;
  }

  /** Resolves with the first event (past or future) that `predicate` accepts; rejects after `timeoutMs`. */
  waitFor(
    predicate: (event: SdsConsumerEvent) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<SdsConsumerEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.#streamError !== undefined) return finish(() => reject(this.#streamError));
        const found = this.events.find(predicate);
        if (found !== undefined) finish(() => resolve(found));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`sds consumer ${this.#options.nodeId}: timed out waiting for ${what}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        settle();
      };
      this.#waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    this.#stream.cancel();
    this.#client.close();
    const tls = this.#tls;
    if (tls !== undefined) await new Promise<void>((resolve) => tls.close(() => resolve()));
  }

  async #onResponse(response: DiscoveryResponse): Promise<void> {
    if (response.typeUrl !== TypeUrl.Secret) {
      this.#nack(response, `unexpected type ${response.typeUrl}`);
      return;
    }
    let usable: Usable[];
    try {
      usable = response.resources.map(readSecret);
    } catch (error) {
      this.#nack(response, error instanceof Error ? error.message : String(error));
      return;
    }
    for (const secret of usable) this.#contexts.set(secret.name, secret);
    await this.#install();
    this.#acceptedVersion = response.versionInfo;
    this.#send({ versionInfo: response.versionInfo, responseNonce: response.nonce });
    const secrets = usable.map(({ name, serialNumber }) => ({ name, serialNumber }));
    this.#record({ kind: 'ack', version: response.versionInfo, secrets });
  }

  /**
   * Starts the TLS server on the first install; later installs swap the default context in place
   * (`setSecureContext`: new handshakes only, open connections untouched). Handshakes with SNI pick their context
   * in `SNICallback` from the current map, so they see a rotation too.
   */
  async #install(): Promise<void> {
    const fallback = this.#contexts.get(this.#options.secretNames[0] ?? '');
    if (fallback === undefined) return;
    if (this.#tls !== undefined) {
      this.#tls.setSecureContext({ cert: fallback.material.cert, key: fallback.material.key.reveal() });
    } else {
      const tls = createServer({
        secureContext: fallback.context,
        SNICallback: (name, done) => done(null, this.#pick(name)),
      });
      tls.on('secureConnection', (socket: TLSSocket) => {
        // Echo, so a test can prove an old connection still carries data after a rotation.
        socket.on('data', (chunk) => socket.write(chunk));
        socket.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        tls.once('error', reject);
        tls.listen(0, '127.0.0.1', () => resolve());
      });
      const address = tls.address();
      this.#port = typeof address === 'object' && address !== null ? address.port : undefined;
      this.#tls = tls;
    }
  }

  /** The context for an SNI name; `setSecureContext` is not needed because every handshake asks here. */
  #pick(serverName: string): SecureContext | undefined {
    const byName = this.#options.sniToSecret?.[serverName];
    return this.#contexts.get(byName ?? this.#options.secretNames[0] ?? '')?.context;
  }

  #nack(response: DiscoveryResponse, message: string): void {
    this.#send({
      versionInfo: this.#acceptedVersion,
      responseNonce: response.nonce,
      errorDetail: { code: INVALID_ARGUMENT, message },
    });
    this.#record({ kind: 'nack', version: response.versionInfo, errorDetail: message });
  }

  #send(fields: { versionInfo: string; responseNonce: string; errorDetail?: { code: number; message: string } }): void {
    this.#stream.write(
      create(DiscoveryRequestSchema, {
        ...fields,
        node: { id: this.#options.nodeId, cluster: 'portcullis-tests' },
        typeUrl: TypeUrl.Secret,
        resourceNames: [...this.#options.secretNames],
      }),
    );
  }

  #record(event: SdsConsumerEvent): void {
    this.events.push(event);
    for (const check of [...this.#waiters]) check();
  }

  #fail(error: unknown): void {
    // A cancelled stream (close) is not a failure of the test.
    if (error instanceof Error && 'code' in error && error.code === 1) return;
    this.#streamError = error instanceof Error ? error : new Error(String(error));
    for (const check of [...this.#waiters]) check();
  }
}

/** Decodes one Secret and proves its key belongs to its certificate, as Envoy does before using it. */
function readSecret(resource: Any): Usable {
  const secret = fromBinary(resourceSchemas[TypeUrl.Secret], resource.value);
  const { type } = secret;
  if (type.case !== 'tlsCertificate') throw new Error(`secret ${secret.name}: not a tls_certificate`);
  const text = (source: typeof type.value.certificateChain, field: string): string => {
    const specifier = source?.specifier;
    if (specifier?.case === 'inlineString') return specifier.value;
    if (specifier?.case === 'inlineBytes') return Buffer.from(specifier.value).toString('utf8');
    throw new Error(`secret ${secret.name}: ${field} is not inline`);
  };
  const chain = text(type.value.certificateChain, 'certificate_chain');
  const key = text(type.value.privateKey, 'private_key');
  const leaf = new X509Certificate(chain);
  // The error names the Secret and never quotes the key.
  if (!leaf.checkPrivateKey(createPrivateKey(key))) {
    throw new Error(`secret ${secret.name}: private key does not match certificate serial ${leaf.serialNumber}`);
  }
  return {
    name: secret.name,
    context: createSecureContext({ cert: chain, key }),
    serialNumber: leaf.serialNumber,
    material: { cert: chain, key: redact(key) },
  };
}
