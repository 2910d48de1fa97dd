/** Inputs and outputs of `translate` besides the snapshot: the seam the golden runner and the controller loop use. */
import { type Clock, ValidationError } from '@portcullis/core';
import type { StatusUpdates } from '../status/types.js';
import type { GatewayModel } from './types.js';

/** An address the Envoy fleet is reachable at: written to Gateway `status.addresses` and Ingress load-balancer status. */
export interface GatewayAddress {
  readonly type: 'IPAddress' | 'Hostname';
  readonly value: string;
}

export interface TranslateOptions {
  /** GatewayClasses with this `spec.controllerName` are ours. Default `portcullis.dev/gateway-controller`. */
  readonly controllerName?: string;
  /** Ingresses of this class are ours. Default `portcullis`. */
  readonly ingressClass?: string;
  /** Where status times come from. Default the system clock; tests and goldens pass a fixed one. */
  readonly clock?: Pick<Clock, 'now'>;
  /** Address every Envoy listener binds. Default `0.0.0.0`. */
  readonly listenAddress?: string;
  /**
   * Addresses of the Envoy fleet (its Service / load balancer). Gateways without one are `Programmed=False,
   * AddressNotAssigned` as the spec requires; Ingresses get an empty load-balancer status. Default none.
   */
  readonly addresses?: readonly GatewayAddress[];
  /** Port of the plain-HTTP listener that serves Ingresses. Default 80. */
  readonly ingressHttpPort?: number;
  /** Port of the HTTPS listener that serves Ingresses with `spec.tls`. Default 443. */
  readonly ingressHttpsPort?: number;
  /**
   * Every Envoy listener reads a PROXY protocol header first (and refuses connections without one): on when the
   * Envoy Service is an AWS NLB with `aws-load-balancer-proxy-protocol: "*"`, off otherwise — the two must agree,
   * or every connection fails. Default false. The controller takes it from `PROXY_PROTOCOL_ENV`.
   */
  readonly proxyProtocol?: boolean;
}

/**
 * Environment variable the controller reads `TranslateOptions.proxyProtocol` from: `true` or `false` (unset =
 * false). deploy/30-controller.yaml sets it together with the NLB proxy protocol annotation in deploy/50-envoy.yaml.
 */
export const PROXY_PROTOCOL_ENV = 'PORTCULLIS_PROXY_PROTOCOL';

/** `TranslateOptions.proxyProtocol` from the environment; anything but unset, `true` or `false` is refused. */
export function proxyProtocolFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env[PROXY_PROTOCOL_ENV];
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new ValidationError(PROXY_PROTOCOL_ENV, 'boolean', `must be true or false, not ${JSON.stringify(value)}`);
}

/** Something wrong in the input that has no status field to report it in (e.g. a bad Ingress annotation). */
export interface Diagnostic {
  /** `Kind/namespace/name` of the object concerned. */
  readonly object: string;
  /** Stable user-facing sentence (no timestamps, no key material). */
  readonly message: string;
}

export interface TranslateResult {
  readonly model: GatewayModel;
  readonly status: StatusUpdates;
  /** Sorted by object then message. */
  readonly diagnostics: readonly Diagnostic[];
}
