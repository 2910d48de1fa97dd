import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCertificateRepository } from '@portcullis/aws';
let calls = 0;
const handler = {
  async handle(request: any) {
    calls++;
    const target = request.headers['x-amz-target'];
    const body = calls === 1
      ? { status: 400, json: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' } }
      : { status: 200, json: { Item: { id: { S: 'c1' }, version: { N: '1' }, spec: { M: {} }, status: { M: {} } } } };
    return { response: { statusCode: body.status, reason: '', headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new TextEncoder().encode(JSON.stringify(body.json)) } };
  },
  updateHttpClientConfig() {}, httpHandlerConfigs() { return {}; },
};
const client = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: handler as any });
const repo = new DynamoDbCertificateRepository({ client, tableName: 'x-certs' });
const t = Date.now();
console.log(await repo.get('c1'), calls, Date.now() - t);
