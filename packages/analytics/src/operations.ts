import type { OperationName, OperationParameters } from '@tillflow/core';
import type { Dialect } from './dialect';
import { Binder, type BoundSql } from './sql';

/** How a result column's values are typed in JSON: engines return 64-bit integers and decimals as they like. */
export type ColumnKind = 'text' | 'integer' | 'number' | 'boolean';

/** One column of an operation's result. */
export interface ResultColumn {
  name: string;
  kind: ColumnKind;
}

/**
 * The table an operation reads: `sales`, the store line items of `processed/sales/date=<d>/store=<s>/`, or
 * `marketplace`, the marketplace order lines of `processed/marketplace/channel=<c>/date=<d>/` (a schema of their own,
 * packages/columnar/src/marketplace-parquet.ts). The engines load, or Athena's Glue tables name, the one it reads.
 */
export type LakeTable = 'sales' | 'marketplace';

/** One operation: the table it reads, its result's columns and the SQL (one text per dialect) that computes it. */
export interface OperationDefinition<N extends OperationName> {
  name: N;
  table: LakeTable;
  /** One line for the docs and the OpenAPI description. */
  summary: string;
  columns: readonly ResultColumn[];
  build(parameters: OperationParameters<N>, dialect: Dialect): BoundSql;
}

/** Columns by kind, in order: `cols('text', 'a', 'b')`. */
function cols(kind: ColumnKind, ...names: string[]): ResultColumn[] {
  return names.map((name) => ({ name, kind }));
}

/** Net of discount, in cents: the figure every "sales" column means (as in packages/core/src/metrics.ts). */
const NET = '(line_total_cents - discount_cents)';

/** A transaction: ids are unique within a store's business day (the store file's contract). */
const TRANSACTION = "(store_id || '/' || business_date || '/' || transaction_id)";

/** `x / y` as a DOUBLE, NULL when y is 0 (both engines divide integers as integers otherwise). */
function ratio(numerator: string, denominator: string): string {
  return `CAST(${numerator} AS DOUBLE) / NULLIF(${denominator}, 0)`;
}

/**
 * The lines of the range: the first CTE of every operation. `where` adds conditions that are not parameters (fixed
 * text of the operation).
 */
function lines(
  b: Binder,
  d: Dialect,
  p: { from: string; to: string; stores?: string[] | undefined },
  where: string[] = [],
): string {
  const conditions = [d.dateRange(b.text(p.from), b.text(p.to))];
  if (p.stores) conditions.push(d.storeIn(b.list(p.stores)));
  conditions.push(...where);
  return `lines AS (SELECT * FROM sales WHERE ${conditions.join(' AND ')})`;
}

/** The local hour (0–23) of a line: its instant shifted by the offset the store wrote. */
function localHour(d: Dialect): string {
  return `CAST(floor(CAST(${d.epochMillis('timestamp_ms')} + utc_offset_minutes * 60000 AS DOUBLE) / 3600000) AS BIGINT) % 24`;
}

const PERIOD_UNITS = { day: 'day', week: 'week', month: 'month' } as const;
const DIMENSIONS = { store: 'store_id', product: 'item_sku', payment_method: 'payment_method' } as const;

const revenueByPeriod: OperationDefinition<'revenue_by_period'> = {
  name: 'revenue_by_period',
  table: 'sales',
  summary:
    'Net and gross sales, transactions and units per period (day, ISO week, month) and per store, product or payment method, with the growth over the previous period of the same value (LAG) and the rank within the period (RANK).',
  columns: [
    ...cols('text', 'period_start', 'dimension_value'),
    ...cols('integer', 'net_sales_cents', 'gross_sales_cents', 'discount_cents', 'transactions', 'quantity'),
    ...cols('integer', 'previous_net_sales_cents'),
    ...cols('number', 'growth'),
    ...cols('integer', 'sales_rank'),
  ],
  build(p, d) {
    const b = new Binder();
    const base = lines(b, d, p);
    const unit = PERIOD_UNITS[p.period];
    const dimension = DIMENSIONS[p.dimension];
    const top = p.top === undefined ? '' : `WHERE sales_rank <= ${b.integer(p.top)}`;
    return b.done(`WITH ${base},
      grouped AS (
        SELECT CAST(CAST(date_trunc('${unit}', CAST(business_date AS DATE)) AS DATE) AS VARCHAR) AS period_start,
          ${dimension} AS dimension_value,
          SUM(${NET}) AS net_sales_cents, SUM(line_total_cents) AS gross_sales_cents,
          SUM(discount_cents) AS discount_cents, COUNT(DISTINCT ${TRANSACTION}) AS transactions,
          SUM(quantity) AS quantity
        FROM lines GROUP BY 1, 2),
      ranked AS (
        SELECT grouped.*,
          LAG(net_sales_cents) OVER (PARTITION BY dimension_value ORDER BY period_start) AS previous_net_sales_cents,
          RANK() OVER (PARTITION BY period_start ORDER BY net_sales_cents DESC) AS sales_rank
        FROM grouped)
      SELECT period_start, dimension_value, net_sales_cents, gross_sales_cents, discount_cents, transactions, quantity,
        previous_net_sales_cents,
        ${ratio('net_sales_cents - previous_net_sales_cents', 'previous_net_sales_cents')} AS growth, sales_rank
      FROM ranked ${top}
      ORDER BY period_start, sales_rank, dimension_value`);
  },
};

const RANKING_METRICS = {
  net_sales: 'net_sales_cents',
  transactions: 'transactions',
  items: 'items',
  average_basket: 'average_basket_cents',
} as const;

const storeRanking: OperationDefinition<'store_ranking'> = {
  name: 'store_ranking',
  table: 'sales',
  summary:
    "Every store's net sales, transactions, items, average basket, share of the company's net sales and days reported over the range, ranked (RANK) by one of them.",
  columns: [
    ...cols('integer', 'sales_rank'),
    ...cols('text', 'store_id'),
    ...cols('integer', 'net_sales_cents', 'transactions', 'items'),
    ...cols('number', 'average_basket_cents', 'share_of_net_sales'),
    ...cols('integer', 'days_reported'),
  ],
  build(p, d) {
    const b = new Binder();
    const base = lines(b, d, p);
    const metric = RANKING_METRICS[p.metric];
    return b.done(`WITH ${base},
      stores AS (
        SELECT store_id, SUM(${NET}) AS net_sales_cents, COUNT(DISTINCT ${TRANSACTION}) AS transactions,
          SUM(quantity) AS items, COUNT(DISTINCT business_date) AS days_reported
        FROM lines GROUP BY store_id),
      measured AS (
        SELECT stores.*, ${ratio('net_sales_cents', 'transactions')} AS average_basket_cents,
          ${ratio('net_sales_cents', 'SUM(net_sales_cents) OVER ()')} AS share_of_net_sales
        FROM stores)
      SELECT RANK() OVER (ORDER BY ${metric} DESC) AS sales_rank, store_id, net_sales_cents, transactions, items,
        average_basket_cents, share_of_net_sales, days_reported
      FROM measured ORDER BY sales_rank, store_id`);
  },
};

const productAffinity: OperationDefinition<'product_affinity'> = {
  name: 'product_affinity',
  table: 'sales',
  summary:
    'Pairs of products bought in the same transaction: the transactions holding each and both, support (share of all transactions holding both), confidence each way and lift; strongest lift first.',
  columns: [
    ...cols('text', 'sku_a', 'name_a', 'sku_b', 'name_b'),
    ...cols('integer', 'transactions_a', 'transactions_b', 'pair_transactions'),
    ...cols('number', 'support', 'confidence_a_to_b', 'confidence_b_to_a', 'lift'),
  ],
  build(p, d) {
    const b = new Binder();
    const base = lines(b, d, p);
    return b.done(`WITH ${base},
      baskets AS (SELECT DISTINCT ${TRANSACTION} AS basket, item_sku FROM lines),
      total AS (SELECT COUNT(DISTINCT basket) AS n FROM baskets),
      items AS (SELECT item_sku, COUNT(*) AS transactions FROM baskets GROUP BY item_sku),
      names AS (SELECT item_sku, MIN(item_name) AS item_name FROM lines GROUP BY item_sku),
      pairs AS (
        SELECT x.item_sku AS sku_a, y.item_sku AS sku_b, COUNT(*) AS pair_transactions
        FROM baskets x JOIN baskets y ON x.basket = y.basket AND x.item_sku < y.item_sku
        GROUP BY x.item_sku, y.item_sku),
      scored AS (
        SELECT pairs.sku_a, na.item_name AS name_a, pairs.sku_b, nb.item_name AS name_b,
          ia.transactions AS transactions_a, ib.transactions AS transactions_b, pairs.pair_transactions,
          ${ratio('pairs.pair_transactions', 'total.n')} AS support,
          ${ratio('pairs.pair_transactions', 'ia.transactions')} AS confidence_a_to_b,
          ${ratio('pairs.pair_transactions', 'ib.transactions')} AS confidence_b_to_a,
          ${ratio('pairs.pair_transactions * total.n', 'ia.transactions * ib.transactions')} AS lift
        FROM pairs
          JOIN items ia ON ia.item_sku = pairs.sku_a JOIN items ib ON ib.item_sku = pairs.sku_b
          JOIN names na ON na.item_sku = pairs.sku_a JOIN names nb ON nb.item_sku = pairs.sku_b
          CROSS JOIN total),
      kept AS (
        SELECT scored.*, ROW_NUMBER() OVER (ORDER BY lift DESC, pair_transactions DESC, sku_a, sku_b) AS position
        FROM scored
        WHERE support >= ${b.real(p.min_support)} AND pair_transactions >= ${b.integer(p.min_pair_transactions)})
      SELECT sku_a, name_a, sku_b, name_b, transactions_a, transactions_b, pair_transactions, support,
        confidence_a_to_b, confidence_b_to_a, lift
      FROM kept WHERE position <= ${b.integer(p.limit)} ORDER BY position`);
  },
};

/** `< 25.00`, `25.00 to < 100.00`, `>= 100.00`: a segment's label from its bounds in cents. */
export function segmentLabels(bounds: readonly number[]): string[] {
  const money = (cents: number) => (cents / 100).toFixed(2);
  return [
    ...bounds.map((upper, i) => (i === 0 ? `< ${money(upper)}` : `${money(bounds[i - 1] ?? 0)} to < ${money(upper)}`)),
    `>= ${money(bounds[bounds.length - 1] ?? 0)}`,
  ];
}

/** The label of the row over all customers in `customer_analysis`. */
export const ALL_CUSTOMERS = 'all';

const customerAnalysis: OperationDefinition<'customer_analysis'> = {
  name: 'customer_analysis',
  table: 'sales',
  summary:
    "Customers by what they spent over the range (segments between the given bounds) and all together: customers, repeat customers (more than one transaction) and repeat rate, transactions, net sales, average lifetime value (net sales per customer) and the segment's share of customers.",
  columns: [
    ...cols('text', 'segment'),
    ...cols('integer', 'customers', 'repeat_customers'),
    ...cols('number', 'repeat_rate'),
    ...cols('integer', 'transactions', 'net_sales_cents'),
    ...cols('number', 'average_lifetime_value_cents', 'share_of_customers'),
  ],
  build(p, d) {
    const b = new Binder();
    const base = lines(b, d, p, ['customer_id IS NOT NULL']);
    const bounds = [...p.segment_bounds_cents].sort((x, y) => x - y);
    const labels = segmentLabels(bounds);
    const cases = bounds.map((bound, i) => `WHEN spend_cents < ${b.integer(bound)} THEN ${i + 1}`).join(' ');
    const names = labels.map((label, i) => `WHEN ${i + 1} THEN ${b.text(label)}`).join(' ');
    const all = b.text(ALL_CUSTOMERS);
    return b.done(`WITH ${base},
      customers AS (
        SELECT customer_id, COUNT(DISTINCT ${TRANSACTION}) AS transactions, SUM(${NET}) AS spend_cents
        FROM lines GROUP BY customer_id),
      segmented AS (
        SELECT customers.*, CASE ${cases} ELSE ${bounds.length + 1} END AS segment_order FROM customers),
      figures AS (
        SELECT segment_order, COUNT(*) AS customers, SUM(CASE WHEN transactions > 1 THEN 1 ELSE 0 END) AS repeat_customers,
          SUM(transactions) AS transactions, SUM(spend_cents) AS net_sales_cents
        FROM segmented GROUP BY segment_order
        UNION ALL
        SELECT 0, COUNT(*), SUM(CASE WHEN transactions > 1 THEN 1 ELSE 0 END), SUM(transactions), SUM(spend_cents)
        FROM customers)
      SELECT CASE segment_order WHEN 0 THEN ${all} ${names} END AS segment, customers, repeat_customers,
        ${ratio('repeat_customers', 'customers')} AS repeat_rate, transactions, net_sales_cents,
        ${ratio('net_sales_cents', 'customers')} AS average_lifetime_value_cents,
        ${ratio('customers', '(SELECT COUNT(*) FROM customers)')} AS share_of_customers
      FROM figures WHERE customers > 0 ORDER BY segment_order`);
  },
};

const hourlyProfile: OperationDefinition<'hourly_profile'> = {
  name: 'hourly_profile',
  table: 'sales',
  summary:
    "Transactions, net sales and items by local hour of the day (the store's own offset), for the company or per store, with each hour's share of the transactions.",
  columns: [
    ...cols('text', 'scope'),
    ...cols('integer', 'hour', 'transactions', 'net_sales_cents', 'items'),
    ...cols('number', 'share_of_transactions'),
  ],
  build(p, d) {
    const b = new Binder();
    const base = lines(b, d, p);
    const scope = p.by === 'store' ? 'store_id' : b.text('company');
    return b.done(`WITH ${base},
      hours AS (
        SELECT ${scope} AS scope, ${localHour(d)} AS hour, COUNT(DISTINCT ${TRANSACTION}) AS transactions,
          SUM(${NET}) AS net_sales_cents, SUM(quantity) AS items
        FROM lines GROUP BY 1, 2)
      SELECT scope, hour, transactions, net_sales_cents, items,
        ${ratio('transactions', 'SUM(transactions) OVER (PARTITION BY scope)')} AS share_of_transactions
      FROM hours ORDER BY scope, hour`);
  },
};

/**
 * The marketplace lines of the range: `SELECT * FROM marketplace` of the dates (and channels). `channel` is a column
 * of every marketplace file and, in Athena's Glue table, the partition column of the same value.
 */
function marketplaceLines(b: Binder, d: Dialect, p: { from: string; to: string; channels?: string[] | undefined }) {
  const conditions = [d.dateRange(b.text(p.from), b.text(p.to))];
  if (p.channels) conditions.push(`channel IN ${b.list(p.channels)}`);
  return `lines AS (SELECT * FROM marketplace WHERE ${conditions.join(' AND ')})`;
}

const MARKETPLACE_GROUPS = {
  category: 'category',
  // Upper-cased, as the report's KPIs group them (exports spell a state both ways).
  ship_state: 'upper(ship_state)',
  status: 'status',
  fulfilment: 'fulfilment',
  channel: 'channel',
  b2b: "CASE WHEN b2b THEN 'B2B' ELSE 'B2C' END",
  month: 'substr(business_date, 1, 7)',
} as const;

const marketplaceSummary: OperationDefinition<'marketplace_summary'> = {
  name: 'marketplace_summary',
  table: 'marketplace',
  summary:
    "Marketplace order lines (the marketplace lake, processed/marketplace/) grouped by category, ship state, status, fulfilment, channel, B2B or month: records, sold and unsold records (by default a status class other than active: cancelled, returned, rejected, lost, damaged; or the statuses given), orders (distinct Order ID), units, revenue (the report's Amount), B2B revenue, average order value and share of revenue; unsold lines count in records only.",
  columns: [
    ...cols('text', 'group_value'),
    ...cols('integer', 'records', 'active_records', 'excluded_records', 'orders', 'quantity', 'revenue_cents'),
    ...cols('integer', 'b2b_revenue_cents'),
    ...cols('number', 'average_order_value_cents', 'share_of_revenue'),
  ],
  build(p, d) {
    const b = new Binder();
    const base = marketplaceLines(b, d, p);
    const unsold = p.excluded_statuses
      ? `lower(status) IN ${b.list(p.excluded_statuses.map((s) => s.toLowerCase()))}`
      : `status_class <> ${b.text('active')}`;
    const amount = 'COALESCE(amount_cents, 0)';
    return b.done(`WITH ${base},
      flagged AS (
        SELECT lines.*, CASE WHEN ${unsold} THEN 1 ELSE 0 END AS excluded,
          ${MARKETPLACE_GROUPS[p.group_by]} AS group_value
        FROM lines),
      grouped AS (
        SELECT group_value, COUNT(*) AS records, SUM(1 - excluded) AS active_records, SUM(excluded) AS excluded_records,
          COUNT(DISTINCT CASE WHEN excluded = 0 THEN order_id END) AS orders,
          SUM(CASE WHEN excluded = 0 THEN quantity ELSE 0 END) AS quantity,
          SUM(CASE WHEN excluded = 0 THEN ${amount} ELSE 0 END) AS revenue_cents,
          SUM(CASE WHEN excluded = 0 AND b2b THEN ${amount} ELSE 0 END) AS b2b_revenue_cents
        FROM flagged GROUP BY group_value)
      SELECT group_value, records, active_records, excluded_records, orders, quantity, revenue_cents, b2b_revenue_cents,
        ${ratio('revenue_cents', 'orders')} AS average_order_value_cents,
        ${ratio('revenue_cents', 'SUM(revenue_cents) OVER ()')} AS share_of_revenue
      FROM grouped ORDER BY revenue_cents DESC, group_value`);
  },
};

/** The kinds of finding `data_integrity` reports, in the order of its result. */
export const INTEGRITY_CHECKS = [
  'duplicate_across_partitions',
  'duplicate_within_partition',
  'partition_lines',
  'store_prefix_mismatch',
] as const;

const dataIntegrity: OperationDefinition<'data_integrity'> = {
  name: 'data_integrity',
  table: 'sales',
  summary:
    'Lines per partition (business date × store); transaction ids used for more than one sale within a partition (more than one instant or payment method); ids found in more than one partition; and store-file ids that do not start with the prefix and store id of their partition.',
  columns: [
    ...cols('text', 'check_name', 'business_date', 'store_id', 'transaction_id'),
    ...cols('integer', 'lines', 'partitions'),
  ],
  build(p, d) {
    const b = new Binder();
    const base = lines(b, d, p);
    const instant = d.epochMillis('timestamp_ms');
    const partition = "(business_date || '/' || store_id)";
    return b.done(`WITH ${base},
      per_partition AS (SELECT business_date, store_id, COUNT(*) AS lines FROM lines GROUP BY business_date, store_id),
      within AS (
        SELECT business_date, store_id, transaction_id, COUNT(*) AS lines FROM lines
        GROUP BY business_date, store_id, transaction_id
        HAVING COUNT(DISTINCT ${instant}) > 1 OR COUNT(DISTINCT payment_method) > 1),
      across AS (
        SELECT MIN(business_date) AS business_date, MIN(store_id) AS store_id, transaction_id, COUNT(*) AS lines,
          COUNT(DISTINCT ${partition}) AS partitions
        FROM lines GROUP BY transaction_id HAVING COUNT(DISTINCT ${partition}) > 1),
      mismatched AS (
        SELECT business_date, store_id, transaction_id, COUNT(*) AS lines FROM lines
        WHERE NOT starts_with(transaction_id, ${b.text(p.transaction_prefix)} || store_id || '-')
        GROUP BY business_date, store_id, transaction_id)
      SELECT 'partition_lines' AS check_name, business_date, store_id, CAST(NULL AS VARCHAR) AS transaction_id, lines,
        1 AS partitions FROM per_partition
      UNION ALL SELECT 'duplicate_within_partition', business_date, store_id, transaction_id, lines, 1 FROM within
      UNION ALL SELECT 'duplicate_across_partitions', business_date, store_id, transaction_id, lines, partitions FROM across
      UNION ALL SELECT 'store_prefix_mismatch', business_date, store_id, transaction_id, lines, 1 FROM mismatched
      ORDER BY check_name, business_date, store_id, transaction_id`);
  },
};

/** Every operation, by name: one definition each, for both dialects. */
export const OPERATIONS: { readonly [N in OperationName]: OperationDefinition<N> } = {
  revenue_by_period: revenueByPeriod,
  store_ranking: storeRanking,
  product_affinity: productAffinity,
  customer_analysis: customerAnalysis,
  hourly_profile: hourlyProfile,
  marketplace_summary: marketplaceSummary,
  data_integrity: dataIntegrity,
};
