import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { addDays, dateSortKey } from '@tillflow/core';
import { documentClient } from './clients/dynamodb';

/** Every item a Query matches, following `LastEvaluatedKey` (a page holds at most 1 MB). */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const [{ QueryCommand }, documents] = await Promise.all([import('@aws-sdk/lib-dynamodb'), documentClient()]);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return items;
}

/** The items of partition `pk` dated in the `days` days before `date` (not `date` itself), oldest first. */
export function queryDaysBefore(
  table: string,
  pk: string,
  date: string,
  days: number,
): Promise<Record<string, unknown>[]> {
  return queryAll({
    TableName: table,
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': pk,
      ':from': dateSortKey(addDays(date, -days)),
      ':to': dateSortKey(addDays(date, -1)),
    },
  });
}
