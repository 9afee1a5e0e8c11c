import { describe, expect, it } from 'vitest';
import { compileMapping, RejectedFileError } from '../src/index';

const mapping = {
  source: 'kassa',
  delimiter: ';',
  decimal_separator: ',',
  thousands_separator: '.',
  timestamp: { column: 'Datum', format: 'DD.MM.YY HH:mm', utc_offset: '-05:00' },
  columns: {
    transaction_id: 'Bon',
    item_sku: 'Art',
    item_name: 'Name',
    quantity: 'Menge',
    unit_price: 'Preis',
    line_total: 'Summe',
    payment_method: 'Zahlart',
  },
  payment_methods: { BAR: 'cash' },
  defaults: { customer_id: 'ANONYM' },
};
const record = {
  Bon: ' B-1 ',
  Datum: '29.10.25 23:05',
  Art: 'SKU-1',
  Name: 'Kaffee',
  Menge: '2',
  Preis: '1.234,56',
  Summe: '2.469,12',
  Zahlart: ' bar ',
};

describe('compileMapping', () => {
  it('turns a record into a store line item: separators, the date format with its offset, payment codes, defaults', () => {
    expect(compileMapping(mapping, 'kassa').toLineItem(record)).toEqual({
      transaction_id: 'B-1',
      transaction_timestamp: '2025-10-29T23:05:00-05:00',
      item_sku: 'SKU-1',
      item_name: 'Kaffee',
      quantity: 2,
      unit_price: 1234.56,
      line_total: 2469.12,
      discount_amount: 0,
      payment_method: 'cash',
      customer_id: 'ANONYM',
    });
  });

  it('gives the reasons of a record it cannot read, by the export column', () => {
    const reasons = compileMapping(mapping, 'kassa').toLineItem({
      ...record,
      Datum: '2025-10-29',
      Preis: '1,2,3',
      Zahlart: 'SCHECK',
    });
    expect(reasons).toEqual([
      { field: 'Datum', rule: 'timestamp', message: '"2025-10-29" is not a time of the form DD.MM.YY HH:mm' },
      { field: 'Preis', rule: 'type', message: '"1,2,3" is not a number (unit_price)' },
      { field: 'Zahlart', rule: 'enum', message: '"SCHECK" is not a payment code of the mapping' },
    ]);
  });

  it.each([
    ['a missing field', { ...mapping, columns: { ...mapping.columns, item_sku: undefined } }, /not valid: \/columns/],
    ['an unknown field', { ...mapping, extra: 1 }, /not valid/],
    ['the same separator twice', { ...mapping, thousands_separator: ',' }, /both decimal and thousands separator/],
    [
      'a format token twice',
      { ...mapping, timestamp: { ...mapping.timestamp, format: 'DD.MM.YY HH:mm mm' } },
      /has mm twice/,
    ],
    ['a payment code to an unknown method', { ...mapping, payment_methods: { BAR: 'cheque' } }, /not valid/],
  ])('refuses %s, naming what is wrong', (_what, value, message) => {
    expect(() => compileMapping(JSON.parse(JSON.stringify(value)), 'kassa')).toThrow(RejectedFileError);
    expect(() => compileMapping(JSON.parse(JSON.stringify(value)), 'kassa')).toThrow(message);
  });
});
