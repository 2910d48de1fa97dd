export {
  type AssumeRoleConfig,
  type AssumeRoleOptions,
  assumeRoleCredentials,
  validateAssumeRoleConfig,
} from './assume-role.js';
export {
  AwsClients,
  type AwsClientsConfig,
  type AwsService,
  createAwsClients,
  route53ClientForZone,
} from './clients.js';
export { type AwsRequestCounter, countAwsRequests } from './count-requests.js';
export type { AwsCredentialProvider, AwsCredentials, AwsCredentialsInput } from './credentials.js';
export { AwsEnv, awsConfigFromEnv } from './env.js';
export { AwsError, AwsErrorCode } from './errors.js';
export { accountOfRoleArn } from './validate.js';
