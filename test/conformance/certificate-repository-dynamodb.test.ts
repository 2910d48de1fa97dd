/** The certificate-repository conformance suite against the DynamoDB adapter on real moto_server (local stack). */
import { DynamoDbCertificateRepository } from '@portcullis/aws';
import { useDynamoDbStack } from '../aws/dynamodb-support.js';
import { describeCertificateRepositoryConformance } from './certificate-repository.suite.js';

const dynamodb = useDynamoDbStack();

describeCertificateRepositoryConformance('dynamodb (one due shard)', async () => {
  const { client, freshTables } = dynamodb();
  return new DynamoDbCertificateRepository({ client, tableName: (await freshTables()).certificates });
});

// Several shards change how listDue reads (one Query per shard, merged): the same contract must hold.
describeCertificateRepositoryConformance('dynamodb (four due shards)', async () => {
  const { client, freshTables } = dynamodb();
  return new DynamoDbCertificateRepository({ client, tableName: (await freshTables()).certificates, dueShards: 4 });
});
