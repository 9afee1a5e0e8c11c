import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matchingMachines, Sequencer, toEventBridge } from '../src/routing/s3-events';

const dir = mkdtempSync(join(tmpdir(), 'tillflow-seq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Sequencer', () => {
  it('increases within a process and across restarts, even with the clock set back', () => {
    const file = join(dir, 's3-sequencer');
    const first = new Sequencer(file);
    const a = first.next();
    const b = first.next();
    expect(b > a).toBe(true);
    // A counter far in the future (a clock set back since): the next process continues from it.
    const ahead = Number(readFileSync(file, 'utf8')) + 10_000_000_000;
    writeFileSync(file, String(ahead));
    const restarted = new Sequencer(file);
    const c = restarted.next();
    expect(c).toBe((ahead + 1).toString(16).toUpperCase().padStart(16, '0'));
    expect(c > b).toBe(true);
  });
});

describe('toEventBridge', () => {
  const created = {
    eventName: 'ObjectCreated:Put',
    bucket: 'tillflow-local',
    key: 'uploads/store_0001_2025-10-29.json',
    size: 42,
    etag: 'abc',
    requestId: 'REQ1',
    sourceIp: '127.0.0.1',
    time: '2025-10-29T23:59:58.123Z',
  };

  it('builds the Object Created event EventBridge sends to Step Functions', () => {
    const event = toEventBridge(created, '0000000000000001');
    expect(event).toMatchObject({
      'detail-type': 'Object Created',
      source: 'aws.s3',
      time: '2025-10-29T23:59:58Z',
      resources: ['arn:aws:s3:::tillflow-local'],
      detail: {
        bucket: { name: 'tillflow-local' },
        object: { key: created.key, size: 42, etag: 'abc', sequencer: '0000000000000001' },
        'request-id': 'REQ1',
        reason: 'PutObject',
      },
    });
    expect(event.id).not.toBe(toEventBridge(created, '0000000000000001').id);
  });

  it('names copies, browser POSTs and multipart uploads by their API', () => {
    expect(toEventBridge({ ...created, eventName: 'ObjectCreated:Copy' }, '1').detail.reason).toBe('CopyObject');
    // EventBridge spells this reason with a space, unlike the others.
    expect(toEventBridge({ ...created, eventName: 'ObjectCreated:Post' }, '1').detail.reason).toBe('POST Object');
    expect(toEventBridge({ ...created, eventName: 'ObjectCreated:Post', etag: 'abc-3' }, '1').detail.reason).toBe(
      'CompleteMultipartUpload',
    );
  });

  it('routes uploads/ to upload-processor only', () => {
    expect(matchingMachines('uploads/store_0001_2025-10-29.json')).toEqual(['upload-processor']);
    expect(matchingMachines('processed/sales/date=2025-10-29/store=0001/x.parquet')).toEqual([]);
  });
});
