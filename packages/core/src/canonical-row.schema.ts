import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { PaymentMethodSchema } from './store-file.schema';
import { BusinessDate } from './store-summary.schema';

/**
 * The canonical line-item row: what every source adapter produces and everything after it (Parquet, metrics) reads.
 * Money is integer cents; the timestamp is an instant plus the offset the store wrote, so the local date and hour are
 * recoverable exactly.
 */
export const CanonicalRow = Type.Object({
  store_id: Type.String({ minLength: 1 }),
  business_date: BusinessDate,
  transaction_id: Type.String({ minLength: 1 }),
  /** Milliseconds since the epoch, UTC. */
  timestamp_ms: Type.Integer(),
  /** Offset written in the source timestamp, minutes east of UTC. */
  utc_offset_minutes: Type.Integer({ minimum: -14 * 60, maximum: 14 * 60 }),
  item_sku: Type.String({ minLength: 1 }),
  item_name: Type.String({ minLength: 1 }),
  quantity: Type.Integer({ minimum: 1 }),
  unit_price_cents: Type.Integer({ minimum: 0 }),
  line_total_cents: Type.Integer({ minimum: 0 }),
  discount_cents: Type.Integer({ minimum: 0 }),
  payment_method: PaymentMethodSchema,
  customer_id: Type.String({ minLength: 1 }),
});
export type CanonicalRow = Static<typeof CanonicalRow>;
