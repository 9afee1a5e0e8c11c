import { describe, expect, it } from 'vitest';
import { dateInTimeZone, daysInMonth, parseTimestamp } from '../src/dates';
import { ValidationError } from '../src/errors';
import {
  analysisKey,
  companyMetricsKey,
  dateSortKey,
  parseStoreFileName,
  parseUploadKey,
  processedKey,
  rejectedKey,
  storeSummaryKey,
  unattributedRejectedKey,
  uploadKey,
} from '../src/keys';
import { toCents } from '../src/money';

describe('keys', () => {
  it('reads the store and date from a store file name', () => {
    expect(parseStoreFileName('store_0001_2025-10-29.json')).toEqual({ storeId: '0001', date: '2025-10-29' });
    expect(parseUploadKey('uploads/store_0011_2025-11-02.json')).toEqual({ storeId: '0011', date: '2025-11-02' });
  });

  it.each([
    'store_1_2025-10-29.json',
    'store_0001_2025-13-01.json',
    'store_0001_2025-02-29.json',
    'store_0001_2025-10-29.csv',
    '../store_0001_2025-10-29.json',
  ])('refuses the misnamed file %s', (name) => {
    expect(() => parseStoreFileName(name)).toThrow(ValidationError);
  });

  it('refuses a key outside uploads/ or in a sub-folder of it', () => {
    expect(() => parseUploadKey('processed/store_0001_2025-10-29.json')).toThrow(ValidationError);
    expect(() => parseUploadKey('uploads/x/store_0001_2025-10-29.json')).toThrow(ValidationError);
  });

  it('builds the layout of shared/DESIGN.md', () => {
    const sd = { storeId: '0003', date: '2025-10-29' };
    expect(uploadKey(sd)).toBe('uploads/store_0003_2025-10-29.json');
    expect(processedKey(sd)).toBe('processed/sales/date=2025-10-29/store=0003/store_0003_2025-10-29.parquet');
    expect(rejectedKey(sd)).toBe('rejected/date=2025-10-29/store=0003/store_0003_2025-10-29.rejected.json');
    expect(unattributedRejectedKey('uploads/bad name.json')).toBe('rejected/unattributed/bad_name.json.rejected.json');
    expect(storeSummaryKey(sd)).toEqual({
      PK: 'STORE#0003',
      SK: 'DATE#2025-10-29',
      GSI1PK: 'DATE#2025-10-29',
      GSI1SK: 'STORE#0003',
    });
    expect(companyMetricsKey('2025-10-29')).toEqual({
      PK: 'COMPANY',
      SK: 'DATE#2025-10-29',
      GSI1PK: 'DATE#2025-10-29',
      GSI1SK: 'COMPANY',
    });
    expect(dateSortKey('2025-10-29')).toBe('DATE#2025-10-29');
  });

  it('keeps each revision of a day in its own folder under analysis/', () => {
    expect(analysisKey('2025-10-29', 2, 'facts.json')).toBe('analysis/date=2025-10-29/revision=2/facts.json');
    expect(analysisKey('2025-10-29', 3, 'facts.json')).not.toBe(analysisKey('2025-10-29', 2, 'facts.json'));
  });
});

describe('dates and money', () => {
  it('reads a timestamp with its offset: local date and hour as written, the instant in UTC', () => {
    const ts = parseTimestamp('2025-10-29T23:30:00.250+05:30');
    expect(ts).toMatchObject({ localDate: '2025-10-29', localHour: 23, offsetMinutes: 330 });
    expect(ts?.epochMs).toBe(Date.UTC(2025, 9, 29, 18, 0, 0, 250));
  });

  it('gives the calendar date in a time zone', () => {
    const at = new Date('2025-10-29T02:00:00Z');
    expect(dateInTimeZone(at, 'America/New_York')).toBe('2025-10-28');
    expect(dateInTimeZone(at, 'Europe/Paris')).toBe('2025-10-29');
  });

  it('knows the length of every month, leap years included', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2025, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect([2024, 2000, 1900].map((y) => daysInMonth(y, 2))).toEqual([29, 29, 28]);
  });

  it('takes two decimals and refuses a third', () => {
    expect(toCents(0.29)).toBe(29);
    expect(toCents(1234.56)).toBe(123456);
    expect(toCents(1.005)).toBeUndefined();
  });
});
