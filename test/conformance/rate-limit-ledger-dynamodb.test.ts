/** The rate-limit-ledger conformance suite against the DynamoDB adapter on real moto_server (local stack). */
import { DynamoDbRateLimitLedger } from '@portcullis/aws';
import { useDynamoDbStack } from '../aws/dynamodb-support.js';
import { describeRateLimitLedgerConformance } from './rate-limit-ledger.suite.js';

const dynamodb = useDynamoDbStack();

describeRateLimitLedgerConformance('dynamodb', async () => {
  const { client, freshTables } = dynamodb();
  return new DynamoDbRateLimitLedger({ client, tableName: (await freshTables()).ledger });
});
