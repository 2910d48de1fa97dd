/**
 * The environment the functions get when they run against a local stack (the local runtime, the lifecycle tests and
 * benchmark): the stack's own variables, the tables and queue created under `prefix`, DNS lookups against bind9,
 * pebble as the issuer, Secrets Manager names under `prefix`.
 */
import { type DynamoDbTableNames, SqsEnv, tableEnv } from '@portcullis/aws';
import { FunctionsEnv } from '@portcullis/functions';
import type { LocalStack } from '@portcullis/local';

export interface LocalFunctionsEnvInput {
  readonly stack: Pick<LocalStack, 'env' | 'bind'>;
  readonly prefix: string;
  readonly tables: DynamoDbTableNames;
  readonly queueUrl: string;
}

export function localFunctionsEnv({ stack, prefix, tables, queueUrl }: LocalFunctionsEnvInput): Record<string, string> {
  return {
    ...stack.env(),
    ...tableEnv(tables),
    [SqsEnv.ReconcileQueueUrl]: queueUrl,
    [FunctionsEnv.DnsResolvers]: `${stack.bind.host}:${stack.bind.port}`,
    [FunctionsEnv.DnsNameserverPort]: String(stack.bind.port),
    [FunctionsEnv.IssuerId]: 'pebble',
    [FunctionsEnv.AccountKeyPrefix]: `${prefix}/acme-accounts/`,
    [FunctionsEnv.CertificatePrefix]: `${prefix}/certificates/`,
  };
}
