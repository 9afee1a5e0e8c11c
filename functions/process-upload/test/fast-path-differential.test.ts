import { parseUploadKey, type StoreDay } from '@tillflow/core';
import { describe, expect, it } from 'vitest';
import { comparable, readStoreFile } from '../../../packages/core/test/read-both-ways';
import { generateSampleData, serializeStoreFile } from '../../../scripts/sample-data';
import { hostileCorpus, positionedVariants } from './hostile-corpus';

const encoder = new TextEncoder();
const MiB = 1 << 20;

/** Where S3 would cut the body (1 MiB pieces) and, for a second read, pieces of 7 KB. */
function cutsOf(length: number, piece: number): number[] {
  const cuts: number[] = [];
  for (let at = piece; at < length; at += piece) cuts.push(at);
  return cuts;
}

function storeDayOf(key: string): StoreDay {
  try {
    return parseUploadKey(key);
  } catch {
    return { storeId: '0001', date: '2025-10-29' }; // a misnamed file: its body is still read both ways here
  }
}

describe('the fast path against the general path (StoreLineParser, issue 9 part 4)', () => {
  it('gives the same rows, rejected lines, reasons and figures for every file of the hostile corpus', () => {
    const corpus = [...hostileCorpus(), ...positionedVariants()];
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    let fast = 0;
    let lines = 0;
    let rejected = 0;
    const differ: string[] = [];
    for (const file of corpus) {
      const day = storeDayOf(file.key);
      const general = readStoreFile(file.body, day, false);
      // Large files (a million empty objects, a 10 MB name) once, in S3's pieces; the others also in small pieces.
      for (const piece of file.body.length > MiB ? [MiB] : [MiB, 7_000]) {
        const quick = readStoreFile(file.body, day, true, cutsOf(file.body.length, piece));
        try {
          expect(comparable(quick)).toStrictEqual(comparable(general));
        } catch {
          differ.push(`${file.name} (pieces of ${piece} bytes)`);
        }
        if (piece === MiB) {
          fast += quick.fastLines;
          lines += quick.lines;
          rejected += quick.rejected.length;
        }
      }
    }
    expect(differ).toEqual([]);
    // The good lines around each fault went the fast way; the faulty ones the general way.
    expect(fast).toBeGreaterThan(15_000);
    expect(rejected).toBeGreaterThan(300);
    expect(lines - fast).toBeGreaterThanOrEqual(rejected);
  }, 120_000);

  it('gives the same for generated months with injected bad lines, and reads every good line the fast way', () => {
    let files = 0;
    for (const file of generateSampleData({ stores: 3, days: 4, start: '2025-10-27', seed: 7, badLines: 60 })) {
      const body = encoder.encode(serializeStoreFile(file.records));
      const general = readStoreFile(body, file, false);
      const quick = readStoreFile(body, file, true, cutsOf(body.length, 64 * 1024));
      expect(comparable(quick)).toStrictEqual(comparable(general));
      // Only the injected lines, the lines cut between pieces and a mixed transaction's lines go the general way.
      expect(quick.rejected.length).toBeGreaterThanOrEqual(file.badLines.length > 0 ? 1 : 0);
      expect(quick.fastLines).toBeGreaterThanOrEqual(quick.rows.length - Math.ceil(body.length / (64 * 1024)));
      files++;
    }
    expect(files).toBe(12);
  }, 60_000);
});
