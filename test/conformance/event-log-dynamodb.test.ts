/** The event-log conformance suite against the DynamoDB adapter on real moto_server (local stack). */
import { DynamoDbEventLog } from '@portcullis/aws';
import { useDynamoDbStack } from '../aws/dynamodb-support.js';
import { describeEventLogConformance } from './event-log.suite.js';

const dynamodb = useDynamoDbStack();

describeEventLogConformance('dynamodb', async () => {
  const { client, freshTables } = dynamodb();
  return new DynamoDbEventLog({ client, tableName: (await freshTables()).events });
});
