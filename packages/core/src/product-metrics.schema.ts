import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { BusinessDate, Money } from './store-summary.schema';

/** One product's figures over every row of every store of a day: what the top and bottom lists hold. */
export const RankedProduct = Type.Object({
  sku: Type.String(),
  /** The name most rows used for this SKU (ties: the first in code-point order); store-supplied text. */
  name: Type.String(),
  units: Type.Integer({ minimum: 0 }),
  gross_sales: Money,
  net_sales: Money,
  /** Distinct transactions (per store) that include the SKU. */
  transactions: Type.Integer({ minimum: 0 }),
  stores_count: Type.Integer({ minimum: 0 }),
  /** Store ids that sold the SKU, ascending. */
  stores: Type.Array(Type.String()),
});
export type RankedProduct = Static<typeof RankedProduct>;

/**
 * Every product of the day in compact form, so that trends can tell "not sold" (absent, 0) from "not listed". About 60
 * bytes a product in DynamoDB: a day's item stays under the 400 KB item limit up to roughly 6,000 SKUs.
 */
export const ProductSales = Type.Object({
  sku: Type.String(),
  units: Type.Integer({ minimum: 0 }),
  net_sales: Money,
});
export type ProductSales = Static<typeof ProductSales>;

/**
 * The products of one business date over every row of every store (`shared/DESIGN.md`, Metric definitions: not
 * per-store top lists); top and bottom N are cut at the end. The totals equal the sums over the rows. Stored under
 * `productMetricsKey`.
 */
export const ProductDayFigures = Type.Object({
  date: BusinessDate,
  /** Distinct SKUs sold that day. */
  total_products: Type.Integer({ minimum: 0 }),
  lines: Type.Integer({ minimum: 0 }),
  units: Type.Integer({ minimum: 0 }),
  gross_sales: Money,
  discounts: Money,
  net_sales: Money,
  /** The N best by net sales (then units, then SKU), best first. */
  top: Type.Array(RankedProduct),
  /** The N worst by net sales (then units, then SKU), worst first; overlaps `top` when there are fewer than 2N. */
  bottom: Type.Array(RankedProduct),
  /** Every product sold, ascending by SKU. */
  products: Type.Array(ProductSales),
});
export type ProductDayFigures = Static<typeof ProductDayFigures>;
