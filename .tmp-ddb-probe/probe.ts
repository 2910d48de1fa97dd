import { DynamoDBClient, CreateTableCommand, UpdateTimeToLiveCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, GetCommand, BatchGetCommand } from '@aws-sdk/lib-dynamodb';
const client = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:45123', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
const T = 'probe-' + Date.now();
await client.send(new CreateTableCommand({
  TableName: T, BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'dueShard', AttributeType: 'S' }, { AttributeName: 'nextWakeAt', AttributeType: 'S' }, { AttributeName: 'listAll', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  GlobalSecondaryIndexes: [
    { IndexName: 'due', KeySchema: [{ AttributeName: 'dueShard', KeyType: 'HASH' }, { AttributeName: 'nextWakeAt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
    { IndexName: 'all', KeySchema: [{ AttributeName: 'listAll', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
  ],
}));
try { await client.send(new UpdateTimeToLiveCommand({ TableName: T, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } })); console.log('ttl ok'); } catch (e) { console.log('ttl err', e.name, e.message); }
try { await client.send(new UpdateTimeToLiveCommand({ TableName: T, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } })); console.log('ttl ok2'); } catch (e) { console.log('ttl err2', e.name, e.message); }
try { await client.send(new CreateTableCommand({ TableName: T, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] })); } catch (e) { console.log('dup create', e.name); }
for (let i = 0; i < 50; i++) {
  const item: any = { id: `c${String(i).padStart(3,'0')}`, version: 1, spec: { names: ['a'], empty: '', arr: [] , m: {} }, listAll: 'all' };
  if (i % 10 === 0) { item.dueShard = '0'; item.nextWakeAt = `2026-01-01T00:00:${String(i).padStart(2,'0')}Z`; }
  else if (i % 2 === 0) { item.dueShard = '0'; item.nextWakeAt = `2027-01-01T00:00:00Z`; }
  await doc.send(new PutCommand({ TableName: T, Item: item }));
}
const q = await doc.send(new QueryCommand({ TableName: T, IndexName: 'due', KeyConditionExpression: 'dueShard = :s AND nextWakeAt <= :n', ExpressionAttributeValues: { ':s': '0', ':n': '2026-06-01T00:00:00Z' }, ReturnConsumedCapacity: 'INDEXES', Limit: 3 }));
console.log('due', q.Count, q.ScannedCount, JSON.stringify(q.ConsumedCapacity), q.LastEvaluatedKey, q.Items?.map(i => i.id));
const q2 = await doc.send(new QueryCommand({ TableName: T, IndexName: 'due', KeyConditionExpression: 'dueShard = :s AND nextWakeAt <= :n', ExpressionAttributeValues: { ':s': '0', ':n': '2026-06-01T00:00:00Z' }, ReturnConsumedCapacity: 'INDEXES', ExclusiveStartKey: q.LastEvaluatedKey }));
console.log('due2', q2.Count, q2.ScannedCount, JSON.stringify(q2.ConsumedCapacity), q2.LastEvaluatedKey, q2.Items?.map(i => i.id));
const g = await doc.send(new GetCommand({ TableName: T, Key: { id: 'c000' }, ConsistentRead: true }));
console.log(JSON.stringify(g.Item));
const a = await doc.send(new QueryCommand({ TableName: T, IndexName: 'all', KeyConditionExpression: 'listAll = :a', ExpressionAttributeValues: { ':a': 'all' }, Limit: 5, ExclusiveStartKey: { listAll: 'all', id: 'c010' } }));
console.log('all', a.Items, a.LastEvaluatedKey);
// conditional
try { await doc.send(new PutCommand({ TableName: T, Item: { id: 'c001', version: 3 }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 2 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })); } catch (e: any) { console.log('cond', e.name, JSON.stringify(e.Item), e.$metadata?.attempts); }
try { await doc.send(new PutCommand({ TableName: T, Item: { id: 'zzz', version: 3 }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 2 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })); } catch (e: any) { console.log('cond absent', e.name, JSON.stringify(e.Item)); }
const b = await doc.send(new BatchGetCommand({ RequestItems: { [T]: { Keys: [{ id: 'c001' }, { id: 'nope' }, { id: 'c002' }], ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' }));
console.log('batch', b.Responses?.[T]?.map(i => i.id), JSON.stringify(b.ConsumedCapacity), b.UnprocessedKeys);
console.log(JSON.stringify((await client.send(new DescribeTableCommand({ TableName: T }))).Table?.GlobalSecondaryIndexes?.map(i => [i.IndexName, i.IndexStatus])));
