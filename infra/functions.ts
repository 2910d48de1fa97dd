/**
 * The five Lambda functions (Node 24, arm64), each with its own role built from infra/lib/roles.ts and its own
 * environment from infra/lib/environment.ts. Nothing is `link`ed: SST's links grant broad actions (`dynamodb:*`),
 * and the handlers read plain environment variables anyway.
 */
import type { InfraConfig } from './lib/config.js';
import { functionEnvironment } from './lib/environment.js';
import { toSstPermissions } from './lib/iam.js';
import { FUNCTION_KEYS, FUNCTIONS, type FunctionKey, type TableKey } from './lib/resources.js';
import { functionStatements } from './lib/roles.js';
import type { createMessaging } from './messaging.js';
import type { createSecrets, createTables } from './storage.js';

export interface FunctionInputs {
  readonly config: InfraConfig;
  readonly tables: ReturnType<typeof createTables>;
  readonly messaging: ReturnType<typeof createMessaging>;
  readonly secrets: ReturnType<typeof createSecrets>;
}

export function createFunctions({ config, tables, messaging, secrets }: FunctionInputs) {
  const partition = aws.getPartitionOutput({}).partition;
  const region = aws.getRegionOutput({}).region;
  const account = aws.getCallerIdentityOutput({}).accountId;

  const tableArns = $resolve(
    Object.fromEntries(Object.entries(tables).map(([key, table]) => [key, table.arn])) as Record<
      TableKey,
      $util.Output<string>
    >,
  );
  const tableNames = Object.fromEntries(
    Object.entries(tables).map(([key, table]) => [key, table.name]),
  ) as unknown as Record<TableKey, string>;

  const functions = {} as Record<FunctionKey, sst.aws.Function>;
  for (const key of FUNCTION_KEYS) {
    const definition = FUNCTIONS[key];
    const permissions = $resolve({
      partition,
      region,
      account,
      tableArns,
      reconcileQueue: messaging.reconcileQueue.arn,
      deadLetterQueue: messaging.deadLetterQueue.arn,
      alertTopic: messaging.alertTopic.arn,
      eventBus: messaging.eventBus.arn,
    }).apply((resolved) => {
      if (resolved.partition !== config.partition) {
        throw new Error(
          `infra: config.partition is ${config.partition} but the AWS account is in ${resolved.partition}`,
        );
      }
      const statements = functionStatements(
        key,
        config,
        { partition: resolved.partition, region: resolved.region, account: resolved.account },
        {
          tables: resolved.tableArns,
          reconcileQueue: resolved.reconcileQueue,
          deadLetterQueue: resolved.deadLetterQueue,
          alertTopic: resolved.alertTopic,
          eventBus: resolved.eventBus,
        },
      );
      return toSstPermissions(statements);
    });
    const environment = region.apply((deployRegion) =>
      functionEnvironment(key, config, {
        region: deployRegion,
        // Table names are known before deploy (`transform.table.name`); outputs keep the dependency explicit.
        tableNames,
        reconcileQueueUrl: messaging.reconcileQueue.url,
        deadLetterQueueUrl: messaging.deadLetterQueue.url,
        alertTopicArn: messaging.alertTopic.arn,
        eventBusName: messaging.eventBus.name,
        ...(secrets.eabHmacKey === undefined ? {} : { eabHmacKey: secrets.eabHmacKey.value }),
      }),
    );
    functions[key] = new sst.aws.Function(definition.name, {
      handler: definition.handler,
      description: definition.description,
      runtime: 'nodejs24.x',
      architecture: 'arm64',
      timeout: `${definition.timeout} seconds`,
      memory: `${definition.memory} MB`,
      environment,
      permissions,
      logging: { retention: config.logRetention, format: 'json' },
    });
  }
  return functions;
}
