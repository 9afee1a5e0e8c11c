import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_TABLE, SALES_TABLE } from '../resources';

/**
 * The tables as Terraform creates them: the sales table (PK, SK; GSI1 on GSI1PK/GSI1SK projecting everything) and the
 * Powertools idempotency table (hash key `id`), both on demand. TTL (on the idempotency table's `expiration`) is not
 * set: dynalite has no UpdateTimeToLive, and neither local server deletes expired items anyway.
 */
const TABLES: CreateTableCommandInput[] = [
  {
    TableName: SALES_TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'GSI1PK', AttributeType: 'S' },
      { AttributeName: 'GSI1SK', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'GSI1',
        KeySchema: [
          { AttributeName: 'GSI1PK', KeyType: 'HASH' },
          { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  },
  {
    TableName: IDEMPOTENCY_TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  },
];

/**
 * Creates the tables that do not exist yet and waits until each is ACTIVE, as Terraform does (a table is CREATING
 * for a moment, also in dynalite, and refuses requests meanwhile); returns the names of those it created.
 */
export async function ensureTables(client: DynamoDBClient): Promise<string[]> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand(start ? { ExclusiveStartTableName: start } : {}));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);
  const created: string[] = [];
  for (const table of TABLES) {
    if (existing.has(table.TableName ?? '')) continue;
    await client.send(new CreateTableCommand(table));
    created.push(table.TableName as string);
  }
  for (const name of created) await untilActive(client, name);
  return created;
}

async function untilActive(client: DynamoDBClient, name: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline)
      throw new Error(`the table ${name} is still ${Table?.TableStatus} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
