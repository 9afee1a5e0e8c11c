import type { CompanyDayFigures, StoreStanding } from './company-metrics.schema';
import { ValidationError } from './errors';
import { divideCents, fromCents, toCents } from './money';
import { PAYMENT_METHODS, type PaymentMethod } from './store-file.schema';
import type { PaymentMix, StoreDayFigures } from './store-summary.schema';

interface Standing {
  store_id: string;
  cents: number;
}

/**
 * The company's figures for `date` from its stores' figures (`shared/DESIGN.md`, Metric definitions).
 *
 * Every amount is summed in integer cents, so the company's figures equal the sum of the stores' exactly and do not
 * depend on the order of `stores`; the ratios (average basket, units per transaction) are recomputed from the sums,
 * never averaged. Stores outside `expectedStores` are still counted (their sales are real) and listed as unexpected.
 *
 * Throws a ValidationError when a store's figures are for another date, a store appears twice (its sales would be
 * counted twice), or an amount has more than two decimals.
 */
export function summarizeCompany(
  date: string,
  stores: readonly StoreDayFigures[],
  expectedStores: readonly string[],
): CompanyDayFigures {
  let grossCents = 0;
  let discountCents = 0;
  let netCents = 0;
  let transactions = 0;
  let items = 0;
  let lines = 0;
  const paymentCents = new Map<PaymentMethod, number>(PAYMENT_METHODS.map((m) => [m, 0]));
  const paymentTx = new Map<PaymentMethod, number>(PAYMENT_METHODS.map((m) => [m, 0]));
  const hourlyCents = new Array<number>(24).fill(0);
  const standings: Standing[] = [];
  const seen = new Set<string>();

  for (const store of stores) {
    if (store.date !== date) {
      throw new ValidationError(`figures of store ${store.store_id} are for ${store.date}, not ${date}`);
    }
    if (seen.has(store.store_id)) throw new ValidationError(`store ${store.store_id} appears twice for ${date}`);
    seen.add(store.store_id);
    const cents = (value: number, field: string) => centsOf(value, `${field} of store ${store.store_id}`);

    const storeNet = cents(store.net_sales, 'net_sales');
    grossCents += cents(store.gross_sales, 'gross_sales');
    discountCents += cents(store.discounts, 'discounts');
    netCents += storeNet;
    transactions += store.transactions;
    items += store.items;
    lines += store.lines;
    for (const m of PAYMENT_METHODS) {
      const figures = store.payment_mix[m];
      paymentCents.set(m, (paymentCents.get(m) ?? 0) + cents(figures.net_sales, `payment_mix.${m}.net_sales`));
      paymentTx.set(m, (paymentTx.get(m) ?? 0) + figures.transactions);
    }
    for (let h = 0; h < 24; h++) hourlyCents[h] = (hourlyCents[h] ?? 0) + cents(store.hourly[h] ?? 0, `hourly[${h}]`);
    standings.push({ store_id: store.store_id, cents: storeNet });
  }

  const paymentMix = {} as PaymentMix;
  for (const m of PAYMENT_METHODS) {
    paymentMix[m] = { net_sales: fromCents(paymentCents.get(m) ?? 0), transactions: paymentTx.get(m) ?? 0 };
  }
  const expected = [...new Set(expectedStores)].sort();
  const reported = [...seen].sort();
  const expectedSet = new Set(expected);
  return {
    date,
    gross_sales: fromCents(grossCents),
    discounts: fromCents(discountCents),
    net_sales: fromCents(netCents),
    transactions,
    items,
    lines,
    avg_basket: fromCents(divideCents(netCents, transactions)),
    units_per_transaction: transactions === 0 ? 0 : Math.round((items / transactions) * 10_000) / 10_000,
    payment_mix: paymentMix,
    hourly: hourlyCents.map(fromCents),
    best_store: pick(standings, (a, b) => b.cents - a.cents),
    worst_store: pick(standings, (a, b) => a.cents - b.cents),
    stores_reported: reported.length,
    stores_expected: expected.length,
    reported_stores: reported,
    missing_stores: expected.filter((id) => !seen.has(id)),
    unexpected_stores: reported.filter((id) => !expectedSet.has(id)),
  };
}

/** The first store under `order`, ties to the lowest store id, so the choice does not depend on input order. */
function pick(standings: readonly Standing[], order: (a: Standing, b: Standing) => number): StoreStanding | null {
  let chosen: Standing | undefined;
  for (const s of standings) {
    if (!chosen) chosen = s;
    else {
      const c = order(s, chosen);
      if (c < 0 || (c === 0 && s.store_id < chosen.store_id)) chosen = s;
    }
  }
  return chosen ? { store_id: chosen.store_id, net_sales: fromCents(chosen.cents) } : null;
}

function centsOf(value: number, what: string): number {
  const cents = toCents(value);
  if (cents === undefined) throw new ValidationError(`${what} is ${value}, which is not an amount with two decimals`);
  return cents;
}
