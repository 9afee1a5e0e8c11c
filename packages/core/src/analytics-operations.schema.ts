import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { STORE_ID_RE } from './keys';
import { TRANSACTION_PREFIX } from './quality';
import { CHANNEL_RE } from './sources/marketplace';

/** The longest range an operation takes: a year (a leap year's 366 days), what one job function reads comfortably. */
export const MAX_RANGE_DAYS = 366;

/** A business date's shape; that it is a calendar date is checked after the schema (`validateRequest`). */
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** The parameters every operation takes: an inclusive business-date range and, optionally, some stores. */
const Range = {
  from: Type.String({ pattern: DATE_PATTERN, description: 'first business date, YYYY-MM-DD' }),
  to: Type.String({ pattern: DATE_PATTERN, description: 'last business date (inclusive), YYYY-MM-DD' }),
  stores: Type.Optional(
    Type.Array(Type.String({ pattern: STORE_ID_RE.source }), {
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
      description: 'only these stores (default: every store)',
    }),
  ),
};

/** `revenue_by_period`: net sales per period and per store, product or payment method, with growth and rank. */
export const RevenueByPeriodParameters = Type.Object(
  {
    ...Range,
    period: Type.Enum(['day', 'week', 'month'], { default: 'day' }),
    dimension: Type.Enum(['store', 'product', 'payment_method'], { default: 'store' }),
    top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'only the first N of each period' })),
  },
  { additionalProperties: false },
);

/** `store_ranking`: every store's totals over the range, ranked by one metric. */
export const StoreRankingParameters = Type.Object(
  {
    ...Range,
    metric: Type.Enum(['net_sales', 'transactions', 'items', 'average_basket'], { default: 'net_sales' }),
  },
  { additionalProperties: false },
);

/** `product_affinity`: pairs of products bought in the same transaction. */
export const ProductAffinityParameters = Type.Object(
  {
    ...Range,
    min_support: Type.Number({ minimum: 0, maximum: 1, default: 0.001 }),
    min_pair_transactions: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 2 }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

/** `customer_analysis`: repeat rate, spend segments and lifetime value of the customers seen in the range. */
export const CustomerAnalysisParameters = Type.Object(
  {
    ...Range,
    segment_bounds_cents: Type.Array(Type.Integer({ minimum: 1, maximum: 1_000_000_000 }), {
      minItems: 1,
      maxItems: 8,
      default: [2500, 10000],
      description: 'ascending spend bounds (cents) between the segments',
    }),
  },
  { additionalProperties: false },
);

/** `hourly_profile`: transactions and sales by local hour of the day. */
export const HourlyProfileParameters = Type.Object(
  { ...Range, by: Type.Enum(['company', 'store'], { default: 'company' }) },
  { additionalProperties: false },
);

/**
 * `marketplace_summary`: the marketplace lake's order lines (`processed/marketplace/channel=<c>/date=<d>/`, a table of
 * its own) grouped by one of their columns. By default a line counts as sold when its status class is `active`, the
 * rule the report's KPIs use (`statusClass`: cancelled, returned, returning, rejected, lost and damaged are not);
 * `excluded_statuses` names the unsold statuses instead, compared case-insensitively.
 */
export const MarketplaceSummaryParameters = Type.Object(
  {
    from: Range.from,
    to: Range.to,
    channels: Type.Optional(
      Type.Array(Type.String({ pattern: CHANNEL_RE.source }), {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        description: 'only these marketplace channels (default: every channel)',
      }),
    ),
    group_by: Type.Enum(['category', 'ship_state', 'status', 'fulfilment', 'channel', 'b2b', 'month'], {
      default: 'category',
    }),
    excluded_statuses: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        minItems: 1,
        maxItems: 50,
        description: 'the statuses that are not sold (default: those whose status class is not active)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** `data_integrity`: lines per partition, duplicate transaction ids within and across partitions, prefix mismatches. */
export const DataIntegrityParameters = Type.Object(
  {
    ...Range,
    transaction_prefix: Type.String({
      pattern: '^[A-Za-z0-9_]{1,16}-$',
      default: TRANSACTION_PREFIX,
      description: 'what a transaction id starts with before its store id (store files: TXN-<store>-…)',
    }),
  },
  { additionalProperties: false },
);

/** Every operation's parameter schema, by operation name: the fixed list of what a job may run. */
export const OPERATION_PARAMETERS = {
  revenue_by_period: RevenueByPeriodParameters,
  store_ranking: StoreRankingParameters,
  product_affinity: ProductAffinityParameters,
  customer_analysis: CustomerAnalysisParameters,
  hourly_profile: HourlyProfileParameters,
  marketplace_summary: MarketplaceSummaryParameters,
  data_integrity: DataIntegrityParameters,
} as const;

/** The name of an operation. */
export type OperationName = keyof typeof OPERATION_PARAMETERS;

/** The operation names, in the order the docs list them. */
export const OPERATION_NAMES = Object.keys(OPERATION_PARAMETERS) as OperationName[];

/** An operation's parameters once validated, defaults filled in. */
export type OperationParameters<N extends OperationName> = Static<(typeof OPERATION_PARAMETERS)[N]>;

/** A validated request: an operation and its parameters, a union discriminated by `operation`. */
export type AnalyticsRequest = {
  [N in OperationName]: { operation: N; parameters: OperationParameters<N> };
}[OperationName];
