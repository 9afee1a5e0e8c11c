import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** The five payment methods, in the order reports list them. */
export const PAYMENT_METHODS = ['cash', 'credit', 'debit', 'gift_card', 'mobile'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A payment method: one of {@link PAYMENT_METHODS} (a JSON Schema `enum`, one error when it is none of them). */
export const PaymentMethodSchema = Type.Enum(PAYMENT_METHODS);

/**
 * Upper bounds of a line item's numbers. They keep every sum of a file exact in integer cents (a 2 GB file has at
 * most some 6M lines; 6M × 10,000,000.00 in cents stays below 2^53) and every value inside its Parquet column.
 */
export const LINE_ITEM_MAXIMUM = { quantity: 100_000, unit_price: 1_000_000, line_total: 10_000_000 } as const;

/**
 * The longest text each string field may hold, in UTF-16 code units (what JavaScript's `length` counts). A real
 * export's ids are some 20 characters; the bounds keep a line item, a store summary's top products and the Step
 * Functions state that carries them small whatever a file holds.
 */
export const MAX_TEXT_LENGTH = {
  transaction_id: 64,
  transaction_timestamp: 40,
  item_sku: 64,
  item_name: 256,
  customer_id: 64,
} as const;

/**
 * One line item of a store daily file (`shared/DESIGN.md`, Input formats 1): exactly these fields, no others.
 * Rules that span fields (line_total = unit_price × quantity, one payment method per transaction, the timestamp's
 * date), the text bounds of MAX_TEXT_LENGTH and well-formed Unicode are checked in `store-file.ts` (TypeBox's
 * maxLength counts graphemes, which costs a segmenter pass per string of every line).
 */
export const StoreLineItem = Type.Object(
  {
    transaction_id: Type.String({ minLength: 1 }),
    transaction_timestamp: Type.String({ minLength: 1 }),
    item_sku: Type.String({ minLength: 1 }),
    item_name: Type.String({ minLength: 1 }),
    quantity: Type.Integer({ minimum: 1, maximum: LINE_ITEM_MAXIMUM.quantity }),
    unit_price: Type.Number({ minimum: 0, maximum: LINE_ITEM_MAXIMUM.unit_price }),
    line_total: Type.Number({ minimum: 0, maximum: LINE_ITEM_MAXIMUM.line_total }),
    discount_amount: Type.Number({ minimum: 0, maximum: LINE_ITEM_MAXIMUM.line_total }),
    payment_method: PaymentMethodSchema,
    customer_id: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type StoreLineItem = Static<typeof StoreLineItem>;

/** The fields of a store line item, in file order. */
export const STORE_LINE_FIELDS = Object.keys(StoreLineItem.properties) as (keyof StoreLineItem)[];
