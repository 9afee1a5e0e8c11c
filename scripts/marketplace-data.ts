/**
 * Seeded marketplace order reports shaped like the public "Amazon Sale Report" (an Indian apparel seller, April to
 * June 2022): its columns, and its proportions of statuses, fulfilment, service levels, categories, sizes, states,
 * promotions and B2B orders, rounded from that data set's published counts. The same options give the same bytes.
 * Used by the tests (KPIs recomputed from the generated lines) and by the sample data.
 */
import { addDays, MARKETPLACE_COLUMNS, type MarketplaceColumn } from '@tillflow/core';
import { hashSeed, mulberry32, pickWeighted, type Rng } from './sample-data';

/** Weighted choices: `[value, weight]`; weights are relative (percent, roughly). */
type Weighted<T> = readonly (readonly [T, number])[];

function pick<T>(rng: Rng, choices: Weighted<T>): T {
  return (
    choices[
      pickWeighted(
        rng,
        choices.map((c) => c[1]),
      )
    ] as readonly [T, number]
  )[0];
}

/** Status proportions of the public report (share of lines, %). */
export const STATUSES: Weighted<string> = [
  ['Shipped', 60.6],
  ['Shipped - Delivered to Buyer', 22.5],
  ['Cancelled', 14.2],
  ['Shipped - Returned to Seller', 1.5],
  ['Shipped - Picked Up', 0.75],
  ['Pending', 0.5],
  ['Pending - Waiting for Pick Up', 0.22],
  ['Shipped - Returning to Seller', 0.11],
  ['Shipped - Out for Delivery', 0.03],
  ['Shipped - Rejected by Buyer', 0.01],
  ['Shipping', 0.01],
  ['Shipped - Lost in Transit', 0.005],
  ['Shipped - Damaged', 0.002],
];

/** Categories (% of lines) with the usual price band of one unit, in rupees. */
export const CATEGORIES: readonly { name: string; weight: number; price: readonly [number, number]; style: string }[] =
  [
    { name: 'Set', weight: 39.0, price: [599, 1299], style: 'SET' },
    { name: 'kurta', weight: 38.6, price: [299, 699], style: 'JNE' },
    { name: 'Western Dress', weight: 12.0, price: [499, 1099], style: 'J0' },
    { name: 'Top', weight: 8.2, price: [349, 749], style: 'SAR' },
    { name: 'Ethnic Dress', weight: 0.9, price: [499, 999], style: 'NW' },
    { name: 'Blouse', weight: 0.7, price: [349, 699], style: 'BL' },
    { name: 'Bottom', weight: 0.35, price: [249, 499], style: 'BTM' },
    { name: 'Saree', weight: 0.13, price: [599, 1199], style: 'SR' },
    { name: 'Dupatta', weight: 0.02, price: [249, 349], style: 'DPT' },
  ];

export const SIZES: Weighted<string> = [
  ['M', 17.4],
  ['L', 17.0],
  ['XL', 16.0],
  ['XXL', 14.2],
  ['S', 13.3],
  ['3XL', 11.5],
  ['XS', 8.6],
  ['6XL', 0.6],
  ['5XL', 0.4],
  ['4XL', 0.3],
  ['Free', 0.3],
];

/** Ship-states (% of lines) with a few of their cities; the tail is spread over the remaining states. */
export const STATES: readonly { state: string; weight: number; cities: readonly string[]; postal: number }[] = [
  { state: 'MAHARASHTRA', weight: 17.0, cities: ['MUMBAI', 'PUNE', 'NAGPUR', 'THANE'], postal: 400001 },
  { state: 'KARNATAKA', weight: 13.4, cities: ['BENGALURU', 'MYSURU', 'MANGALURU'], postal: 560001 },
  { state: 'TAMIL NADU', weight: 8.9, cities: ['CHENNAI', 'COIMBATORE', 'MADURAI'], postal: 600001 },
  { state: 'TELANGANA', weight: 8.8, cities: ['HYDERABAD', 'WARANGAL'], postal: 500001 },
  { state: 'UTTAR PRADESH', weight: 8.3, cities: ['LUCKNOW', 'NOIDA', 'GHAZIABAD', 'KANPUR'], postal: 226001 },
  { state: 'DELHI', weight: 5.4, cities: ['NEW DELHI', 'DELHI'], postal: 110001 },
  { state: 'KERALA', weight: 5.1, cities: ['KOCHI', 'THIRUVANANTHAPURAM', 'KOZHIKODE'], postal: 682001 },
  { state: 'WEST BENGAL', weight: 4.6, cities: ['KOLKATA', 'HOWRAH'], postal: 700001 },
  { state: 'ANDHRA PRADESH', weight: 4.1, cities: ['VISAKHAPATNAM', 'VIJAYAWADA'], postal: 530001 },
  { state: 'GUJARAT', weight: 3.5, cities: ['AHMEDABAD', 'SURAT', 'VADODARA'], postal: 380001 },
  { state: 'HARYANA', weight: 3.5, cities: ['GURUGRAM', 'FARIDABAD'], postal: 122001 },
  { state: 'RAJASTHAN', weight: 2.1, cities: ['JAIPUR', 'JODHPUR'], postal: 302001 },
  { state: 'MADHYA PRADESH', weight: 2.0, cities: ['INDORE', 'BHOPAL'], postal: 452001 },
  { state: 'ODISHA', weight: 1.7, cities: ['BHUBANESWAR', 'CUTTACK'], postal: 751001 },
  { state: 'BIHAR', weight: 1.6, cities: ['PATNA', 'GAYA'], postal: 800001 },
  { state: 'PUNJAB', weight: 1.2, cities: ['LUDHIANA', 'AMRITSAR'], postal: 141001 },
  { state: 'ASSAM', weight: 1.2, cities: ['GUWAHATI'], postal: 781001 },
  { state: 'UTTARAKHAND', weight: 1.0, cities: ['DEHRADUN'], postal: 248001 },
  { state: 'JHARKHAND', weight: 0.9, cities: ['RANCHI', 'JAMSHEDPUR'], postal: 834001 },
  { state: 'GOA', weight: 0.5, cities: ['PANAJI', 'MARGAO'], postal: 403001 },
];

/** Share of lines (%) with each kind of promotion list; the rest have none. */
const PROMOTION_SHARE = 38;
/** Share of orders (%) placed by a business (B2B). */
export const B2B_SHARE = 0.7;
/** Share of orders (%) fulfilled by Amazon; the rest by the merchant (shipped with "Easy Ship"). */
export const AMAZON_FULFILMENT_SHARE = 69.5;
/** Share of lines (%) with no ship address (blank city, state, postal code, country). */
const NO_ADDRESS_SHARE = 0.03;

/** A generated report's options. */
export interface MarketplaceReportOptions {
  /** Orders to generate (an order has 1 to 3 lines, 1.1 on average). */
  orders: number;
  /** First order date, YYYY-MM-DD. */
  start: string;
  /** Days the orders spread over. */
  days: number;
  seed: number;
  /** Invalid lines to inject (each of a kind from BAD_MARKETPLACE_LINES), spread over the report. */
  badLines?: number;
  /**
   * Write the quirks of real exports: a UTF-8 BOM, CRLF line ends, the `index` first column, the trailing
   * `Unnamed: 22` column and "Sales Channel " with a trailing space (default true).
   */
  quirks?: boolean;
}

/** One generated line: its values by column, and whether it was made invalid (and how). */
export interface GeneratedLine {
  values: Record<MarketplaceColumn, string>;
  bad?: string;
}

/** The ways an injected line is invalid, each a rule of the adapter. */
export const BAD_MARKETPLACE_LINES: readonly {
  description: string;
  column: MarketplaceColumn;
  value: string;
}[] = [
  { description: 'Date not MM-DD-YY', column: 'Date', value: '2022-04-31' },
  { description: 'Fulfilment neither Amazon nor Merchant', column: 'Fulfilment', value: 'Dropship' },
  { description: 'Amount with three decimals', column: 'Amount', value: '399.999' },
  { description: 'Qty not a whole number', column: 'Qty', value: 'one' },
  { description: 'SKU missing', column: 'SKU', value: '' },
  { description: 'B2B neither True nor False', column: 'B2B', value: 'maybe' },
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** MM-DD-YY of a YYYY-MM-DD date, as the report writes it. */
export function toReportDate(date: string): string {
  return `${date.slice(5, 7)}-${date.slice(8, 10)}-${date.slice(2, 4)}`;
}

function promotionIds(rng: Rng): string {
  const u = rng() * 100;
  if (u >= PROMOTION_SHARE) return '';
  if (u < PROMOTION_SHARE * 0.7) return 'IN Core Free Shipping 2015/04/08 23-48-5-108';
  // The long lists of the real report, commas inside a quoted field.
  const n = 1 + Math.floor(rng() * 6);
  return Array.from(
    { length: n },
    (_, i) => `Amazon PLCC Free-Financing Universal Merchant AAT-${pad(1000 + i * 37, 4)}`,
  ).join(',');
}

/**
 * The lines of a report, order by order: each order has a date, a fulfilment (Amazon orders ship Expedited, the
 * merchant's Standard, as in the public data), an address, a B2B flag, and 1 to 3 lines of distinct SKUs, each with
 * its own status (a line of an order can be cancelled while another ships). Cancelled lines mostly have Qty 0 and
 * often no amount, as in the real report.
 */
export function generateMarketplaceLines(options: MarketplaceReportOptions): GeneratedLine[] {
  const rng = mulberry32(hashSeed('marketplace', options.seed, options.start, options.days, options.orders));
  const lines: GeneratedLine[] = [];
  for (let o = 0; o < options.orders; o++) {
    const date = addDays(options.start, Math.floor(rng() * options.days));
    const orderId = `${pad(171 + Math.floor(rng() * 236), 3)}-${pad(Math.floor(rng() * 1e7), 7)}-${pad(o % 1e7, 7)}`;
    const amazon = rng() * 100 < AMAZON_FULFILMENT_SHARE;
    const b2b = rng() * 100 < B2B_SHARE;
    const place = STATES[
      pickWeighted(
        rng,
        STATES.map((s) => s.weight),
      )
    ] as (typeof STATES)[number];
    const noAddress = rng() * 100 < NO_ADDRESS_SHARE;
    const city = place.cities[Math.floor(rng() * place.cities.length)] as string;
    const postal = String(place.postal + Math.floor(rng() * 90));
    const count = pickWeighted(rng, [91, 7, 2]) + 1;
    const used = new Set<string>();
    for (let l = 0; l < count; l++) {
      const category = CATEGORIES[
        pickWeighted(
          rng,
          CATEGORIES.map((c) => c.weight),
        )
      ] as (typeof CATEGORIES)[number];
      const style = `${category.style}${100 + Math.floor(rng() * 400)}`;
      const size = pick(rng, SIZES);
      const sku = `${style}-KR-${size}`;
      if (used.has(sku)) continue;
      used.add(sku);
      const status = pick(rng, STATUSES);
      const cancelled = status === 'Cancelled';
      const qty = cancelled ? (rng() < 0.9 ? 0 : 1) : pickWeighted(rng, [95, 4, 1]) + 1;
      const [low, high] = category.price;
      const unit = low + Math.floor(rng() * (high - low + 1)) + (rng() < 0.3 ? Math.floor(rng() * 100) / 100 : 0);
      const blankAmount = cancelled && rng() < 0.45;
      const amount = blankAmount
        ? ''
        : (Math.round(unit * Math.max(qty, 1) * 100) / 100).toFixed(2).replace(/\.00$/, '.0');
      lines.push({
        values: {
          'Order ID': orderId,
          Date: toReportDate(date),
          Status: status,
          Fulfilment: amazon ? 'Amazon' : 'Merchant',
          'Sales Channel': rng() < 0.999 ? 'Amazon.in' : 'Non-Amazon',
          'ship-service-level': amazon ? 'Expedited' : 'Standard',
          Style: style,
          SKU: sku,
          Category: category.name,
          Size: size,
          ASIN: `B0${pad(Math.floor(rng() * 1e8), 8)}`,
          'Courier Status': cancelled
            ? rng() < 0.6
              ? 'Cancelled'
              : ''
            : status.startsWith('Pending')
              ? 'Unshipped'
              : 'Shipped',
          Qty: String(qty),
          currency: blankAmount ? '' : 'INR',
          Amount: amount,
          'ship-city': noAddress ? '' : city,
          'ship-state': noAddress ? '' : place.state,
          'ship-postal-code': noAddress ? '' : `${postal}.0`,
          'ship-country': noAddress ? '' : 'IN',
          'promotion-ids': promotionIds(rng),
          B2B: b2b ? 'True' : 'False',
          'fulfilled-by': amazon ? '' : 'Easy Ship',
        },
      });
    }
  }
  const bad = Math.min(options.badLines ?? 0, lines.length);
  for (let i = 0; i < bad; i++) {
    const at = Math.floor(((i + 0.5) * lines.length) / bad);
    const kind = BAD_MARKETPLACE_LINES[i % BAD_MARKETPLACE_LINES.length] as (typeof BAD_MARKETPLACE_LINES)[number];
    const line = lines[at] as GeneratedLine;
    line.values[kind.column] = kind.value;
    line.bad = kind.description;
  }
  return lines;
}

/**
 * One CSV field, quoted when it holds the delimiter, a quote or a line break (RFC 4180). Hand-written because it is
 * these four lines; the reader side, where the hard cases are, is csv-parse.
 */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The report's CSV text: the header, then one record per line (with the quirks of real exports unless turned off). */
export function serializeMarketplaceReport(lines: readonly GeneratedLine[], quirks = true): string {
  const eol = quirks ? '\r\n' : '\n';
  const header = MARKETPLACE_COLUMNS.map((c) => (quirks && c === 'Sales Channel' ? 'Sales Channel ' : c));
  const out: string[] = [(quirks ? ['index', ...header, 'Unnamed: 22'] : header).map(csvField).join(',')];
  lines.forEach((line, i) => {
    const values = MARKETPLACE_COLUMNS.map((c) => csvField(line.values[c]));
    out.push((quirks ? [String(i), ...values, ''] : values).join(','));
  });
  return `${quirks ? '\uFEFF' : ''}${out.join(eol)}${eol}`;
}
