import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** A business date, `YYYY-MM-DD` (the store's local calendar day). */
export const BusinessDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** A decimal amount of money with at most two decimals (cents are exact in a DynamoDB number). */
export const Money = Type.Number({ description: 'a decimal amount with at most two decimals' });

export const PaymentFigures = Type.Object({ net_sales: Money, transactions: Type.Integer({ minimum: 0 }) });

export const PaymentMix = Type.Object({
  cash: PaymentFigures,
  credit: PaymentFigures,
  debit: PaymentFigures,
  gift_card: PaymentFigures,
  mobile: PaymentFigures,
});
export type PaymentMix = Static<typeof PaymentMix>;

export const ProductFigures = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  units: Type.Integer({ minimum: 0 }),
  net_sales: Money,
});
export type ProductFigures = Static<typeof ProductFigures>;

/**
 * The sales figures a store-day and the company's day share (`shared/DESIGN.md`, Metric definitions): one definition,
 * so that company figures are the same figures summed over stores.
 */
export const SalesFigures = Type.Object({
  gross_sales: Money,
  discounts: Money,
  net_sales: Money,
  transactions: Type.Integer({ minimum: 0 }),
  items: Type.Integer({ minimum: 0 }),
  lines: Type.Integer({ minimum: 0 }),
  /** net_sales / transactions, recomputed from the sums (never an average of averages). */
  avg_basket: Money,
  /** items / transactions, four decimals. */
  units_per_transaction: Type.Number({ minimum: 0 }),
  payment_mix: PaymentMix,
  /** Net sales per local hour 0–23. */
  hourly: Type.Array(Money, { minItems: 24, maxItems: 24 }),
});
export type SalesFigures = Static<typeof SalesFigures>;

/** The figures of one store-day (`shared/DESIGN.md`, Metric definitions), computed from its accepted rows. */
export const StoreDayFigures = Type.Object({
  store_id: Type.String(),
  date: Type.String(),
  ...SalesFigures.properties,
  top_products: Type.Array(ProductFigures, { maxItems: 10 }),
});
export type StoreDayFigures = Static<typeof StoreDayFigures>;

/** A store summary as stored in DynamoDB and returned by the API: the figures plus where they came from. */
export const StoreSummary = Type.Object({
  ...StoreDayFigures.properties,
  source_key: Type.String(),
  source_etag: Type.String(),
  rejected_lines: Type.Integer({ minimum: 0 }),
  updated_at: Type.String(),
});
export type StoreSummary = Static<typeof StoreSummary>;
