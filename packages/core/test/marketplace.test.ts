import { describe, expect, it } from 'vitest';
import {
  amountCents,
  classifyUploadKey,
  MARKETPLACE_COLUMNS,
  MarketplaceKpiAccumulator,
  type MarketplaceRow,
  MarketplaceValidator,
  marketplaceDate,
  parseReportId,
  RejectedFileError,
  resolveMarketplaceHeader,
  statusClass,
  toMarketplaceRow,
} from '../src/index';

const HEADER = [...MARKETPLACE_COLUMNS];
const { columns } = resolveMarketplaceHeader(HEADER);

/** A record in header order from the values that differ from a valid shipped line. */
function record(values: Partial<Record<(typeof MARKETPLACE_COLUMNS)[number], string>> = {}): string[] {
  const base: Record<string, string> = {
    'Order ID': '405-8078784-5731545',
    Date: '04-30-22',
    Status: 'Shipped',
    Fulfilment: 'Merchant',
    'Sales Channel': 'Amazon.in',
    'ship-service-level': 'Standard',
    Style: 'SET389',
    SKU: 'SET389-KR-NP-S',
    Category: 'Set',
    Size: 'S',
    ASIN: 'B09KXVBD7Z',
    'Courier Status': '',
    Qty: '1',
    currency: 'INR',
    Amount: '647.62',
    'ship-city': 'MUMBAI',
    'ship-state': 'MAHARASHTRA',
    'ship-postal-code': '400081.0',
    'ship-country': 'IN',
    'promotion-ids': '',
    B2B: 'False',
    'fulfilled-by': 'Easy Ship',
  };
  return HEADER.map((c) => values[c] ?? (base[c] as string));
}

describe('marketplace header', () => {
  it('matches the columns after trimming and ignoring case, and lists the columns it ignores', () => {
    const header = ['\uFEFFindex', ...HEADER.map((c) => (c === 'Sales Channel' ? 'Sales Channel ' : c)), 'Unnamed: 22'];
    header[2] = ' date';
    const resolved = resolveMarketplaceHeader(header);
    expect(resolved.columns['Sales Channel']).toBe(5);
    expect(resolved.columns.Date).toBe(2);
    expect(resolved.columns['Order ID']).toBe(1);
    expect(resolved.ignored).toEqual(['index', 'Unnamed: 22']);
  });

  it('rejects the file naming every missing column, or a column given twice', () => {
    expect(() => resolveMarketplaceHeader(HEADER.filter((c) => c !== 'Amount' && c !== 'B2B'))).toThrow(
      new RejectedFileError('the header lacks the marketplace report column(s) Amount, B2B'),
    );
    expect(() => resolveMarketplaceHeader([...HEADER, 'SKU '])).toThrow(/names the column "SKU" twice/);
  });
});

describe('marketplace values', () => {
  it('reads MM-DD-YY dates on the calendar only', () => {
    expect(marketplaceDate('04-30-22')).toBe('2022-04-30');
    expect(marketplaceDate('02-29-24')).toBe('2024-02-29');
    expect(marketplaceDate('02-29-22')).toBeUndefined();
    expect(marketplaceDate('2022-04-30')).toBeUndefined();
    expect(marketplaceDate('4-30-22')).toBeUndefined();
  });

  it('reads amounts to the cent from their text', () => {
    expect(amountCents('647.62')).toBe(64762);
    expect(amountCents('399.0')).toBe(39900);
    expect(amountCents('0.5')).toBe(50);
    expect(amountCents('1')).toBe(100);
    // 0.29 * 100 is 28.999999999999996 as a float; the text gives 29.
    expect(amountCents('0.29')).toBe(29);
    for (const bad of ['-1', '1.005', '1,234.00', '', '1e3', ' 1']) expect(amountCents(bad)).toBeUndefined();
  });

  it('classes statuses: cancelled, excluded (returned, rejected, lost, damaged) and active', () => {
    expect(statusClass('Cancelled')).toBe('cancelled');
    for (const s of [
      'Shipped - Returned to Seller',
      'Shipped - Returning to Seller',
      'Shipped - Rejected by Buyer',
      'Shipped - Lost in Transit',
      'Shipped - Damaged',
    ]) {
      expect(statusClass(s), s).toBe('excluded');
    }
    for (const s of ['Shipped', 'Shipped - Delivered to Buyer', 'Pending', 'Shipping', 'Shipped - Picked Up']) {
      expect(statusClass(s), s).toBe('active');
    }
  });
});

describe('toMarketplaceRow', () => {
  it('turns a valid line into a row, trimming fields and making blanks null', () => {
    const row = toMarketplaceRow(record({ SKU: ' SET389-KR-NP-S ', 'Courier Status': '  ' }), columns);
    expect(row).toEqual({
      order_id: '405-8078784-5731545',
      business_date: '2022-04-30',
      status: 'Shipped',
      status_class: 'active',
      fulfilment: 'Merchant',
      sales_channel: 'Amazon.in',
      ship_service_level: 'Standard',
      style: 'SET389',
      sku: 'SET389-KR-NP-S',
      category: 'Set',
      size: 'S',
      asin: 'B09KXVBD7Z',
      courier_status: null,
      quantity: 1,
      currency: 'INR',
      amount_cents: 64762,
      ship_city: 'MUMBAI',
      ship_state: 'MAHARASHTRA',
      ship_postal_code: '400081.0',
      ship_country: 'IN',
      promotion_ids: null,
      b2b: false,
      fulfilled_by: 'Easy Ship',
    });
  });

  it('accepts a cancelled line without an amount, and refuses an active one without', () => {
    const cancelled = toMarketplaceRow(record({ Status: 'Cancelled', Amount: '', currency: '', Qty: '0' }), columns);
    expect(cancelled).toMatchObject({ status_class: 'cancelled', amount_cents: null, currency: null, quantity: 0 });
    expect(toMarketplaceRow(record({ Amount: '', currency: '' }), columns)).toEqual([
      { field: 'Amount', rule: 'required', message: 'is required for an order with status Shipped' },
    ]);
  });

  it('gives every reason of a line with several bad fields', () => {
    const reasons = toMarketplaceRow(
      record({
        SKU: '',
        Date: '13-01-22',
        Fulfilment: 'Dropship',
        Qty: '1.5',
        B2B: 'yes',
        Amount: '1.234',
        currency: 'inr',
      }),
      columns,
    );
    expect(reasons).toEqual([
      { field: 'SKU', rule: 'required', message: 'is required' },
      { field: 'Date', rule: 'timestamp', message: '"13-01-22" is not a calendar date MM-DD-YY' },
      { field: 'Fulfilment', rule: 'enum', message: 'must be Amazon or Merchant' },
      { field: 'Qty', rule: 'type', message: '"1.5" is not a whole number ≥ 0' },
      { field: 'B2B', rule: 'enum', message: 'must be True or False' },
      { field: 'Amount', rule: 'two_decimals', message: '"1.234" is not an amount ≥ 0 with at most two decimals' },
      { field: 'currency', rule: 'type', message: 'must be a three-letter code (e.g. INR) when Amount is given' },
    ]);
  });
});

describe('MarketplaceValidator', () => {
  it('refuses a second currency and a repeated Order ID and SKU, naming the first line', () => {
    const v = new MarketplaceValidator();
    expect(Array.isArray(v.check(record(), columns, 1))).toBe(false);
    expect(v.check(record({ 'Order ID': '171-1-1', currency: 'USD' }), columns, 2)).toEqual([
      { field: 'currency', rule: 'invalid', message: "USD is not the report's currency INR" },
    ]);
    expect(v.check(record({ Qty: '2' }), columns, 3)).toEqual([
      {
        field: '(record)',
        rule: 'invalid',
        message: 'repeats line 1 (Order ID 405-8078784-5731545, SKU SET389-KR-NP-S)',
      },
    ]);
    // Another SKU of the same order is another line of it.
    expect(Array.isArray(v.check(record({ SKU: 'SET389-KR-NP-M' }), columns, 4))).toBe(false);
    expect(v.reportCurrency).toBe('INR');
  });
});

describe('MarketplaceKpiAccumulator', () => {
  const row = (o: Partial<MarketplaceRow>): MarketplaceRow => {
    const base = toMarketplaceRow(record(), columns) as MarketplaceRow;
    return { ...base, ...o };
  };

  it('sums active lines only, counts distinct orders, and splits B2B, fulfilment, states, categories and months', () => {
    const kpis = new MarketplaceKpiAccumulator();
    // Order A: two active lines (100.10 + 50.05), Amazon, B2B, Karnataka, April.
    kpis.add(
      row({
        order_id: 'A',
        sku: 'a1',
        amount_cents: 10010,
        quantity: 1,
        fulfilment: 'Amazon',
        b2b: true,
        ship_state: 'Karnataka',
        category: 'Set',
        business_date: '2022-04-02',
      }),
    );
    kpis.add(
      row({
        order_id: 'A',
        sku: 'a2',
        amount_cents: 5005,
        quantity: 2,
        fulfilment: 'Amazon',
        b2b: true,
        ship_state: 'KARNATAKA',
        category: 'kurta',
        business_date: '2022-04-02',
      }),
    );
    // Order B: one active line 20.00, Merchant, B2C, Maharashtra, May; one cancelled line that counts for nothing.
    kpis.add(
      row({ order_id: 'B', sku: 'b1', amount_cents: 2000, quantity: 1, category: 'Set', business_date: '2022-05-10' }),
    );
    kpis.add(
      row({
        order_id: 'B',
        sku: 'b2',
        status: 'Cancelled',
        status_class: 'cancelled',
        amount_cents: null,
        quantity: 0,
        business_date: '2022-05-10',
      }),
    );
    // Order C: returned, excluded; no address.
    kpis.add(
      row({
        order_id: 'C',
        sku: 'c1',
        status: 'Shipped - Returned to Seller',
        status_class: 'excluded',
        amount_cents: 9999,
        ship_state: null,
        business_date: '2022-03-31',
      }),
    );
    const r = kpis.result(3, 'INR');
    // Revenue 100.10 + 50.05 + 20.00 = 170.15 over 2 orders: AOV 85.075 → 85.08 (half away from zero).
    expect(r.kpis).toEqual({
      total_revenue: 170.15,
      total_orders: 2,
      average_order_value: 85.08,
      total_quantity: 4,
      b2b_revenue: 150.15,
      b2c_revenue: 20,
      // 150.15 / 170.15 = 88.245...%
      b2b_share_pct: 88.25,
      fulfilment: {
        Amazon: { revenue: 150.15, orders: 1, quantity: 3, revenue_share_pct: 88.25 },
        Merchant: { revenue: 20, orders: 1, quantity: 1, revenue_share_pct: 11.75 },
      },
    });
    expect(r.regional_analytics).toEqual([
      { state: 'KARNATAKA', revenue: 150.15, orders: 1, quantity: 3 },
      { state: 'MAHARASHTRA', revenue: 20, orders: 1, quantity: 1 },
    ]);
    expect(r.category_performance).toEqual([
      { category: 'Set', revenue: 120.1, quantity: 2, orders: 2, average_order_value: 60.05 },
      { category: 'kurta', revenue: 50.05, quantity: 2, orders: 1, average_order_value: 50.05 },
    ]);
    expect(r.monthly_trends).toEqual([
      { month: '2022-04', revenue: 150.15, orders: 1, quantity: 3 },
      { month: '2022-05', revenue: 20, orders: 1, quantity: 1 },
    ]);
    expect(r.metadata).toEqual({
      total_records: 5,
      active_records: 3,
      cancelled_records: 1,
      excluded_records: 1,
      rejected_records: 3,
      currency: 'INR',
      first_date: '2022-03-31',
      last_date: '2022-05-10',
    });
  });

  it('lists the top 10 states by revenue and answers zeros for a report with no active line', () => {
    const kpis = new MarketplaceKpiAccumulator();
    for (let i = 0; i < 12; i++)
      kpis.add(row({ order_id: `O${i}`, ship_state: `S${String(i).padStart(2, '0')}`, amount_cents: 100 * (i + 1) }));
    const r = kpis.result(0, 'INR');
    expect(r.regional_analytics.map((s) => s.state)).toEqual([
      'S11',
      'S10',
      'S09',
      'S08',
      'S07',
      'S06',
      'S05',
      'S04',
      'S03',
      'S02',
    ]);
    const empty = new MarketplaceKpiAccumulator();
    empty.add(row({ status: 'Cancelled', status_class: 'cancelled' }));
    expect(empty.result(0, undefined).kpis).toMatchObject({
      total_revenue: 0,
      total_orders: 0,
      average_order_value: 0,
      b2b_share_pct: 0,
    });
  });
});

describe('upload keys and report names', () => {
  it('chooses the source by the key', () => {
    expect(classifyUploadKey('uploads/store_0001_2025-10-29.json')).toEqual({
      kind: 'store',
      storeDay: { storeId: '0001', date: '2025-10-29' },
    });
    expect(classifyUploadKey('uploads/marketplace/amazon/sales-2022-q2.csv')).toEqual({
      kind: 'marketplace',
      report: { channel: 'amazon', name: 'sales-2022-q2' },
    });
    expect(classifyUploadKey('uploads/kassa/store_0003_2025-10-29.csv')).toEqual({
      kind: 'mapped',
      source: 'kassa',
      storeDay: { storeId: '0003', date: '2025-10-29' },
    });
  });

  it.each([
    ['uploads/marketplace/amazon/x.json', /ending in \.csv/],
    ['uploads/marketplace/Amazon/x.csv', /channel "Amazon"/],
    ['uploads/marketplace/amazon/a/b.csv', /uploads\/marketplace\/<channel>\/<name>\.csv/],
    ['uploads/marketplace/amazon/..csv', /file name/],
    ['uploads/kassa/daily.csv', /store_<NNNN>_<YYYY-MM-DD>\.csv/],
    ['uploads/kassa/store_0003_2025-02-30.csv', /not a calendar date/],
    ['uploads/marketplace/store_0003_2025-10-29.csv', /uploads\/marketplace\/<channel>/],
    ['processed/x.csv', /not under uploads/],
  ])('refuses %s', (key, message) => {
    expect(() => classifyUploadKey(key)).toThrow(message);
  });

  it('reads a report parameter as channel and name', () => {
    expect(parseReportId('amazon/sales-2022-q2')).toEqual({ channel: 'amazon', name: 'sales-2022-q2' });
    expect(() => parseReportId('sales-2022-q2')).toThrow(/<channel>\/<name>/);
  });
});
