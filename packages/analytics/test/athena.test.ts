import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaEngine } from '../src/engines';
import { buildQuery, validateRequest } from '../src/index';

/**
 * Athena's JSON protocol answered from canned responses, shaped as the Athena API reference gives them
 * (StartQueryExecution, GetQueryExecution, GetQueryResults with the header row first and a NextToken): the real
 * @aws-sdk/client-athena calls of the engine, without an AWS account.
 */
interface Call {
  target: string;
  body: Record<string, unknown>;
}

let server: Server;
const calls: Call[] = [];
let scenario: 'succeeds' | 'fails' = 'succeeds';
let polls = 0;

const answers: Record<string, (body: Record<string, unknown>) => unknown> = {
  StartQueryExecution: () => ({ QueryExecutionId: 'q-1' }),
  GetQueryExecution: () => {
    polls++;
    if (scenario === 'fails') {
      return {
        QueryExecution: {
          QueryExecutionId: 'q-1',
          Status: { State: 'FAILED', StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved" },
        },
      };
    }
    return {
      QueryExecution: {
        QueryExecutionId: 'q-1',
        Status: { State: polls < 2 ? 'RUNNING' : 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: 123456 },
      },
    };
  },
  GetQueryResults: (body) => {
    const meta = {
      ColumnInfo: [
        { Name: 'sales_rank', Type: 'bigint' },
        { Name: 'store_id', Type: 'varchar' },
        { Name: 'net_sales_cents', Type: 'bigint' },
        { Name: 'transactions', Type: 'bigint' },
        { Name: 'items', Type: 'bigint' },
        { Name: 'average_basket_cents', Type: 'double' },
        { Name: 'share_of_net_sales', Type: 'double' },
        { Name: 'days_reported', Type: 'bigint' },
      ],
    };
    const row = (...cells: (string | undefined)[]) => ({
      Data: cells.map((c) => (c === undefined ? {} : { VarCharValue: c })),
    });
    if (body.NextToken === undefined) {
      return {
        ResultSet: {
          ResultSetMetadata: meta,
          Rows: [
            row(
              'sales_rank',
              'store_id',
              'net_sales_cents',
              'transactions',
              'items',
              'average_basket_cents',
              'share_of_net_sales',
              'days_reported',
            ),
            row('1', '0002', '9007199254740991', '40', '90', '1234.5', '0.6', '2'),
          ],
        },
        NextToken: 'page-2',
      };
    }
    return {
      ResultSet: { ResultSetMetadata: meta, Rows: [row('2', '0001', '81000', '30', '70', '2700.0', undefined, '2')] },
    };
  },
  StopQueryExecution: () => ({}),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace('AmazonAthena.', '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ target, body });
      const answer = answers[target];
      res.writeHead(answer ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer ? answer(body) : { __type: 'InvalidRequestException', Message: target }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_ATHENA: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const engine = athenaEngine({ workgroup: 'tillflow', database: 'tillflow_lake' });
const request = validateRequest('store_ranking', { from: '2025-10-27', to: '2025-10-28', stores: ['0001', '0002'] });

describe('the Athena engine through @aws-sdk/client-athena', () => {
  it('starts the statement in the workgroup with the values as ExecutionParameters, polls, and reads every page', async () => {
    calls.length = 0;
    polls = 0;
    scenario = 'succeeds';
    const query = buildQuery(request, engine.dialect);
    const result = await engine.run({ query, table: 'sales', columns: query.columns, files: [] });

    const start = calls.find((c) => c.target === 'StartQueryExecution')?.body;
    expect(start).toMatchObject({
      QueryString: query.sql,
      WorkGroup: 'tillflow',
      QueryExecutionContext: { Database: 'tillflow_lake' },
      // SQL literals, as Athena substitutes them: strings quoted.
      ExecutionParameters: ["'2025-10-27'", "'2025-10-28'", "'0001'", "'0002'"],
    });
    expect(calls.map((c) => c.target)).toEqual([
      'StartQueryExecution',
      'GetQueryExecution',
      'GetQueryExecution',
      'GetQueryResults',
      'GetQueryResults',
    ]);
    // Text cells typed by the operation's columns; a missing VarCharValue is NULL.
    expect(result.rows).toEqual([
      {
        sales_rank: 1,
        store_id: '0002',
        net_sales_cents: 9007199254740991,
        transactions: 40,
        items: 90,
        average_basket_cents: 1234.5,
        share_of_net_sales: 0.6,
        days_reported: 2,
      },
      {
        sales_rank: 2,
        store_id: '0001',
        net_sales_cents: 81000,
        transactions: 30,
        items: 70,
        average_basket_cents: 2700,
        share_of_net_sales: null,
        days_reported: 2,
      },
    ]);
  });

  it("fails with Athena's reason when the query fails", async () => {
    calls.length = 0;
    polls = 0;
    scenario = 'fails';
    const query = buildQuery(request, engine.dialect);
    await expect(engine.run({ query, table: 'sales', columns: query.columns, files: [] })).rejects.toThrow(
      /Athena query q-1 FAILED: COLUMN_NOT_FOUND/,
    );
  });
});
