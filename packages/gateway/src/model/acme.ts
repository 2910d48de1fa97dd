/**
 * ACME HTTP-01 challenges (ConfigMaps written by the kube HTTP-01 token store) → exact routes
 * `/.well-known/acme-challenge/<token>` answering the key authorization. They are put first in every virtual host of
 * every HTTP listener, so no redirect or catch-all route can shadow them: this is the HTTPS-redirect exemption.
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { ACME_CHALLENGE_PATH_PREFIX, Http01ChallengeKey } from '../sources/annotations.js';
import { compareStrings } from '../sources/objects.js';
import { namespacedName } from './objects.js';
import type { OrderedRoute } from './precedence.js';

/** RFC 8555 §8.3: the token is base64url; the key authorization is `<token>.<base64url thumbprint>`. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface AcmeRoutes {
  readonly routes: OrderedRoute[];
  /** `[configmap namespace/name, sentence]`. */
  readonly problems: [string, string][];
}

export function acmeChallengeRoutes(challenges: readonly V1ConfigMap[]): AcmeRoutes {
  const problems: [string, string][] = [];
  const byToken = new Map<string, OrderedRoute>();
  for (const configMap of challenges) {
    const token = configMap.data?.[Http01ChallengeKey.Token]?.trim() ?? '';
    const keyAuthorization = configMap.data?.[Http01ChallengeKey.KeyAuthorization]?.trim() ?? '';
    const [prefix, thumbprint, extra] = keyAuthorization.split('.');
    if (!BASE64URL.test(token)) {
      problems.push([namespacedName(configMap), `data.${Http01ChallengeKey.Token} is not a base64url ACME token`]);
      continue;
    }
    if (prefix !== token || thumbprint === undefined || !BASE64URL.test(thumbprint) || extra !== undefined) {
      problems.push([
        namespacedName(configMap),
        `data.${Http01ChallengeKey.KeyAuthorization} is not <token>.<thumbprint>`,
      ]);
      continue;
    }
    if (byToken.has(token)) continue; // the same token twice: the first ConfigMap (by namespace/name) wins
    byToken.set(token, {
      route: {
        name: `acme/${token}`,
        match: {
          path: { type: 'Exact', value: `${ACME_CHALLENGE_PATH_PREFIX}${token}` },
          headers: [],
          queryParams: [],
          grpc: false,
        },
        action: { type: 'DirectResponse', status: 200, body: keyAuthorization },
        source: {
          kind: 'Http01Challenge',
          namespace: configMap.metadata?.namespace ?? '',
          name: configMap.metadata?.name ?? '',
        },
      },
      order: { acme: true, created: undefined, owner: token, ruleIndex: 0, matchIndex: 0 },
    });
  }
  const routes = [...byToken.values()].sort((a, b) => compareStrings(a.route.name, b.route.name));
  return { routes, problems };
}
