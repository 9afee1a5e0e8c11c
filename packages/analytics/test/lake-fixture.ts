import type { CanonicalRow, MarketplaceRow, PaymentMethod, StatusClass } from '@tillflow/core';

/** A small deterministic PRNG (mulberry32), so that every run of the tests sees the same lake. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCTS = [
  ['SKU-APPLE', 'Apple', 80],
  ['SKU-BREAD', 'Bread', 250],
  ['SKU-CHEESE', 'Cheese', 499],
  ['SKU-DATES', 'Dates', 350],
  ['SKU-EGGS', 'Eggs', 299],
  ['SKU-FLOUR', 'Flour', 189],
  ['SKU-GRAPES', 'Grapes', 420],
  ['SKU-HONEY', 'Honey', 899],
] as const;
const PAYMENTS: PaymentMethod[] = ['cash', 'credit', 'debit', 'mobile', 'gift_card'];

/** The stores of the fixture and the offset each writes (one west of UTC, so local hours differ from UTC hours). */
export const FIXTURE_STORES = { '0001': 60, '0002': 60, '0003': -300 } as const;

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Store-day rows over `dates` for the fixture's stores: 8–20 transactions a day, 1–4 distinct products each, customers
 * from a pool of 25, a discount on some lines. Transaction ids as store files write them (`TXN-<store>-<yyyymmdd>-<n>`).
 */
export function storeRows(dates: readonly string[], seed = 7): Map<string, CanonicalRow[]> {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const partitions = new Map<string, CanonicalRow[]>();
  for (const date of dates) {
    for (const [store, offset] of Object.entries(FIXTURE_STORES)) {
      const rows: CanonicalRow[] = [];
      const transactions = 8 + Math.floor(next() * 13);
      for (let n = 1; n <= transactions; n++) {
        const localMinutes = 8 * 60 + Math.floor(next() * 12 * 60);
        const timestamp = Date.parse(`${date}T00:00:00Z`) + (localMinutes - offset) * 60_000;
        const id = `TXN-${store}-${date.replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
        const payment = pick(PAYMENTS);
        const customer = `CUST-${String(1 + Math.floor(next() * 25)).padStart(3, '0')}`;
        const products = [...PRODUCTS].sort(() => next() - 0.5).slice(0, 1 + Math.floor(next() * 4));
        for (const [sku, name, price] of products) {
          const quantity = 1 + Math.floor(next() * 3);
          const total = quantity * price;
          rows.push({
            store_id: store,
            business_date: date,
            transaction_id: id,
            timestamp_ms: timestamp,
            utc_offset_minutes: offset,
            item_sku: sku,
            item_name: name,
            quantity,
            unit_price_cents: price,
            line_total_cents: total,
            discount_cents: next() < 0.2 ? Math.floor(total * 0.1) : 0,
            payment_method: payment,
            customer_id: customer,
          });
        }
      }
      partitions.set(`${date}/${store}`, rows);
    }
  }
  return partitions;
}

const STATUSES = [
  'Shipped',
  'Shipped',
  'Shipped',
  'Shipped - Delivered to Buyer',
  'Cancelled',
  'Shipped - Returned to Seller',
  'Shipped - Returning to Seller',
  'Pending',
];
const CATEGORIES = ['Set', 'kurta', 'Western Dress', 'Top'];
const STATES = ['MAHARASHTRA', 'Maharashtra', 'KARNATAKA', 'TAMIL NADU', 'UTTAR PRADESH', null];

/** The status class the marketplace adapter gives (packages/core statusClass), written out for the fixture. */
function classOf(status: string): StatusClass {
  if (status === 'Cancelled') return 'cancelled';
  return status.includes('Return') ? 'excluded' : 'active';
}

/** Marketplace order lines of one order date, as the marketplace lake stores them: 1–2 lines an order. */
export function marketplaceRows(date: string, orders: number, seed = 11): MarketplaceRow[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const rows: MarketplaceRow[] = [];
  for (let n = 1; n <= orders; n++) {
    const order = `405-${String(1000000 + n)}-${date.replaceAll('-', '')}`;
    const status = pick(STATUSES);
    const fulfilment = next() < 0.7 ? 'Amazon' : 'Merchant';
    const state = pick(STATES);
    const b2b = next() < 0.15;
    const lines = 1 + Math.floor(next() * 2);
    for (let l = 0; l < lines; l++) {
      const quantity = 1 + Math.floor(next() * 2);
      const price = 30000 + Math.floor(next() * 70000);
      rows.push({
        order_id: order,
        business_date: date,
        status,
        status_class: classOf(status),
        fulfilment,
        sales_channel: 'Amazon.in',
        ship_service_level: 'Standard',
        style: `JNE${n % 5}`,
        sku: `MKT-${l}-${n % 5}`,
        category: pick(CATEGORIES),
        size: 'M',
        asin: `B0${n % 5}`,
        courier_status: null,
        quantity,
        currency: 'INR',
        // A cancelled order often has no amount on real exports.
        amount_cents: status === 'Cancelled' && n % 2 === 0 ? null : price * quantity,
        ship_city: null,
        ship_state: state,
        ship_postal_code: null,
        ship_country: 'IN',
        promotion_ids: null,
        b2b,
        fulfilled_by: null,
      });
    }
  }
  return rows;
}
