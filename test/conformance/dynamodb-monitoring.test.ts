/** The alert-repository and observation-store conformance suites against the DynamoDB adapters on real moto_server. */
import { DynamoDbAlertRepository, DynamoDbObservationStore } from '@portcullis/aws';
import { useDynamoDbStack } from '../aws/dynamodb-support.js';
import { describeAlertRepositoryConformance } from './alert-repository.suite.js';
import { describeObservationStoreConformance } from './observation-store.suite.js';

const dynamodb = useDynamoDbStack();

describeAlertRepositoryConformance('dynamodb', async () => {
  const { client, freshTables } = dynamodb();
  return new DynamoDbAlertRepository({ client, tableName: (await freshTables()).alerts });
});

describeObservationStoreConformance('dynamodb', async () => {
  const { client, freshTables } = dynamodb();
  return new DynamoDbObservationStore({ client, tableName: (await freshTables()).alerts });
});
