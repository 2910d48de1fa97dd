/**
 * Where HTTP-01 key authorizations wait to be served at `/.well-known/acme-challenge/<token>`: a responder in
 * local mode and tests, the gateway (through a Kubernetes object) in clusters.
 * - `put` is idempotent for the same token and value; `delete` of an absent token is success.
 * - `get` returns `undefined` for an unknown token.
 */
export interface Http01TokenStore {
  put(token: string, keyAuthorization: string): Promise<void>;
  get(token: string): Promise<string | undefined>;
  delete(token: string): Promise<void>;
}
