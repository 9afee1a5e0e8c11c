import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ACCOUNT_ID, REGION } from '../resources';
import type { ObjectCreated } from '../servers/storage';

/** The EventBridge event S3 sends for a created object, as a Step Functions execution receives it for input. */
export interface S3ObjectCreatedEvent {
  version: '0';
  id: string;
  'detail-type': 'Object Created';
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    version: '0';
    bucket: { name: string };
    object: { key: string; size: number; etag: string; sequencer: string };
    'request-id': string;
    requester: string;
    'source-ip-address': string;
    reason: 'PutObject' | 'POST Object' | 'CopyObject' | 'CompleteMultipartUpload';
  };
}

/** An EventBridge rule of the bucket: objects under `prefix` start an execution of `stateMachine`. */
export interface S3Rule {
  prefix: string;
  stateMachine: string;
}

/** The rules Terraform declares on the bucket's EventBridge events. */
export const S3_RULES: readonly S3Rule[] = [{ prefix: 'uploads/', stateMachine: 'upload-processor' }];

/**
 * S3 event sequencers: hexadecimal, increasing for the writes of a key, so that a consumer can tell the newer of two
 * events. The counter is kept in a file so that it keeps increasing across restarts of the platform (the bucket and
 * the tables survive them), and never falls behind the clock in microseconds.
 *
 * Each value is written over the last at offset 0, always the same width, so the file is never truncated: a `writeFileSync` per event (truncate, then write) made ext4 flush the file on every close, which
 * cost 3 s of the platform's main thread over the month's 330 uploads (CPU profile, docs/performance.md).
 */
export class Sequencer {
  private last: number;

  constructor(private readonly file: string) {
    this.last = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || 0 : 0;
    mkdirSync(dirname(file), { recursive: true });
  }

  next(): string {
    this.last = Math.max(this.last + 1, Date.now() * 1000);
    // Microseconds since 1970 have 16 digits until the year 2286: padded to 20, every write covers the last.
    const fd = openSync(this.file, existsSync(this.file) ? 'r+' : 'w');
    try {
      writeSync(fd, String(this.last).padStart(SEQUENCER_FILE_WIDTH, ' '), 0);
    } finally {
      closeSync(fd);
    }
    return this.last.toString(16).toUpperCase().padStart(16, '0');
  }
}

const SEQUENCER_FILE_WIDTH = 20;

/** The EventBridge "Object Created" event for an object written to the local bucket. */
export function toEventBridge(created: ObjectCreated, sequencer: string): S3ObjectCreatedEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT_ID,
    // EventBridge times have no fraction of a second.
    time: `${created.time.slice(0, 19)}Z`,
    region: REGION,
    resources: [`arn:aws:s3:::${created.bucket}`],
    detail: {
      version: '0',
      bucket: { name: created.bucket },
      // EventBridge keys are not URL-encoded (S3 notifications' are); s3rver reports them as stored.
      object: { key: created.key, size: created.size, etag: created.etag, sequencer },
      'request-id': created.requestId,
      requester: ACCOUNT_ID,
      'source-ip-address': created.sourceIp,
      reason: reasonOf(created),
    },
  };
}

function reasonOf(created: ObjectCreated): S3ObjectCreatedEvent['detail']['reason'] {
  if (created.eventName === 'ObjectCreated:Copy') return 'CopyObject';
  if (created.eventName === 'ObjectCreated:Post')
    return created.etag.includes('-') ? 'CompleteMultipartUpload' : 'POST Object';
  return 'PutObject';
}

/** The state machines the rules start for a key. */
export function matchingMachines(key: string, rules: readonly S3Rule[] = S3_RULES): string[] {
  return rules.filter((rule) => key.startsWith(rule.prefix)).map((rule) => rule.stateMachine);
}
