/** The order-repository conformance suite against the DynamoDB adapter on real moto_server (local stack). */
import { DynamoDbOrderRepository } from '@portcullis/aws';
import { useDynamoDbStack } from '../aws/dynamodb-support.js';
import { describeOrderRepositoryConformance } from './order-repository.suite.js';

const dynamodb = useDynamoDbStack();

describeOrderRepositoryConformance('dynamodb', async () => {
  const { client, freshTables } = dynamodb();
  return new DynamoDbOrderRepository({ client, tableName: (await freshTables()).orders, retentionDays: 90 });
});
