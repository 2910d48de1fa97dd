import { DynamoDBClient, CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
const client = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:45123', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
const T = 'probe-lsi-' + Date.now();
await client.send(new CreateTableCommand({
  TableName: T, BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'atId', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  LocalSecondaryIndexes: [{ IndexName: 'byTime', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'atId', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
}));
for (const [sk, at] of [['e3', '2026-01-01T00:00:03Z'], ['e1', '2026-01-01T00:00:05Z'], ['e2', '2026-01-01T00:00:01Z'], ['e0', '2026-01-01T00:00:03Z']]) {
  await doc.send(new PutCommand({ TableName: T, Item: { pk: 'c', sk, atId: `${at}#${sk}`, at }, ConditionExpression: 'attribute_not_exists(sk)' }));
}
try { await doc.send(new PutCommand({ TableName: T, Item: { pk: 'c', sk: 'e0', atId: 'x', at: 'x' }, ConditionExpression: 'attribute_not_exists(sk)' })); } catch (e: any) { console.log('dup', e.name); }
const q = await doc.send(new QueryCommand({ TableName: T, IndexName: 'byTime', ConsistentRead: true, KeyConditionExpression: 'pk = :p AND atId >= :s', ExpressionAttributeValues: { ':p': 'c', ':s': '2026-01-01T00:00:02Z' }, Limit: 2 }));
console.log(q.Items?.map(i => i.sk), q.LastEvaluatedKey, q.ScannedCount);
const q2 = await doc.send(new QueryCommand({ TableName: T, IndexName: 'byTime', ConsistentRead: true, KeyConditionExpression: 'pk = :p AND atId > :s', ExpressionAttributeValues: { ':p': 'c', ':s': '2026-01-01T00:00:03Z#e3' } }));
console.log(q2.Items?.map(i => i.sk));
const d = await client.send(new DescribeTableCommand({ TableName: T }));
console.log(JSON.stringify(d.Table?.LocalSecondaryIndexes), JSON.stringify(d.Table?.KeySchema), JSON.stringify(d.Table?.AttributeDefinitions));
console.log(JSON.stringify(await client.send(new DescribeTimeToLiveCommand({ TableName: T }))));
