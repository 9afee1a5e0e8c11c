import dynalite from 'dynalite';
import { DynamoDBClient, CreateTableCommand, DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
const t0 = Date.now();
const server = dynalite({ path: '/tmp/ddbx', createTableMs: 0 });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
console.log('started', Date.now() - t0, port);
const c = new DynamoDBClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
console.log((await c.send(new ListTablesCommand({}))).TableNames);
try {
await c.send(new CreateTableCommand({ TableName: 'tillflow-sales', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{AttributeName:'PK',AttributeType:'S'},{AttributeName:'SK',AttributeType:'S'},{AttributeName:'GSI1PK',AttributeType:'S'},{AttributeName:'GSI1SK',AttributeType:'S'}], KeySchema: [{AttributeName:'PK',KeyType:'HASH'},{AttributeName:'SK',KeyType:'RANGE'}], GlobalSecondaryIndexes: [{IndexName:'GSI1', KeySchema:[{AttributeName:'GSI1PK',KeyType:'HASH'},{AttributeName:'GSI1SK',KeyType:'RANGE'}], Projection:{ProjectionType:'ALL'}}] }));
} catch (e) { console.log('create err', e.name, e.message); }
const d = await c.send(new DescribeTableCommand({ TableName: 'tillflow-sales' }));
console.log(d.Table.TableStatus, d.Table.BillingModeSummary, d.Table.GlobalSecondaryIndexes?.[0]?.IndexStatus, Date.now() - t0);
const t1 = Date.now();
await new Promise((r) => server.close(r));
console.log('closed', Date.now() - t1);
