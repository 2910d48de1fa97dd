/** Ingress `status.loadBalancer.ingress`: the configured addresses of the Envoy fleet, for our Ingresses. */
import type { V1Ingress } from '@kubernetes/client-node';
import type { GatewayAddress } from '../model/translate-options.js';
import type { IngressStatusUpdate } from './types.js';
import { statusUpdate } from './updates.js';

export function ingressStatusUpdates(
  ingresses: readonly V1Ingress[],
  addresses: readonly GatewayAddress[],
): IngressStatusUpdate[] {
  const ingress = addresses.map((a) => (a.type === 'IPAddress' ? { ip: a.value } : { hostname: a.value }));
  return ingresses.map((object) => statusUpdate<IngressStatusUpdate>(object, 'Ingress', { loadBalancer: { ingress } }));
}
