import type { CompanyDayFigures } from '@tillflow/core';
import type { InsightFacts } from '@tillflow/insights';
import { describe, expect, it } from 'vitest';
// Store figures of the insights package's series: one transaction per 25.00, cash 30%, debit 20%, mobile 10%.
import { storeDay } from '../../../packages/insights/test/series';
import { companyFacts } from '../src/company';

const DATE = '2025-10-29';

const facts: InsightFacts = {
  date: DATE,
  stores: [storeDay('0002', DATE, 20010), storeDay('0001', DATE, 10020)],
  storeHistory: [],
  company: [],
  products: [],
};

describe('companyFacts', () => {
  it('sums the stores to the cent and counts them against the expected stores', () => {
    const { today } = companyFacts(facts, ['0001', '0002', '0003'], []);
    expect(today).toMatchObject({
      date: DATE,
      net_sales: 300.3,
      gross_sales: 300.3,
      discounts: 0,
      // 8 + 4: one per 25.00, rounded per store.
      transactions: 12,
      items: 24,
      // 300.30 / 12 = 25.025, half away from zero.
      avg_basket: 25.03,
      stores_reported: 2,
      stores_expected: 3,
      missing_stores: ['0003'],
      best_store: { store_id: '0002', net_sales: 200.1 },
      worst_store: { store_id: '0001', net_sales: 100.2 },
    });
    // Cash: 60.03 + 30.06; its transactions round(8 × 0.3) + round(4 × 0.3).
    expect(today.payment_mix.cash).toEqual({ net_sales: 90.09, transactions: 3 });
    expect(today.payment_mix.credit).toEqual({ net_sales: 120.12, transactions: 5 });
    expect(today.payment_mix.gift_card).toEqual({ net_sales: 0, transactions: 0 });
    expect(today.hourly[12]).toBe(300.3);
  });

  it('puts the earlier days first and the computed day last, replacing a stale stored figure of the date', () => {
    const { today: stale } = companyFacts({ ...facts, stores: [storeDay('0001', DATE, 100)] }, ['0001'], []);
    const earlier = (date: string): CompanyDayFigures => ({ ...stale, date });
    const { facts: out } = companyFacts(facts, ['0001', '0002'], [stale, earlier('2025-10-22'), earlier('2025-10-28')]);
    expect(out.company.map((c) => `${c.date}:${c.net_sales}`)).toEqual([
      '2025-10-22:1',
      '2025-10-28:1',
      '2025-10-29:300.3',
    ]);
    expect(out.stores).toBe(facts.stores);
  });
});
