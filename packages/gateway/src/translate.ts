/**
 * `translate(snapshot, options)` → `{ model, status, diagnostics }`: the pure heart of the gateway controller. Same
 * snapshot and options (and clock) → deep-equal result. Order of work, which is also the order of precedence on the
 * shared Envoy: GatewayClasses and Gateways (oldest first) claim listeners and SNI names; HTTPRoutes and GRPCRoutes
 * attach to them; our Ingresses fill the Ingress ports; ACME HTTP-01 challenges go first on every HTTP listener.
 */
import type { V1Namespace, V1Secret } from '@kubernetes/client-node';
import { systemClock, ValidationError } from '@portcullis/core';
import { acmeChallengeRoutes } from './model/acme.js';
import { indexBackendTls } from './model/backend-tls.js';
import { indexBackends } from './model/backends.js';
import { ModelBuilder } from './model/builder.js';
import { translateGateways } from './model/gateways.js';
import { translateIngresses } from './model/ingresses.js';
import { compareAge } from './model/objects.js';
import { translateRoutes } from './model/routes.js';
import type { Diagnostic, GatewayAddress, TranslateOptions, TranslateResult } from './model/translate-options.js';
import { compareStrings, formatKey } from './sources/objects.js';
import {
  DEFAULT_OWNERSHIP,
  isOurGateway,
  isOurIngress,
  type Ownership,
  ourGatewayClassNames,
} from './sources/ownership.js';
import type { SourceSnapshot } from './sources/types.js';
import { backendTlsPolicyStatusUpdates } from './status/backend-tls-policy-status.js';
import { gatewayStatusUpdates } from './status/gateway-status.js';
import { ingressStatusUpdates } from './status/ingress-status.js';
import { routeStatusUpdates } from './status/route-status.js';

export function translate(snapshot: SourceSnapshot, options: TranslateOptions = {}): TranslateResult {
  const settings = validateOptions(options);
  const now = (options.clock ?? systemClock).now();
  const builder = new ModelBuilder(settings.listenAddress, settings.proxyProtocol);
  const secrets = new Map<string, V1Secret>(
    snapshot.secrets.map((s) => [`${s.metadata?.namespace}/${s.metadata?.name}`, s]),
  );
  const namespaceLabels = labelsByNamespace(snapshot.namespaces);
  const ourClasses = ourGatewayClassNames(snapshot.gatewayClasses, settings.ownership);
  const ourGateways = snapshot.gateways.filter((g) => isOurGateway(g, ourClasses));
  const backendTls = indexBackendTls(snapshot.backendTlsPolicies, snapshot.caCertificates, ourGateways, secrets);
  builder.addUpstreamTlsMaterial(backendTls.clientCertificate, backendTls.trustBundles);
  const backends = indexBackends(snapshot.services, snapshot.endpointSlices, snapshot.referenceGrants, backendTls);

  const gateways = translateGateways(
    {
      gatewayClasses: snapshot.gatewayClasses,
      gateways: snapshot.gateways,
      listenerSets: snapshot.listenerSets,
      namespaceLabels,
      secrets,
      referenceGrants: snapshot.referenceGrants,
    },
    settings.ownership,
    builder,
  );
  const routeResults = translateRoutes(
    { httpRoutes: snapshot.httpRoutes, grpcRoutes: snapshot.grpcRoutes, gateways, backends, namespaceLabels },
    builder,
  );
  const ingresses = snapshot.ingresses
    .filter((i) => isOurIngress(i, snapshot.ingressClasses, settings.ownership))
    .sort(compareAge);
  const ingressProblems = translateIngresses(
    { ingresses, secrets, backends, httpPort: settings.ingressHttpPort, httpsPort: settings.ingressHttpsPort },
    builder,
  );
  const acme = acmeChallengeRoutes(snapshot.http01Challenges);
  // Pending challenges must be answerable on port 80 even when nothing else is served over plain HTTP.
  if (acme.routes.length > 0 && !builder.hasListener('HTTP')) builder.claimListener(settings.ingressHttpPort, 'HTTP');
  builder.setHttpOnlyPrefixRoutes(acme.routes);

  const status = [
    ...gatewayStatusUpdates(gateways, settings.addresses, now),
    ...routeStatusUpdates(
      [...snapshot.httpRoutes, ...snapshot.grpcRoutes],
      routeResults,
      settings.ownership.controllerName,
      now,
    ),
    ...ingressStatusUpdates(ingresses, settings.addresses),
    ...backendTlsPolicyStatusUpdates(
      backendTls.outcomes,
      [...snapshot.httpRoutes, ...snapshot.grpcRoutes],
      new Set(ourGateways.map((g) => `${g.metadata.namespace}/${g.metadata.name}`)),
      settings.ownership.controllerName,
      now,
    ),
  ].sort((a, b) => compareStrings(a.key, b.key));
  const diagnostics: Diagnostic[] = [
    ...ingressProblems.map(([object, message]) => ({ object: objectKey('Ingress', object), message })),
    ...acme.problems.map(([object, message]) => ({ object: objectKey('ConfigMap', object), message })),
  ].sort((a, b) => compareStrings(a.object, b.object) || compareStrings(a.message, b.message));
  return { model: builder.build(), status, diagnostics };
}

interface Settings {
  readonly ownership: Ownership;
  readonly listenAddress: string;
  readonly addresses: readonly GatewayAddress[];
  readonly ingressHttpPort: number;
  readonly ingressHttpsPort: number;
  readonly proxyProtocol: boolean;
}

function validateOptions(options: TranslateOptions): Settings {
  const port = (field: string, value: number | undefined, fallback: number) => {
    const chosen = value ?? fallback;
    if (!Number.isInteger(chosen) || chosen < 1 || chosen > 65535) {
      throw new ValidationError(`translate.${field}`, 'port', `${chosen} is not a port number (1-65535)`);
    }
    return chosen;
  };
  const ingressHttpPort = port('ingressHttpPort', options.ingressHttpPort, 80);
  const ingressHttpsPort = port('ingressHttpsPort', options.ingressHttpsPort, 443);
  if (ingressHttpPort === ingressHttpsPort) {
    throw new ValidationError('translate.ingressHttpsPort', 'distinct', 'must differ from ingressHttpPort');
  }
  for (const [index, address] of (options.addresses ?? []).entries()) {
    if (address.type !== 'IPAddress' && address.type !== 'Hostname') {
      throw new ValidationError(`translate.addresses[${index}].type`, 'enum', 'must be IPAddress or Hostname');
    }
    if (address.value.trim() === '') {
      throw new ValidationError(`translate.addresses[${index}].value`, 'required', 'must not be empty');
    }
  }
  for (const field of ['controllerName', 'ingressClass', 'listenAddress'] as const) {
    if (options[field] !== undefined && options[field].trim() === '') {
      throw new ValidationError(`translate.${field}`, 'required', 'must not be empty');
    }
  }
  return {
    ownership: {
      controllerName: options.controllerName ?? DEFAULT_OWNERSHIP.controllerName,
      ingressClass: options.ingressClass ?? DEFAULT_OWNERSHIP.ingressClass,
    },
    listenAddress: options.listenAddress ?? '0.0.0.0',
    addresses: options.addresses ?? [],
    ingressHttpPort,
    ingressHttpsPort,
    proxyProtocol: options.proxyProtocol ?? false,
  };
}

function labelsByNamespace(namespaces: readonly V1Namespace[]): Map<string, Record<string, string>> {
  return new Map(namespaces.map((n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}]));
}

function objectKey(kind: string, namespacedName: string): string {
  const [namespace = '', name = ''] = namespacedName.split('/');
  return formatKey({ kind, namespace, name });
}
