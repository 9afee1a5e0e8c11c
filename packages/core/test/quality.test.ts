import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CrossStoreAccumulator,
  dayQuality,
  hasStorePrefix,
  type QualityRow,
  UploadQualityAccumulator,
  uploadFindings,
} from '../src/quality';
import { QUALITY_EXAMPLES, type UploadQualityRecord } from '../src/quality.schema';

const row = (id: string, instant = 1000, method: QualityRow['payment_method'] = 'cash'): QualityRow => ({
  transaction_id: id,
  timestamp_ms: instant,
  payment_method: method,
});

describe('hasStorePrefix', () => {
  it('takes TXN-<store>- and nothing else', () => {
    expect(hasStorePrefix('TXN-0001-20251029-0001', '0001')).toBe(true);
    expect(hasStorePrefix('TXN-0002-20251029-0001', '0001')).toBe(false);
    expect(hasStorePrefix('TXN-00011-1', '0001')).toBe(false);
    expect(hasStorePrefix('txn-0001-1', '0001')).toBe(false);
    expect(hasStorePrefix('POS-0001-1', '0001', 'POS-')).toBe(true);
  });
});

describe('UploadQualityAccumulator', () => {
  it('counts an id reused for another instant or payment method once, however many lines it has', () => {
    const findings = uploadFindings('0001', [
      row('TXN-0001-1', 1000),
      row('TXN-0001-1', 1000),
      row('TXN-0001-2', 2000),
      row('TXN-0001-1', 5000),
      row('TXN-0001-1', 6000),
      row('TXN-0001-2', 2000, 'credit'),
      row('TXN-0001-3', 3000),
      row('TXN-0001-3', 3000),
    ]);
    expect(findings.duplicate_transactions).toEqual({ transactions: 2, examples: ['TXN-0001-1', 'TXN-0001-2'] });
  });

  it('does not take a sale whose lines are apart in the file for two sales', () => {
    const findings = uploadFindings('0001', [row('TXN-0001-1'), row('TXN-0001-2', 7), row('TXN-0001-1')]);
    expect(findings.duplicate_transactions.transactions).toBe(0);
  });

  it('counts prefix mismatches by transaction and by line, naming the first ten', () => {
    const rows = Array.from({ length: 12 }, (_, i) => [row(`TXN-0002-${i}`), row(`TXN-0002-${i}`)]).flat();
    rows.push(row('TXN-0001-1'));
    const { prefix_mismatches } = uploadFindings('0001', rows);
    expect(prefix_mismatches.transactions).toBe(12);
    expect(prefix_mismatches.lines).toBe(24);
    expect(prefix_mismatches.examples).toEqual(Array.from({ length: QUALITY_EXAMPLES }, (_, i) => `TXN-0002-${i}`));
  });

  it('finds the ids whose lines hold more than one instant or method, as a GROUP BY would, in any order', () => {
    const lines = fc.array(
      fc.record({
        id: fc.constantFrom('TXN-0001-1', 'TXN-0001-2', 'TXN-0009-3', 'TXN-0001-4'),
        instant: fc.constantFrom(1, 2),
        method: fc.constantFrom('cash', 'credit'),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(lines, (ls) => {
        const acc = new UploadQualityAccumulator('0001');
        for (const l of ls) acc.add(row(l.id, l.instant, l.method));
        const found = acc.findings();
        const groups = new Map<string, { instants: Set<number>; methods: Set<string>; lines: number }>();
        for (const l of ls) {
          const g = groups.get(l.id) ?? { instants: new Set(), methods: new Set(), lines: 0 };
          g.instants.add(l.instant);
          g.methods.add(l.method);
          g.lines++;
          groups.set(l.id, g);
        }
        const duplicates = [...groups].filter(([, g]) => g.instants.size > 1 || g.methods.size > 1).map(([id]) => id);
        const mismatched = [...groups].filter(([id]) => !id.startsWith('TXN-0001-'));
        expect([...found.duplicate_transactions.examples].sort()).toEqual(duplicates.sort());
        expect(found.prefix_mismatches.transactions).toBe(mismatched.length);
        expect(found.prefix_mismatches.lines).toBe(mismatched.reduce((n, [, g]) => n + g.lines, 0));
      }),
    );
  });
});

describe('CrossStoreAccumulator', () => {
  it("finds ids in more than one store's file, with every line they hold", () => {
    const acc = new CrossStoreAccumulator();
    acc.addStore('0001', ['A', 'A', 'B', 'C']);
    acc.addStore('0002', ['B', 'D', 'D']);
    acc.addStore('0003', ['A', 'E']);
    expect(acc.finish('2025-10-29', 2, 'now')).toEqual({
      date: '2025-10-29',
      revision: 2,
      computed_at: 'now',
      stores_read: 3,
      cross_store_duplicates: {
        transactions: 2,
        lines: 5,
        examples: [
          { transaction_id: 'A', stores: ['0001', '0003'], lines: 3 },
          { transaction_id: 'B', stores: ['0001', '0002'], lines: 2 },
        ],
      },
    });
  });
});

describe('dayQuality', () => {
  const upload = (store: string, at: string, over: Partial<UploadQualityRecord> = {}): UploadQualityRecord => ({
    store_id: store,
    date: '2025-10-29',
    source_key: `uploads/store_${store}_2025-10-29.json`,
    etag: `${store}-${at}`,
    uploaded_at: at,
    status: 'processed',
    lines: 10,
    accepted: 9,
    rejected: 1,
    reasons: [{ field: 'quantity', rule: 'minimum', lines: 1 }],
    duplicate_transactions: { transactions: 1, examples: ['X'] },
    prefix_mismatches: { transactions: 1, lines: 2, examples: ['Y'] },
    ...over,
  });

  it("sums each store's current upload once, and counts corrections, stale and rejected files", () => {
    const q = dayQuality({
      date: '2025-10-29',
      uploads: [
        upload('0001', 'T1'),
        upload('0001', 'T3', {
          lines: 4,
          accepted: 4,
          rejected: 0,
          reasons: [],
          replaced: { etag: '0001-T1', uploaded_at: 'T1' },
        }),
        upload('0001', 'T2', { status: 'stale', lines: 99 }),
        upload('0002', 'T1', {
          status: 'rejected',
          lines: 3,
          accepted: 0,
          rejected: 3,
          reasons: [{ field: 'quantity', rule: 'minimum', lines: 3 }],
        }),
      ],
      status: { reported_stores: ['0001'], analysis_claimed_at: 'T0', analysis_revision: 2 },
      expectedStores: ['0002', '0001', '0003'],
      lake: undefined,
    });
    expect(q.totals).toEqual({
      uploads: 4,
      files_rejected: 1,
      corrections: 1,
      stale: 1,
      lines: 7,
      accepted: 4,
      rejected: 3,
      reasons: [{ field: 'quantity', rule: 'minimum', lines: 3 }],
      duplicate_transactions: 2,
      prefix_mismatches: { transactions: 2, lines: 4 },
    });
    expect(q.stores).toEqual({
      expected: ['0001', '0002', '0003'],
      reported: ['0001'],
      missing: ['0002', '0003'],
      late: [{ store_id: '0001', first_upload_at: 'T1' }],
      unexpected: [],
    });
    expect(q.analysis).toEqual({ claimed_at: 'T0', revision: 2 });
    expect(q.lake).toBeNull();
    expect(q.uploads.map((u) => u.uploaded_at)).toEqual(['T1', 'T2', 'T3', 'T1']);
  });

  it('has no late store before the analysis is claimed, and names stores nobody expected', () => {
    const q = dayQuality({
      date: '2025-10-29',
      uploads: [upload('0009', '2025-10-30T01:00:00Z')],
      status: { reported_stores: ['0009'] },
      expectedStores: ['0001'],
      lake: undefined,
    });
    expect(q.stores).toMatchObject({ late: [], missing: ['0001'], unexpected: ['0009'] });
    expect(q.analysis).toBeNull();
  });
});
