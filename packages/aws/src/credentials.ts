import type { Route53ClientConfig } from '@aws-sdk/client-route-53';

/** What an SDK v3 client accepts as `credentials`: static keys or an async provider (derived, to avoid a dependency). */
export type AwsCredentialsInput = NonNullable<Route53ClientConfig['credentials']>;
/** An async credential provider (`() => Promise<AwsCredentials>`), e.g. the result of `assumeRoleCredentials`. */
export type AwsCredentialProvider = Extract<AwsCredentialsInput, (...args: never[]) => unknown>;
/** Static credentials: access key, secret, optional session token and expiration. */
export type AwsCredentials = Exclude<AwsCredentialsInput, AwsCredentialProvider>;
