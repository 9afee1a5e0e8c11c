import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Platform } from '../src';

/**
 * Attributes that two correct runs may differ in: times, the S3 event sequencer (from the clock), and which of the
 * stores that reported last claimed the day's analysis (a race the claim resolves, either way once).
 */
const VOLATILE = new Set(['source_sequencer', 'analysis_claimed_by']);

/**
 * What a run of the workflows leaves behind, in a form two runs can be compared by: every item of the sales table,
 * every object under the prefixes the workflows write for users (`processed/`, `rejected/`, `reports/`,
 * `quicksight/`), and the SNS messages by topic and subject, counted. Times of day a run cannot reproduce
 * (`updated_at`, ISO instants in exports) are replaced by `<time>`, the attributes of {@link VOLATILE} by `<varies>`;
 * everything else must be equal.
 */
export interface FinalState {
  items: Record<string, unknown>;
  objects: Record<string, string>;
  messages: Record<string, number>;
}

export const OUTPUT_PREFIXES = ['processed/', 'rejected/', 'reports/', 'quicksight/'] as const;

const INSTANT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;

function normalise(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(INSTANT, '<time>');
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, k.endsWith('_at') ? '<time>' : VOLATILE.has(k) ? '<varies>' : normalise(v)]),
    );
  }
  return value;
}

export async function finalState(platform: Platform): Promise<FinalState> {
  const items: Record<string, unknown> = {};
  let start: Record<string, unknown> | undefined;
  do {
    const page = await platform
      .documentClient()
      .send(new ScanCommand({ TableName: platform.tables.sales, ...(start ? { ExclusiveStartKey: start } : {}) }));
    // Keys normalised too: an upload's quality record has its upload time in its sort key.
    for (const item of page.Items ?? []) items[normalise(`${item.PK} ${item.SK}`) as string] = normalise(item);
    start = page.LastEvaluatedKey;
  } while (start);

  const objects: Record<string, string> = {};
  for (const prefix of OUTPUT_PREFIXES) {
    let token: string | undefined;
    do {
      const page = await platform
        .s3Client()
        .send(new ListObjectsV2Command({ Bucket: platform.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key as string;
        const body = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
        const bytes = Buffer.from(await (body.Body?.transformToByteArray() ?? new Uint8Array()));
        const text = key.endsWith('.parquet') ? bytes : Buffer.from(bytes.toString('utf8').replace(INSTANT, '<time>'));
        objects[key] = createHash('sha256').update(text).digest('hex').slice(0, 16);
      }
      token = page.NextContinuationToken;
    } while (token);
  }

  const messages: Record<string, number> = {};
  for (const m of platform.messages()) {
    const id = `${m.topicArn.split(':').at(-1)} ${m.subject ?? ''}`;
    messages[id] = (messages[id] ?? 0) + 1;
  }
  return { items, objects, messages };
}
