/**
 * Store files made up by a test, small enough to compute their figures by hand, and their upload the way a store
 * does it (`POST /uploads`, then a PUT to the presigned URL), for the API's handler tests.
 */

/** One line of a made-up store file: a SKU sold in a transaction. Money in decimal units, at most two decimals. */
export interface TestLine {
  transaction: number;
  sku: string;
  name?: string;
  quantity: number;
  unitPrice: number;
  discount?: number;
  payment?: 'cash' | 'credit' | 'debit' | 'gift_card' | 'mobile';
  /** Local hour of the transaction (default 10). */
  hour?: number;
}

/**
 * A store file's JSON for `lines`, every line valid (line_total = unit_price × quantity, one payment method per
 * transaction as given by its first line), unless `invalid` lists 0-based line indexes to break (quantity 0).
 */
export function testStoreFile(
  storeId: string,
  date: string,
  lines: readonly TestLine[],
  invalid: number[] = [],
): string {
  const records = lines.map((l, i) => ({
    transaction_id: `TXN-${storeId}-${date.replaceAll('-', '')}-${String(l.transaction).padStart(4, '0')}`,
    transaction_timestamp: `${date}T${String(l.hour ?? 10).padStart(2, '0')}:00:00Z`,
    item_sku: l.sku,
    item_name: l.name ?? `Product ${l.sku}`,
    quantity: invalid.includes(i) ? 0 : l.quantity,
    unit_price: l.unitPrice,
    line_total: Math.round(l.unitPrice * l.quantity * 100) / 100,
    discount_amount: l.discount ?? 0,
    payment_method: l.payment ?? 'cash',
    customer_id: `CUST-${String(l.transaction).padStart(5, '0')}`,
  }));
  return JSON.stringify(records, null, 1);
}

/** Uploads a store file through the API as a store does; throws with the API's answer when a step fails. */
export async function uploadThroughApi(
  apiBase: string,
  filename: string,
  body: string,
  apiKey?: string,
): Promise<string> {
  const answer = await fetch(`${apiBase}/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    body: JSON.stringify({ filename }),
  });
  if (!answer.ok) throw new Error(`POST /uploads answered ${answer.status}: ${await answer.text()}`);
  const { uploadUrl, headers, key } = (await answer.json()) as {
    uploadUrl: string;
    headers: Record<string, string>;
    key: string;
  };
  const put = await fetch(uploadUrl, { method: 'PUT', headers, body });
  if (!put.ok) throw new Error(`PUT ${key} answered ${put.status}`);
  return key;
}
