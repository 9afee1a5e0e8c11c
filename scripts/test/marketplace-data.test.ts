import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARKETPLACE_COLUMNS, MarketplaceValidator, resolveMarketplaceHeader } from '@tillflow/core';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  AMAZON_FULFILMENT_SHARE,
  B2B_SHARE,
  BAD_MARKETPLACE_LINES,
  CATEGORIES,
  csvField,
  generateMarketplaceLines,
  STATUSES,
  serializeMarketplaceReport,
} from '../marketplace-data';

const OPTIONS = { orders: 20_000, start: '2022-04-01', days: 91, seed: 3 };
const lines = generateMarketplaceLines(OPTIONS);
const share = (n: number) => (n / lines.length) * 100;

describe('generateMarketplaceLines', () => {
  it('is deterministic: the same options give the same bytes, another seed others', () => {
    const small = { orders: 300, start: '2022-04-01', days: 30, seed: 5 };
    expect(serializeMarketplaceReport(generateMarketplaceLines(small))).toBe(
      serializeMarketplaceReport(generateMarketplaceLines(small)),
    );
    expect(serializeMarketplaceReport(generateMarketplaceLines({ ...small, seed: 6 }))).not.toBe(
      serializeMarketplaceReport(generateMarketplaceLines(small)),
    );
  });

  it('draws statuses, categories, fulfilment and B2B in the proportions of the public report', () => {
    const count = (f: (v: (typeof lines)[number]['values']) => boolean) => lines.filter((l) => f(l.values)).length;
    // 22k lines: a share of p% has a standard error under 0.35 points; 1.5 points is over four of them.
    for (const [status, weight] of STATUSES.filter(([, w]) => w > 1)) {
      expect(Math.abs(share(count((v) => v.Status === status)) - weight), status).toBeLessThan(1.5);
    }
    for (const category of CATEGORIES.filter((c) => c.weight > 1)) {
      expect(Math.abs(share(count((v) => v.Category === category.name)) - category.weight), category.name).toBeLessThan(
        1.5,
      );
    }
    // Fulfilment and B2B are drawn per order; lines follow within a point.
    expect(Math.abs(share(count((v) => v.Fulfilment === 'Amazon')) - AMAZON_FULFILMENT_SHARE)).toBeLessThan(1.5);
    expect(Math.abs(share(count((v) => v.B2B === 'True')) - B2B_SHARE)).toBeLessThan(0.5);
    expect(count((v) => v['promotion-ids'].includes(','))).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => l.values['ship-state'])).size).toBeGreaterThanOrEqual(15);
  });

  it('keeps the rules of the real report: Amazon ships Expedited, the merchant Standard with Easy Ship; dates in range', () => {
    for (const { values: v } of lines) {
      expect(v['ship-service-level']).toBe(v.Fulfilment === 'Amazon' ? 'Expedited' : 'Standard');
      expect(v['fulfilled-by']).toBe(v.Fulfilment === 'Amazon' ? '' : 'Easy Ship');
      if (v.Amount === '') expect(v.Status).toBe('Cancelled');
    }
    const months = new Set(lines.map((l) => l.values.Date.slice(0, 2)));
    expect([...months].sort()).toEqual(['04', '05', '06']);
  });

  it('makes every generated line valid for the adapter, except each injected one, for its stated reason', () => {
    const withBad = generateMarketplaceLines({ ...OPTIONS, orders: 2_000, badLines: 12 });
    const { columns } = resolveMarketplaceHeader([...MARKETPLACE_COLUMNS]);
    const validator = new MarketplaceValidator();
    const verdicts = withBad.map((l, i) => {
      const result = validator.check(
        MARKETPLACE_COLUMNS.map((c) => l.values[c]),
        columns,
        i + 1,
      );
      return Array.isArray(result) ? result.map((r) => r.field) : null;
    });
    const bad = withBad.flatMap((l, i) => (l.bad ? [i] : []));
    expect(bad).toHaveLength(12);
    verdicts.forEach((fields, i) => {
      const kind = BAD_MARKETPLACE_LINES.find((k) => k.description === withBad[i]?.bad);
      if (kind) expect(fields, `line ${i + 1}`).toContain(kind.column);
      else expect(fields, `line ${i + 1}`).toBeNull();
    });
  });
});

describe('serializeMarketplaceReport', () => {
  it('writes a CSV that a CSV parser reads back value for value, with the quirks of real exports', () => {
    const some = lines.slice(0, 500);
    const text = serializeMarketplaceReport(some);
    expect(text.startsWith('\uFEFFindex,Order ID,Date,Status,Fulfilment,Sales Channel ,')).toBe(true);
    expect(text).toContain('\r\n');
    const records = parse(text, { bom: true }) as string[][];
    expect(records[0]?.at(-1)).toBe('Unnamed: 22');
    expect(records).toHaveLength(501);
    some.forEach((l, i) => {
      expect(records[i + 1]?.slice(1, -1)).toEqual(MARKETPLACE_COLUMNS.map((c) => l.values[c]));
    });
  });

  it('quotes a field only when it holds a comma, a quote or a line break', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
});

describe('the committed sample marketplace report', () => {
  it('is exactly what the documented command writes', () => {
    const file = join(import.meta.dirname, '..', '..', 'sample-data', 'marketplace', 'amazon', 'sales-2025-q3.csv');
    const expected = serializeMarketplaceReport(
      generateMarketplaceLines({ orders: 600, start: '2025-08-01', days: 92, seed: 7, badLines: 4 }),
    );
    expect(readFileSync(file, 'utf8') === expected).toBe(true);
  });
});
