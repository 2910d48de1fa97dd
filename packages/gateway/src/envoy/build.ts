/** The whole model → Envoy resources step: pure, deterministic, one resource per model object. */
import type { GatewayModel } from '../model/types.js';
import { compareStrings } from '../sources/objects.js';
import { buildCluster, buildClusterLoadAssignment } from './cluster.js';
import { buildListener } from './listener.js';
import { buildRouteConfiguration, type RouteCache } from './route.js';
import { PathPrefixStyle } from './route-match.js';
import { buildSecret } from './secret.js';
import type { EnvoyResources, EnvoySecret } from './types.js';
import { buildTrustBundleSecret } from './upstream-tls.js';

export interface BuildOptions {
  /** How Gateway API PathPrefix matches are written; default `path-separated` (see PathPrefixStyle). */
  readonly pathPrefixStyle?: PathPrefixStyle;
}

/**
 * Builds every resource from the model. The model is already sorted by name and names are stable, so the output
 * order and content depend only on the model: an unchanged model object gives a byte-identical resource.
 */
export function buildEnvoyResources(model: GatewayModel, options: BuildOptions = {}): EnvoyResources {
  const style = options.pathPrefixStyle ?? PathPrefixStyle.PathSeparated;
  const routeCache: RouteCache = new WeakMap();
  return {
    listeners: model.listeners.map(buildListener),
    routes: model.routeConfigs.map((config) => buildRouteConfiguration(config, style, routeCache)),
    clusters: model.clusters.map(buildCluster),
    endpoints: model.clusters.map(buildClusterLoadAssignment),
    secrets: [
      ...model.secrets.map(buildSecret),
      ...(model.trustBundles ?? []).map(
        (bundle): EnvoySecret => ({
          name: bundle.name,
          secret: buildTrustBundleSecret(bundle),
        }),
      ),
    ].sort((a, b) => compareStrings(a.name, b.name)),
  };
}
