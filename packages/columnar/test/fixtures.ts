import type { CanonicalRow } from '@tillflow/core';
import { PAYMENT_METHODS } from '@tillflow/core';

/** A deterministic generator (Mulberry32), so that every run checks the same rows. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

const NAMES = [
  'Smurfette Keychain',
  'Mushroom House Mug',
  'Café crème',
  'Grüße aus Köln',
  '東京タワー',
  'Emoji 🍄🔵',
  'ña',
];

/**
 * `count` line items of one store-day shaped like a real file: transactions of 1–4 lines sharing id, instant,
 * payment method and customer; a catalogue of repeated SKUs and names; and some distinct strings throughout.
 */
export function storeDayRows(count: number, storeId = '0007', date = '2025-10-29', seed = 7): CanonicalRow[] {
  const rng = random(seed);
  const rows: CanonicalRow[] = [];
  let t = Date.parse(`${date}T08:00:00-05:00`);
  let tx = 0;
  while (rows.length < count) {
    tx++;
    t += Math.floor(rng() * 300_000);
    const lines = 1 + Math.floor(rng() * 4);
    const payment = PAYMENT_METHODS[Math.floor(rng() * PAYMENT_METHODS.length)] as CanonicalRow['payment_method'];
    const customer = `CUST-${String(Math.floor(rng() * 5000)).padStart(5, '0')}`;
    for (let l = 0; l < lines && rows.length < count; l++) {
      const item = Math.floor(rng() * 40);
      const quantity = 1 + Math.floor(rng() * 5);
      const unit = 99 + item * 137;
      const total = unit * quantity;
      rows.push({
        store_id: storeId,
        business_date: date,
        transaction_id: `TXN-${storeId}-${date.replaceAll('-', '')}-${String(tx).padStart(4, '0')}`,
        timestamp_ms: t,
        utc_offset_minutes: -300,
        item_sku: `SKU-${String(item).padStart(3, '0')}`,
        item_name: `${NAMES[item % NAMES.length]} #${item}`,
        quantity,
        unit_price_cents: unit,
        line_total_cents: total,
        discount_cents: rng() < 0.8 ? 0 : Math.floor(rng() * total),
        payment_method: payment,
        customer_id: customer,
      });
    }
  }
  return rows;
}

/** Rows at the edges of every column's range. */
export function edgeRows(): CanonicalRow[] {
  const base: CanonicalRow = {
    store_id: '0001',
    business_date: '2025-10-29',
    transaction_id: 'TXN-0001-20251029-0001',
    timestamp_ms: Date.parse('2025-10-29T09:00:17Z'),
    utc_offset_minutes: 0,
    item_sku: 'SMURF-KEY-002',
    item_name: 'Smurfette Keychain',
    quantity: 1,
    unit_price_cents: 0,
    line_total_cents: 0,
    discount_cents: 0,
    payment_method: 'cash',
    customer_id: 'CUST-00388',
  };
  return [
    base,
    // Money past Int32 (21,474,836.47) and up to the largest exact integer.
    {
      ...base,
      quantity: 2_147_483_647,
      unit_price_cents: 2 ** 31,
      line_total_cents: Number.MAX_SAFE_INTEGER,
      discount_cents: 2 ** 32 + 1,
    },
    // The extreme offsets a timestamp can carry, and an instant before 1970.
    { ...base, utc_offset_minutes: -14 * 60, timestamp_ms: -1 },
    { ...base, utc_offset_minutes: 14 * 60, timestamp_ms: Date.parse('2099-12-31T23:59:59.999Z') },
    { ...base, utc_offset_minutes: -570, timestamp_ms: Date.parse('2025-10-29T23:59:59.123-09:30') },
    // Non-ASCII text in every string column, including astral characters (surrogate pairs).
    {
      ...base,
      store_id: 'Ünïcödé',
      business_date: '2025-02-28',
      transaction_id: 'TXN-€-𝄞',
      item_sku: 'SKU-ß',
      item_name: 'Schlümpfe 🍄 東京',
      payment_method: 'gift_card',
      customer_id: 'CUST-ø',
    },
    { ...base, item_name: ' ', item_sku: '\t', customer_id: 'x'.repeat(5000), payment_method: 'mobile' },
  ];
}

/** Bytes of a Uint8Array as an ArrayBuffer of their own, which is what hyparquet reads. */
export function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
