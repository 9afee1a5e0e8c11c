import { OPERATION_NAMES, ValidationError } from '@tillflow/core';
import { describe, expect, it } from 'vitest';
import { ATHENA, buildQuery, canonicalRequest, DUCKDB, parametersFromQuery, validateRequest } from '../src/index';

const RANGE = { from: '2025-10-01', to: '2025-10-31' };
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

describe('the Athena form of every operation', () => {
  const SALES_OPERATIONS = OPERATION_NAMES.filter((name) => name !== 'marketplace_summary');

  it.each(SALES_OPERATIONS)(
    '%s: reads sales, prunes by the "date" partition, binds every value, and differs from DuckDB only where the dialects do',
    (name) => {
      const request = validateRequest(name, { ...RANGE, stores: ['0002', '0001'] });
      const athena = buildQuery(request, ATHENA);
      const duck = buildQuery(request, DUCKDB);
      expect(athena.sql).toContain('FROM sales WHERE "date" BETWEEN CAST(? AS VARCHAR) AND CAST(? AS VARCHAR)');
      expect(athena.sql).toContain('"store" IN (CAST(? AS VARCHAR), CAST(? AS VARCHAR))');
      expect(athena.params.slice(0, 4)).toEqual(['2025-10-01', '2025-10-31', '0002', '0001']);
      expect(placeholders(athena.sql)).toBe(athena.params.length);
      expect(athena.params).toEqual(duck.params);
      // No request value is in the text: the dates and stores only as parameters.
      expect(athena.sql).not.toContain('2025-10');
      expect(athena.sql).not.toContain('0002');
      expect(athena.sql).not.toContain('epoch_ms');
      expect(athena.sql).not.toContain('marketplace');
      const normalised = athena.sql
        .replace('"date" BETWEEN', 'business_date BETWEEN')
        .replace('"store" IN', 'store_id IN')
        .replaceAll(/CAST\(round\(to_unixtime\(timestamp_ms\) \* 1000\) AS BIGINT\)/g, 'epoch_ms(timestamp_ms)');
      expect(normalised).toBe(duck.sql);
    },
  );

  it('marketplace_summary: reads the marketplace table, prunes by its "date" partition and its channel', () => {
    const request = validateRequest('marketplace_summary', { ...RANGE, channels: ['shop', 'amazon'] });
    const athena = buildQuery(request, ATHENA);
    const duck = buildQuery(request, DUCKDB);
    expect(athena.sql).toContain(
      'FROM marketplace WHERE "date" BETWEEN CAST(? AS VARCHAR) AND CAST(? AS VARCHAR) AND channel IN (CAST(? AS VARCHAR), CAST(? AS VARCHAR))',
    );
    expect(athena.sql).not.toMatch(/\bsales\b/);
    // Unsold by default: the status class the adapter wrote, as the report's KPIs count it.
    expect(athena.sql).toContain('CASE WHEN status_class <> CAST(? AS VARCHAR) THEN 1 ELSE 0 END AS excluded');
    expect(athena.params).toEqual(['2025-10-01', '2025-10-31', 'shop', 'amazon', 'active']);
    expect(placeholders(athena.sql)).toBe(athena.params.length);
    expect(athena.sql.replace('"date" BETWEEN', 'business_date BETWEEN')).toBe(duck.sql);
  });

  it('marketplace_summary: takes channels, not stores', () => {
    expect(() => validateRequest('marketplace_summary', { ...RANGE, stores: ['0001'] })).toThrow(
      /parameters.stores: is not a parameter of marketplace_summary/,
    );
    expect(() => validateRequest('marketplace_summary', { ...RANGE, channels: ['Amazon'] })).toThrow(ValidationError);
  });

  it('hourly_profile: the local hour from to_unixtime and the offset', () => {
    const { sql } = buildQuery(validateRequest('hourly_profile', RANGE), ATHENA);
    expect(sql).toContain(
      'CAST(floor(CAST(CAST(round(to_unixtime(timestamp_ms) * 1000) AS BIGINT) + utc_offset_minutes * 60000 AS DOUBLE) / 3600000) AS BIGINT) % 24 AS hour',
    );
  });

  it('revenue_by_period: the period is date_trunc of a fixed unit, growth by LAG and rank by RANK over windows', () => {
    const { sql, params } = buildQuery(
      validateRequest('revenue_by_period', { ...RANGE, period: 'month', dimension: 'payment_method', top: 3 }),
      ATHENA,
    );
    expect(sql).toContain("date_trunc('month', CAST(business_date AS DATE))");
    expect(sql).toContain('payment_method AS dimension_value');
    expect(sql).toContain('LAG(net_sales_cents) OVER (PARTITION BY dimension_value ORDER BY period_start)');
    expect(sql).toContain('RANK() OVER (PARTITION BY period_start ORDER BY net_sales_cents DESC) AS sales_rank');
    expect(sql).toContain('WHERE sales_rank <= CAST(? AS BIGINT)');
    expect(params).toEqual(['2025-10-01', '2025-10-31', 3]);
  });

  it('marketplace_summary: statuses, even hostile ones, are parameters, lower-cased', () => {
    const { sql, params } = buildQuery(
      validateRequest('marketplace_summary', { ...RANGE, excluded_statuses: ["Cancelled'; DROP TABLE sales; --"] }),
      ATHENA,
    );
    expect(sql).not.toContain('DROP');
    expect(sql).toContain('lower(status) IN (CAST(? AS VARCHAR))');
    expect(params).toEqual(['2025-10-01', '2025-10-31', "cancelled'; drop table sales; --"]);
  });

  it('customer_analysis: the bound values follow the placeholders in the order of the text', () => {
    const { sql, params } = buildQuery(
      validateRequest('customer_analysis', { ...RANGE, segment_bounds_cents: [10000, 2500] }),
      ATHENA,
    );
    expect(placeholders(sql)).toBe(params.length);
    // Bounds sorted; the "all" label comes before the segment labels in the final CASE.
    expect(params).toEqual([
      '2025-10-01',
      '2025-10-31',
      2500,
      10000,
      'all',
      '< 25.00',
      '25.00 to < 100.00',
      '>= 100.00',
    ]);
  });
});

describe('validateRequest', () => {
  const fails = (operation: unknown, parameters: unknown) => {
    try {
      validateRequest(operation, parameters);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('fills the defaults in', () => {
    expect(validateRequest('revenue_by_period', RANGE).parameters).toEqual({
      ...RANGE,
      period: 'day',
      dimension: 'store',
    });
  });

  it('refuses an operation not in the list', () => {
    expect(fails('drop_tables', RANGE)).toMatch(/operation: expected one of revenue_by_period, .*data_integrity/);
  });

  it('refuses an unknown parameter, a value outside its list, a missing date', () => {
    expect(fails('store_ranking', { ...RANGE, sql: 'SELECT 1' })).toContain(
      'parameters.sql: is not a parameter of store_ranking',
    );
    expect(fails('store_ranking', { ...RANGE, metric: 'store_id; --' })).toContain(
      'parameters.metric: expected one of net_sales, transactions, items, average_basket',
    );
    expect(fails('store_ranking', { from: '2025-10-01' })).toContain('parameters.to: is required');
  });

  it('refuses a date not in the calendar, a range backwards or longer than a year, a malformed store', () => {
    expect(fails('hourly_profile', { from: '2025-02-29', to: '2025-03-01' })).toContain(
      '2025-02-29 is not a calendar date',
    );
    expect(fails('hourly_profile', { from: '2025-03-02', to: '2025-03-01' })).toContain('is after to');
    expect(fails('hourly_profile', { from: '2024-01-01', to: '2025-01-01' })).toContain('longer than 366 days');
    expect(validateRequest('hourly_profile', { from: '2024-01-01', to: '2024-12-31' }).operation).toBe(
      'hourly_profile',
    );
    expect(fails('hourly_profile', { ...RANGE, stores: ["0001' OR 1=1"] })).toContain('parameters.stores.0');
  });

  it('reads query-string parameters as their schema types', () => {
    const parameters = parametersFromQuery('customer_analysis', {
      operation: 'customer_analysis',
      ...RANGE,
      stores: '0001,0003',
      segment_bounds_cents: '1000,5000',
    });
    expect(validateRequest('customer_analysis', parameters).parameters).toEqual({
      ...RANGE,
      stores: ['0001', '0003'],
      segment_bounds_cents: [1000, 5000],
    });
    expect(() =>
      validateRequest('product_affinity', parametersFromQuery('product_affinity', { ...RANGE, limit: 'ten' })),
    ).toThrow(/parameters.limit/);
  });

  it('gives equal requests one canonical text, whatever the order of keys and stores', () => {
    const a = validateRequest('store_ranking', { to: RANGE.to, from: RANGE.from, stores: ['0002', '0001'] });
    const b = validateRequest('store_ranking', { ...RANGE, stores: ['0001', '0002'], metric: 'net_sales' });
    expect(canonicalRequest(a)).toBe(canonicalRequest(b));
    expect(canonicalRequest(a)).not.toBe(
      canonicalRequest(validateRequest('store_ranking', { ...RANGE, metric: 'items' })),
    );
  });
});
