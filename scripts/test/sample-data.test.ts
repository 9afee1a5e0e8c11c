import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PAYMENT_METHODS,
  parseStoreFileName,
  parseTimestamp,
  STORE_LINE_FIELDS,
  type StoreLineItem,
  toCents,
  validateStoreFile,
} from '@tillflow/core';
import { describe, expect, it } from 'vitest';
import {
  BAD_LINE_KINDS,
  generateSampleData,
  generateStoreDay,
  hashSeed,
  monthPositionFactor,
  mulberry32,
  PRODUCTS,
  type SampleDataOptions,
  type SampleFile,
  STORES,
  serializeStoreFile,
  storeAt,
  TIERS,
} from '../sample-data';

const WEEK: SampleDataOptions = { stores: 11, days: 7, start: '2025-10-27', seed: 42 };
const week = [...generateSampleData({ ...WEEK, badLines: BAD_LINE_KINDS.length })];
const lineItems = (file: SampleFile) => file.records as StoreLineItem[];
const serialized = (options: SampleDataOptions) =>
  [...generateSampleData(options)].map((f) => `${f.name}\n${serializeStoreFile(f.records)}`).join('');

describe('mulberry32', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
  });

  it('draws uniformly from [0, 1)', () => {
    const rng = mulberry32(7);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng();
      if (u < 0 || u >= 1) outside++;
      else buckets[Math.floor(u * 10)]! += 1;
    }
    expect(outside).toBe(0);
    // 10,000 expected per bucket; a binomial standard deviation is ~95, so 500 is a wide but telling margin.
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('hashSeed separates parts that concatenate alike', () => {
    expect(hashSeed(42, '0001', '2025-10-27')).toBe(hashSeed(42, '0001', '2025-10-27'));
    expect(hashSeed(4, '20001')).not.toBe(hashSeed(42, '0001'));
  });
});

describe('generateSampleData', () => {
  it('writes identical bytes for the same seed and different bytes for another', () => {
    const options = { stores: 3, days: 2, start: '2025-10-27', seed: 42, badLines: 2 };
    const first = serialized(options);
    expect(serialized(options)).toBe(first);
    expect(serialized({ ...options, seed: 43 })).not.toBe(first);
  });

  it('makes each file independent of how many stores and days were asked for', () => {
    const small = [...generateSampleData({ stores: 2, days: 2, start: '2025-10-27', seed: 42 })];
    const large = [...generateSampleData({ stores: 4, days: 3, start: '2025-10-27', seed: 42 })];
    for (const file of small) {
      const same = large.find((f) => f.name === file.name);
      expect(same && serializeStoreFile(same.records)).toBe(serializeStoreFile(file.records));
    }
  });

  it('names files store_<NNNN>_<YYYY-MM-DD>.json, day by day and store by store', () => {
    expect(week).toHaveLength(77);
    expect(week[0]?.name).toBe('store_0001_2025-10-27.json');
    expect(week[10]?.name).toBe('store_0011_2025-10-27.json');
    expect(week[76]?.name).toBe('store_0011_2025-11-02.json');
    for (const file of week) {
      expect(parseStoreFileName(file.name)).toEqual({ storeId: file.storeId, date: file.date });
    }
  });

  it('accepts every line except exactly the injected ones, each rejected for the field it breaks', () => {
    let injected = 0;
    for (const file of week) {
      const result = validateStoreFile(serializeStoreFile(file.records), { storeId: file.storeId, date: file.date });
      expect(result.lines).toBe(file.records.length);
      expect(result.rejected.map((r) => r.line)).toEqual(file.badLines.map((b) => b.line));
      for (const [i, bad] of file.badLines.entries()) {
        expect(result.rejected[i]?.reasons.map((r) => r.field)).toEqual([bad.field]);
      }
      injected += file.badLines.length;
    }
    expect(injected).toBe(BAD_LINE_KINDS.length);
  });

  it('injects every kind of bad line once, in different files spread over the set', () => {
    const bad = week.flatMap((f, i) => f.badLines.map((b) => ({ file: i, kind: b.kind })));
    expect(bad.map((b) => b.kind)).toEqual(BAD_LINE_KINDS.map((k) => k.kind));
    const files = bad.map((b) => b.file);
    expect(new Set(files).size).toBe(files.length);
    // 8 bad lines over 77 files: the middle of each eighth, files 4, 14, 24, ..., 72.
    expect(files).toEqual([4, 14, 24, 33, 43, 52, 62, 72]);
  });

  it('puts several bad lines on distinct lines when there are more bad lines than files', () => {
    const files = [...generateSampleData({ stores: 1, days: 2, start: '2025-10-27', seed: 1, badLines: 6 })];
    for (const file of files) {
      expect(file.badLines).toHaveLength(3);
      expect(new Set(file.badLines.map((b) => b.line)).size).toBe(3);
    }
  });

  it('writes exactly the fields of the format, in its order', () => {
    for (const file of week) {
      const bad = new Set(file.badLines.map((b) => b.line));
      const wrong = file.records.filter(
        (record, i) => !bad.has(i + 1) && Object.keys(record).join() !== STORE_LINE_FIELDS.join(),
      );
      expect(wrong).toEqual([]);
    }
  });
});

describe('generateStoreDay', () => {
  const days = week.map((f) => ({
    ...f,
    lines: lineItems(f).filter((_, i) => !f.badLines.some((b) => b.line === i + 1)),
  }));

  it('computes line_total as unit_price × quantity in cents and keeps discounts within it', () => {
    const wrong: StoreLineItem[] = [];
    let discounted = 0;
    for (const { lines } of days) {
      for (const line of lines) {
        const unit = toCents(line.unit_price);
        const total = toCents(line.line_total);
        const discount = toCents(line.discount_amount);
        const ok =
          unit !== undefined &&
          total !== undefined &&
          discount !== undefined &&
          total === unit * line.quantity &&
          discount <= total &&
          line.quantity >= 1 &&
          line.quantity <= 3;
        if (!ok) wrong.push(line);
        if (discount) discounted++;
      }
    }
    expect(wrong).toEqual([]);
    // Discounts on ~14% of lines.
    const lines = days.reduce((n, d) => n + d.lines.length, 0);
    expect(discounted / lines).toBeGreaterThan(0.1);
    expect(discounted / lines).toBeLessThan(0.18);
  });

  it('gives every transaction one payment method, one customer, one timestamp and 1–5 distinct products', () => {
    for (const { lines } of days) {
      const byTransaction = new Map<string, StoreLineItem[]>();
      for (const line of lines)
        byTransaction.set(line.transaction_id, [...(byTransaction.get(line.transaction_id) ?? []), line]);
      const wrong = [...byTransaction.values()].filter(
        (items) =>
          new Set(items.map((l) => l.payment_method)).size !== 1 ||
          new Set(items.map((l) => l.customer_id)).size !== 1 ||
          new Set(items.map((l) => l.transaction_timestamp)).size !== 1 ||
          new Set(items.map((l) => l.item_sku)).size !== items.length ||
          items.length > 5,
      );
      expect(wrong).toEqual([]);
    }
  });

  it('numbers transactions TXN-<store>-<yyyymmdd>-<nnnn> in time order, within opening hours', () => {
    const store = STORES[3]!; // express, 07:00–21:00
    const lines = generateStoreDay(store, '2025-10-29', 42);
    const ids = [...new Set(lines.map((l) => l.transaction_id))];
    expect(ids[0]).toBe('TXN-0004-20251029-0001');
    expect(ids.at(-1)).toBe(`TXN-0004-20251029-${String(ids.length).padStart(4, '0')}`);
    let previous = '';
    for (const line of lines) {
      expect(line.transaction_timestamp >= previous).toBe(true);
      previous = line.transaction_timestamp;
      const ts = parseTimestamp(line.transaction_timestamp);
      expect(ts?.localDate).toBe('2025-10-29');
      expect(ts!.localHour >= store.opens && ts!.localHour < store.closes).toBe(true);
      expect(line.customer_id).toMatch(/^CUST-\d{5}$/);
    }
  });

  it('uses all five payment methods, credit the most', () => {
    const counts = new Map<string, number>();
    for (const { lines } of days) {
      for (const id of new Set(lines.map((l) => `${l.transaction_id} ${l.payment_method}`))) {
        const method = id.split(' ')[1]!;
        counts.set(method, (counts.get(method) ?? 0) + 1);
      }
    }
    expect([...counts.keys()].sort()).toEqual([...PAYMENT_METHODS]);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    expect(top).toBe('credit');
  });

  it('gives a flagship store more transactions and bigger baskets than an express store', () => {
    const stats = (storeId: string) => {
      const files = days.filter((d) => d.storeId === storeId);
      const lines = files.flatMap((f) => f.lines);
      const transactions = new Set(lines.map((l) => l.transaction_id)).size;
      const items = lines.reduce((n, l) => n + l.quantity, 0);
      return { perDay: transactions / files.length, itemsPerTransaction: items / transactions };
    };
    expect(STORES[0]?.tier).toBe('flagship');
    expect(STORES[7]?.tier).toBe('express');
    const flagship = stats('0001');
    const express = stats('0008');
    // Tier multipliers 1.55 vs 0.55: the expected ratio is ~2.8 before noise.
    expect(flagship.perDay / express.perDay).toBeGreaterThan(2.2);
    expect(flagship.itemsPerTransaction).toBeGreaterThan(express.itemsPerTransaction * 1.2);
  });

  it('trades more on a Saturday than on a Monday', () => {
    const total = (date: string) =>
      days.filter((d) => d.date === date).reduce((n, d) => n + new Set(d.lines.map((l) => l.transaction_id)).size, 0);
    expect(total('2025-11-01') / total('2025-10-27')).toBeGreaterThan(1.5); // 1.38 × 1.12 payday over 0.78
  });

  it('lands near 200 transactions for a standard store on an ordinary Thursday', () => {
    const store = STORES.find((s) => s.tier === 'standard')!;
    const counts = [0, 1, 2, 3, 4].map(
      (seed) => new Set(generateStoreDay(store, '2025-10-09', seed).map((l) => l.transaction_id)).size,
    );
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(mean).toBeGreaterThan(180);
    expect(mean).toBeLessThan(220);
  });
});

describe('catalogue', () => {
  it('has 11 stores 0001..0011 and 20 products with unique skus', () => {
    expect(STORES.map((s) => s.id)).toEqual(Array.from({ length: 11 }, (_, i) => String(i + 1).padStart(4, '0')));
    for (const s of STORES) expect(TIERS[s.tier]).toBeDefined();
    expect(PRODUCTS).toHaveLength(20);
    expect(new Set(PRODUCTS.map((p) => p.sku)).size).toBe(20);
    expect(PRODUCTS.find((p) => p.sku === 'SMURF-KEY-002')).toMatchObject({
      name: 'Smurfette Keychain',
      priceCents: 769,
    });
  });

  it('invents stores beyond the eleven', () => {
    expect(storeAt(10).name).toBe('Eastside Retail Park');
    expect(storeAt(11)).toMatchObject({ id: '0012', name: 'Store 0012' });
    expect(storeAt(9998).id).toBe('9999');
  });

  it('bumps paydays and dips before month end', () => {
    expect(monthPositionFactor('2025-11-01')).toBe(1.12);
    expect(monthPositionFactor('2025-11-15')).toBe(1.08);
    expect(monthPositionFactor('2025-11-10')).toBe(1);
    expect(monthPositionFactor('2025-11-24')).toBe(0.93);
    expect(monthPositionFactor('2025-11-29')).toBe(1.1);
    expect(monthPositionFactor('2025-02-27')).toBe(1.1);
  });
});

describe('the committed sample-data/', () => {
  const dir = join(import.meta.dirname, '..', '..', 'sample-data');
  it('is exactly what the documented command writes', () => {
    const files = [...generateSampleData({ ...WEEK, badLines: 3 })];
    expect(
      readdirSync(dir)
        .filter((n) => n.endsWith('.json'))
        .sort(),
    ).toEqual(files.map((f) => f.name).sort());
    for (const file of files) {
      expect(readFileSync(join(dir, file.name), 'utf8') === serializeStoreFile(file.records), file.name).toBe(true);
    }
  });
});
