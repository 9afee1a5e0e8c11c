import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** The five payment methods, in the order reports list them. */
export const PAYMENT_METHODS = ['cash', 'credit', 'debit', 'gift_card', 'mobile'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A payment method: one of {@link PAYMENT_METHODS} (a JSON Schema `enum`, one error when it is none of them). */
export const PaymentMethodSchema = Type.Enum(PAYMENT_METHODS);

/**
 * One line item of a store daily file (`shared/DESIGN.md`, Input formats 1): exactly these fields, no others.
 * Rules that span fields (line_total = unit_price × quantity, one payment method per transaction, the timestamp's
 * date) are checked in `store-file.ts`.
 */
export const StoreLineItem = Type.Object(
  {
    transaction_id: Type.String({ minLength: 1 }),
    transaction_timestamp: Type.String({ minLength: 1 }),
    item_sku: Type.String({ minLength: 1 }),
    item_name: Type.String({ minLength: 1 }),
    quantity: Type.Integer({ minimum: 1 }),
    unit_price: Type.Number({ minimum: 0 }),
    line_total: Type.Number({ minimum: 0 }),
    discount_amount: Type.Number({ minimum: 0 }),
    payment_method: PaymentMethodSchema,
    customer_id: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type StoreLineItem = Static<typeof StoreLineItem>;

/** The fields of a store line item, in file order. */
export const STORE_LINE_FIELDS = Object.keys(StoreLineItem.properties) as (keyof StoreLineItem)[];
