/**
 * Deterministic sample store files (`shared/DESIGN.md`, Input formats 1) for the local platform, tests and benchmarks.
 *
 * Every store-day draws from its own random stream, seeded from (seed, store, date): a file does not depend on how
 * many stores or days were asked for, so `--days 30` starts with exactly the files of `--days 7`.
 */
import {
  addDays,
  daysInMonth,
  PAYMENT_METHODS,
  type PaymentMethod,
  type StoreDay,
  type StoreLineItem,
  storeFileName,
  weekday,
} from '@tillflow/core';

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * Mulberry32: a 32-bit state generator, small and fast, with a period of 2^32, which is plenty for sample data (it is
 * not for cryptography).
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** A 32-bit seed from any parts (FNV-1a over their text), so that related streams do not start correlated. */
export function hashSeed(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0) as number;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** An index drawn with probability proportional to `weights[i]`. */
export function pickWeighted(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  // Only reachable through rounding at the very top of the range.
  return weights.length - 1;
}

/** A standard normal deviate (Box–Muller). */
export function normal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** How busy a store is (`transactions`) and how much a customer buys per visit (`value`), relative to standard. */
export interface StoreTier {
  transactions: number;
  value: number;
}

export const TIERS = {
  flagship: { transactions: 1.55, value: 1.2 },
  large: { transactions: 1.25, value: 1.1 },
  standard: { transactions: 1, value: 1 },
  small: { transactions: 0.75, value: 0.92 },
  express: { transactions: 0.55, value: 0.8 },
} as const satisfies Record<string, StoreTier>;
export type TierName = keyof typeof TIERS;

/** A store of the sample chain. Hours are local, `opens` inclusive, `closes` exclusive. */
export interface Store {
  id: string;
  name: string;
  tier: TierName;
  opens: number;
  closes: number;
}

/** The sample chain: 11 stores, ids 0001..0011. */
export const STORES: readonly Store[] = [
  { id: '0001', name: 'Downtown Flagship', tier: 'flagship', opens: 8, closes: 22 },
  { id: '0002', name: 'Riverside Mall', tier: 'large', opens: 9, closes: 21 },
  { id: '0003', name: 'Northgate', tier: 'standard', opens: 9, closes: 20 },
  { id: '0004', name: 'Harbour Station', tier: 'express', opens: 7, closes: 21 },
  { id: '0005', name: 'Old Town', tier: 'small', opens: 10, closes: 19 },
  { id: '0006', name: 'Westfield Park', tier: 'large', opens: 9, closes: 21 },
  { id: '0007', name: 'University Quarter', tier: 'standard', opens: 9, closes: 20 },
  { id: '0008', name: 'Airport Terminal 2', tier: 'express', opens: 6, closes: 22 },
  { id: '0009', name: 'Lakeside Outlet', tier: 'standard', opens: 10, closes: 20 },
  { id: '0010', name: 'Hillcrest Village', tier: 'small', opens: 9, closes: 18 },
  { id: '0011', name: 'Eastside Retail Park', tier: 'standard', opens: 9, closes: 21 },
];

const EXTRA_TIERS: readonly TierName[] = ['standard', 'small', 'large', 'standard', 'express'];

/**
 * The store at 0-based `index`: one of STORES, or beyond those a generated store (for larger benchmarks) with a
 * cycling tier and standard hours.
 */
export function storeAt(index: number): Store {
  const known = STORES[index];
  if (known) return known;
  const id = String(index + 1).padStart(4, '0');
  return { id, name: `Store ${id}`, tier: EXTRA_TIERS[index % EXTRA_TIERS.length] as TierName, opens: 9, closes: 20 };
}

/** A product of the catalogue; `popularity` is its relative share of picks before its wave. */
export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  popularity: number;
  /** Relative swing of the popularity wave, 0..1. */
  waveAmplitude: number;
  /** Length of one popularity wave, in days. */
  wavePeriodDays: number;
}

/** 20 products; SMURF-KEY-002 matches the example line of `shared/DESIGN.md`. */
export const PRODUCTS: readonly Product[] = [
  {
    sku: 'SMURF-KEY-001',
    name: 'Papa Smurf Keychain',
    priceCents: 699,
    popularity: 6,
    waveAmplitude: 0.2,
    wavePeriodDays: 28,
  },
  {
    sku: 'SMURF-KEY-002',
    name: 'Smurfette Keychain',
    priceCents: 769,
    popularity: 8,
    waveAmplitude: 0.25,
    wavePeriodDays: 35,
  },
  {
    sku: 'SMURF-PLU-001',
    name: 'Papa Smurf Plush 30cm',
    priceCents: 2499,
    popularity: 5,
    waveAmplitude: 0.3,
    wavePeriodDays: 42,
  },
  {
    sku: 'SMURF-PLU-002',
    name: 'Smurfette Plush 30cm',
    priceCents: 2499,
    popularity: 5,
    waveAmplitude: 0.3,
    wavePeriodDays: 40,
  },
  {
    sku: 'SMURF-PLU-003',
    name: 'Gargamel Plush 40cm',
    priceCents: 3499,
    popularity: 2,
    waveAmplitude: 0.4,
    wavePeriodDays: 56,
  },
  {
    sku: 'SMURF-MUG-001',
    name: 'Mushroom House Mug',
    priceCents: 1299,
    popularity: 6,
    waveAmplitude: 0.15,
    wavePeriodDays: 30,
  },
  {
    sku: 'SMURF-MUG-002',
    name: 'Brainy Smurf Mug',
    priceCents: 1199,
    popularity: 3,
    waveAmplitude: 0.2,
    wavePeriodDays: 33,
  },
  {
    sku: 'SMURF-TEE-001',
    name: 'Smurf Village T-Shirt',
    priceCents: 1999,
    popularity: 4,
    waveAmplitude: 0.35,
    wavePeriodDays: 49,
  },
  {
    sku: 'SMURF-TEE-002',
    name: 'Hefty Smurf T-Shirt',
    priceCents: 1999,
    popularity: 2,
    waveAmplitude: 0.3,
    wavePeriodDays: 45,
  },
  {
    sku: 'SMURF-CAP-001',
    name: 'Smurf Hat Cap',
    priceCents: 1499,
    popularity: 3,
    waveAmplitude: 0.45,
    wavePeriodDays: 60,
  },
  {
    sku: 'SMURF-FIG-001',
    name: 'Clumsy Smurf Figure',
    priceCents: 549,
    popularity: 7,
    waveAmplitude: 0.2,
    wavePeriodDays: 21,
  },
  {
    sku: 'SMURF-FIG-002',
    name: 'Jokey Smurf Figure',
    priceCents: 549,
    popularity: 6,
    waveAmplitude: 0.2,
    wavePeriodDays: 24,
  },
  {
    sku: 'SMURF-FIG-003',
    name: 'Azrael Cat Figure',
    priceCents: 649,
    popularity: 4,
    waveAmplitude: 0.25,
    wavePeriodDays: 26,
  },
  {
    sku: 'SMURF-STK-001',
    name: 'Sticker Sheet',
    priceCents: 249,
    popularity: 9,
    waveAmplitude: 0.1,
    wavePeriodDays: 14,
  },
  {
    sku: 'SMURF-PUZ-001',
    name: 'Smurf Village Puzzle 500pc',
    priceCents: 1799,
    popularity: 2,
    waveAmplitude: 0.35,
    wavePeriodDays: 52,
  },
  {
    sku: 'SMURF-BAG-001',
    name: 'Smurf Tote Bag',
    priceCents: 999,
    popularity: 4,
    waveAmplitude: 0.25,
    wavePeriodDays: 38,
  },
  {
    sku: 'SMURF-BOK-001',
    name: 'The Smurfs Comic Vol. 1',
    priceCents: 1299,
    popularity: 3,
    waveAmplitude: 0.3,
    wavePeriodDays: 47,
  },
  {
    sku: 'SMURF-POS-001',
    name: 'Mushroom Village Poster',
    priceCents: 899,
    popularity: 2,
    waveAmplitude: 0.2,
    wavePeriodDays: 31,
  },
  {
    sku: 'SMURF-SNK-001',
    name: 'Smurfberry Gummies',
    priceCents: 399,
    popularity: 10,
    waveAmplitude: 0.15,
    wavePeriodDays: 18,
  },
  {
    sku: 'SMURF-SET-001',
    name: 'Deluxe Village Playset',
    priceCents: 5999,
    popularity: 1,
    waveAmplitude: 0.5,
    wavePeriodDays: 63,
  },
];

/** Relative trade by weekday, Sunday first (the index of `weekday()`). */
export const WEEKDAY_FACTORS: readonly number[] = [0.9, 0.78, 0.82, 0.9, 1.0, 1.22, 1.38];

/** Relative trade by local hour, 0..23; a store sells only within its opening hours. */
export const HOURLY_PROFILE: readonly number[] = [
  0, 0, 0, 0, 0, 0, 0.2, 0.35, 0.5, 0.7, 0.9, 1.1, 1.45, 1.35, 1, 0.95, 1.05, 1.3, 1.25, 0.9, 0.6, 0.4, 0.25, 0,
];

/** Share of transactions by payment method. */
export const PAYMENT_WEIGHTS: Readonly<Record<PaymentMethod, number>> = {
  cash: 0.18,
  credit: 0.34,
  debit: 0.26,
  gift_card: 0.06,
  mobile: 0.16,
};

/** Transactions of a standard store on an average day, before tier, weekday, month position and noise. */
export const BASE_TRANSACTIONS = 200;

/** Relative weights of 1..5 distinct products in a transaction at value 1 (mean ≈ 2.3). */
const BASKET_SIZE_WEIGHTS: readonly number[] = [0.35, 0.28, 0.18, 0.12, 0.07];
/** Relative weights of quantity 1..3 on a line at value 1. */
const QUANTITY_WEIGHTS: readonly number[] = [0.84, 0.12, 0.04];
const DISCOUNT_RATE = 0.14;
const CUSTOMER_POOL = 40_000;

/**
 * Trade by position in the month: people spend after payday (the 1st and the 15th) and hold back in the last week
 * before the end-of-month payday.
 */
export function monthPositionFactor(date: string): number {
  const day = Number(date.slice(8, 10));
  const monthLength = daysInMonth(Number(date.slice(0, 4)), Number(date.slice(5, 7)));
  if (day <= 3) return 1.12;
  if (day === 15 || day === 16) return 1.08;
  if (day >= monthLength - 1) return 1.1;
  if (day >= 20) return 0.93;
  return 1;
}

/** Whole days since 1970-01-01: the clock of the popularity waves, independent of `--start`. */
function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/**
 * A product's pick weight on `date`: its popularity riding a slow sine wave. Phases are spread by the golden angle so
 * that products peak at different times.
 */
export function productWeight(product: Product, index: number, date: string): number {
  const phase = index * 2.399963;
  const wave = Math.sin((2 * Math.PI * dayNumber(date)) / product.wavePeriodDays + phase);
  return product.popularity * (1 + product.waveAmplitude * wave);
}

/** Expected transactions of a store on a date, before noise. */
export function expectedTransactions(store: Store, date: string): number {
  return (
    BASE_TRANSACTIONS *
    TIERS[store.tier].transactions *
    (WEEKDAY_FACTORS[weekday(date)] as number) *
    monthPositionFactor(date)
  );
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * The line items of one store-day, in time order, every one valid: timestamps are the store's local time written
 * with `Z` (as in the example line), transaction ids `TXN-<store>-<yyyymmdd>-<nnnn>` numbered in time order, one
 * payment method and one customer per transaction, money computed in integer cents.
 */
export function generateStoreDay(store: Store, date: string, seed: number): StoreLineItem[] {
  const rng = mulberry32(hashSeed(seed, store.id, date));
  const tier = TIERS[store.tier];
  // ±8% day-to-day noise, floored so that even a freak day has trade.
  const count = Math.max(5, Math.round(expectedTransactions(store, date) * (1 + 0.08 * normal(rng))));

  // A bigger-spending tier fills baskets more and buys multiples more often.
  const basketWeights = BASKET_SIZE_WEIGHTS.map((w, i) => w * tier.value ** (2 * i));
  const quantityWeights = QUANTITY_WEIGHTS.map((w, i) => w * tier.value ** (2 * i));
  const productWeights = PRODUCTS.map((p, i) => productWeight(p, i, date));
  const hourWeights = HOURLY_PROFILE.map((w, h) => (h >= store.opens && h < store.closes ? w : 0));
  const methodWeights = PAYMENT_METHODS.map((m) => PAYMENT_WEIGHTS[m]);

  const seconds: number[] = [];
  for (let i = 0; i < count; i++) {
    seconds.push(pickWeighted(rng, hourWeights) * 3600 + Math.floor(rng() * 3600));
  }
  seconds.sort((a, b) => a - b);

  const compactDate = date.replaceAll('-', '');
  const lines: StoreLineItem[] = [];
  for (let t = 0; t < count; t++) {
    const s = seconds[t] as number;
    const timestamp = `${date}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}Z`;
    const transactionId = `TXN-${store.id}-${compactDate}-${String(t + 1).padStart(4, '0')}`;
    const method = PAYMENT_METHODS[pickWeighted(rng, methodWeights)] as PaymentMethod;
    // Squaring skews towards low numbers: a core of regulars comes back often.
    const customer = `CUST-${String(1 + Math.floor(CUSTOMER_POOL * rng() ** 2)).padStart(5, '0')}`;
    const remaining = productWeights.slice();
    const size = 1 + pickWeighted(rng, basketWeights);
    for (let k = 0; k < size; k++) {
      const p = pickWeighted(rng, remaining);
      remaining[p] = 0; // distinct products within a basket
      const product = PRODUCTS[p] as Product;
      const quantity = 1 + pickWeighted(rng, quantityWeights);
      const totalCents = product.priceCents * quantity;
      const discountCents = rng() < DISCOUNT_RATE ? Math.round(totalCents * (0.05 + 0.25 * rng())) : 0;
      lines.push({
        transaction_id: transactionId,
        transaction_timestamp: timestamp,
        item_sku: product.sku,
        item_name: product.name,
        quantity,
        unit_price: product.priceCents / 100,
        line_total: totalCents / 100,
        discount_amount: discountCents / 100,
        payment_method: method,
        customer_id: customer,
      });
    }
  }
  return lines;
}

/** A deliberately invalid line, each kind breaking a different rule; `field` is the field the validator must name. */
export interface BadLineKind {
  kind: string;
  field: string;
  description: string;
  corrupt: (line: Readonly<StoreLineItem>, date: string) => Record<string, unknown>;
}

/** The kinds of invalid line, injected in this order (then again from the first). */
export const BAD_LINE_KINDS: readonly BadLineKind[] = [
  {
    kind: 'negative-quantity',
    field: 'quantity',
    description: 'quantity below 1',
    corrupt: (line) => ({ ...line, quantity: -line.quantity }),
  },
  {
    kind: 'wrong-line-total',
    field: 'line_total',
    description: 'line_total is not unit_price × quantity',
    corrupt: (line) => ({ ...line, line_total: (Math.round(line.line_total * 100) + 100) / 100 }),
  },
  {
    kind: 'unknown-payment-method',
    field: 'payment_method',
    description: 'payment method outside the five',
    corrupt: (line) => ({ ...line, payment_method: 'cheque' }),
  },
  {
    kind: 'missing-field',
    field: 'customer_id',
    description: 'customer_id missing',
    corrupt: ({ customer_id: _, ...rest }) => rest,
  },
  {
    kind: 'other-day',
    field: 'transaction_timestamp',
    description: "timestamp on another day than the file's",
    corrupt: (line, date) => ({
      ...line,
      transaction_timestamp: `${addDays(date, -1)}${line.transaction_timestamp.slice(10)}`,
    }),
  },
  {
    kind: 'discount-over-total',
    field: 'discount_amount',
    description: 'discount larger than line_total',
    corrupt: (line) => ({ ...line, discount_amount: (Math.round(line.line_total * 100) + 50) / 100 }),
  },
  {
    kind: 'three-decimals',
    field: 'unit_price',
    description: 'unit_price with three decimals',
    corrupt: (line) => ({ ...line, unit_price: (Math.round(line.unit_price * 100) * 10 + 5) / 1000 }),
  },
  {
    kind: 'unknown-field',
    field: 'loyalty_points',
    description: 'a field that is not in the format',
    corrupt: (line) => ({ ...line, loyalty_points: 12 }),
  },
];

/** Where an invalid line was injected: its 1-based line in the file and what is wrong with it. */
export interface InjectedBadLine {
  line: number;
  kind: string;
  field: string;
  description: string;
}

/** One generated store file. `records` are the file's elements; all valid except those listed in `badLines`. */
export interface SampleFile extends StoreDay {
  name: string;
  records: Record<string, unknown>[];
  badLines: InjectedBadLine[];
}

export interface SampleDataOptions {
  /** Number of stores, from 0001. */
  stores: number;
  /** Number of consecutive days. */
  days: number;
  /** First business date, `YYYY-MM-DD`. */
  start: string;
  seed: number;
  /** Invalid lines to inject, spread over the files (default 0). */
  badLines?: number;
}

/**
 * The files for `options`, day by day and store by store within a day, generated lazily so that a large set never has
 * to sit in memory at once.
 */
export function* generateSampleData(options: SampleDataOptions): Generator<SampleFile> {
  const { stores, days, start, seed } = options;
  const fileCount = stores * days;
  const badByFile = new Map<number, number[]>();
  const badLines = options.badLines ?? 0;
  // Spread the k-th bad line to the middle of the k-th of badLines equal slices of the files.
  for (let k = 0; k < badLines; k++) {
    const file = Math.floor(((2 * k + 1) * fileCount) / (2 * badLines));
    badByFile.set(file, [...(badByFile.get(file) ?? []), k]);
  }
  for (let d = 0; d < days; d++) {
    const date = addDays(start, d);
    for (let s = 0; s < stores; s++) {
      const store = storeAt(s);
      const records: Record<string, unknown>[] = generateStoreDay(store, date, seed);
      const injected: InjectedBadLine[] = [];
      const rng = mulberry32(hashSeed(seed, store.id, date, 'bad-lines'));
      const used = new Set<number>();
      for (const k of badByFile.get(d * stores + s) ?? []) {
        if (used.size === records.length)
          throw new RangeError(`more bad lines than lines in ${storeFileName({ storeId: store.id, date })}`);
        let index = Math.floor(rng() * records.length);
        while (used.has(index)) index = (index + 1) % records.length;
        used.add(index);
        const kind = BAD_LINE_KINDS[k % BAD_LINE_KINDS.length] as BadLineKind;
        records[index] = kind.corrupt(records[index] as StoreLineItem, date);
        injected.push({ line: index + 1, kind: kind.kind, field: kind.field, description: kind.description });
      }
      injected.sort((a, b) => a.line - b.line);
      yield { storeId: store.id, date, name: storeFileName({ storeId: store.id, date }), records, badLines: injected };
    }
  }
}

/** A store file's text as the stores export it: a JSON array, 2-space indent, ending with a newline. */
export function serializeStoreFile(records: readonly unknown[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}
