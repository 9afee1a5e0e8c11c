import { describe, expect, it } from 'vitest';
import { credentialHeader } from '../src/api';
import { bytes, count, label, longDate, money, percent, setCurrency } from '../src/format';

describe('formatting for people', () => {
  it('shows money with two decimals and grouping, in the configured currency', () => {
    expect(money(50157.44)).toBe('$50,157.44');
    expect(money(0.5)).toBe('$0.50');
    setCurrency('EUR');
    expect(money(1234)).toBe('€1,234.00');
    setCurrency('USD');
  });

  it('signs a change and says n/a when there is nothing to compare with', () => {
    expect(percent(12.345, { signed: true })).toBe('+12.3%');
    expect(percent(-3, { signed: true })).toBe('−3.0%');
    expect(percent(null, { signed: true })).toBe('n/a');
    expect(percent(40.1)).toBe('40.1%');
  });

  it('shows a business date as the calendar day whatever the time zone', () => {
    expect(longDate('2025-11-02')).toBe('Sun, 2 Nov 2025');
    expect(count(15510)).toBe('15,510');
    expect(bytes(473 * 1024)).toBe('473.0 KB');
    expect(label('net_sales_ma7')).toBe('Net sales ma7');
  });
});

describe('credentialHeader', () => {
  it('sends a JWT as a bearer token and anything else as the local API key', () => {
    expect(credentialHeader('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')).toEqual({
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    });
    expect(credentialHeader('local-secret')).toEqual({ 'x-api-key': 'local-secret' });
    expect(credentialHeader('')).toEqual({});
  });
});
