import { describe, expect, it } from 'vitest';
import {
  API_ROUTE_SPECS,
  buildSeries,
  checkObjectKey,
  DOWNLOAD_PREFIXES,
  decodeCursor,
  encodeCursor,
  fileListing,
  nearestDates,
  openApiDocument,
  weekOverWeek,
} from '../src';

describe('buildSeries', () => {
  it('puts every calendar day on the axis and averages only the days with figures', () => {
    const days = [
      { date: '2025-10-01', net_sales: 10, transactions: 2 },
      { date: '2025-10-03', net_sales: 20.01, transactions: 3 },
    ];
    const points = buildSeries(days, '2025-10-01', '2025-10-03');
    expect(points.map((p) => [p.date, p.reported, p.net_sales, p.avg_basket])).toEqual([
      ['2025-10-01', true, 10, 5],
      ['2025-10-02', false, 0, 0],
      ['2025-10-03', true, 20.01, 6.67],
    ]);
    // (10.00 + 20.01) / 2 = 15.005, half away from zero in cents.
    expect(points.map((p) => p.net_sales_ma7)).toEqual([10, 10, 15.01]);
    expect(buildSeries([], '2025-10-01', '2025-10-01')[0]?.net_sales_ma30).toBeNull();
  });
});

describe('weekOverWeek', () => {
  it('sums the 7 days ending on the date against the 7 before, null change without a base', () => {
    const days = [
      { date: '2025-10-14', net_sales: 30, transactions: 3 },
      { date: '2025-10-08', net_sales: 10, transactions: 1 },
      { date: '2025-10-07', net_sales: 20, transactions: 2 },
      { date: '2025-10-01', net_sales: 5, transactions: 1 },
    ];
    expect(weekOverWeek(days, '2025-10-14')).toEqual({
      net_sales: 40,
      previous_net_sales: 25,
      net_sales_change_pct: 60,
      transactions: 4,
      previous_transactions: 3,
      transactions_change_pct: 33.33,
    });
    expect(weekOverWeek(days.slice(0, 1), '2025-10-14').net_sales_change_pct).toBeNull();
  });
});

describe('nearestDates', () => {
  it('lists the closest analysed days in calendar order', () => {
    expect(nearestDates('2025-10-10', ['2025-09-01', '2025-10-08', '2025-10-13', '2025-10-11'], 2)).toEqual([
      '2025-10-08',
      '2025-10-11',
    ]);
    expect(nearestDates('2025-10-10', [])).toEqual([]);
  });
});

describe('checkObjectKey', () => {
  it('takes a relative key under an allowed folder', () => {
    expect(checkObjectKey('reports/date=2025-10-01/report.txt', DOWNLOAD_PREFIXES)).toBe(
      'reports/date=2025-10-01/report.txt',
    );
  });

  it.each([
    'uploads/store_0001_2025-10-01.json',
    'processed/../uploads/x',
    'processed/./x',
    '/processed/x',
    's3://other/processed/x',
    'https://evil.example/processed/x',
    'processed%2F..%2Fx',
    'processed\\x',
    'processed//x',
    'processed/x\u0000',
    'processed/',
    'processedX/y',
    `processed/${'a'.repeat(1020)}`,
  ])('refuses %j', (key) => {
    expect(() => checkObjectKey(key, DOWNLOAD_PREFIXES)).toThrow(/key/);
  });
});

describe('fileListing and cursors', () => {
  it('narrows by prefix where the key layout allows, else by a filter', () => {
    expect(fileListing('processed', '2025-10-01', '0002').prefix).toBe('processed/sales/date=2025-10-01/store=0002/');
    expect(fileListing('uploads', undefined, '0002')).toMatchObject({ prefix: 'uploads/store_0002_', filtered: false });
    const byDate = fileListing('uploads', '2025-10-01');
    expect([byDate.filtered, byDate.keep('uploads/store_0001_2025-10-01.json'), byDate.keep('uploads/x.json')]).toEqual(
      [true, true, false],
    );
    expect(fileListing('rejected', undefined, '0001').keep('rejected/date=2025-10-01/store=0001/a')).toBe(true);
  });

  it('gives back the position of its own cursor only', () => {
    const cursor = encodeCursor('uploads/store_0001_2025-10-01.json');
    expect(decodeCursor(cursor, 'uploads/')).toBe('uploads/store_0001_2025-10-01.json');
    expect(() => decodeCursor(cursor, 'processed/')).toThrow(/cursor/);
    expect(() => decodeCursor('!!', 'uploads/')).toThrow(/cursor/);
  });
});

describe('openApiDocument', () => {
  it('describes every route with its parameters from the same schemas', () => {
    const doc = openApiDocument({ version: '1.2.3' }) as {
      paths: Record<string, Record<string, { parameters: { name: string; in: string; required: boolean }[] }>>;
    };
    for (const spec of API_ROUTE_SPECS)
      expect(doc.paths[spec.path]?.[spec.method.toLowerCase()], spec.path).toBeDefined();
    expect(doc.paths['/trends']?.get?.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['store', 'query', false],
      ['days', 'query', false],
      ['date', 'query', false],
    ]);
    expect(doc.paths['/reports/{date}']?.get?.parameters[0]).toMatchObject({
      name: 'date',
      in: 'path',
      required: true,
    });
    expect(doc.paths['/files']?.get?.parameters.find((p) => p.name === 'prefix')?.required).toBe(true);
  });
});
