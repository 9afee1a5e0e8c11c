import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
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
