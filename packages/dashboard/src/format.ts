/**
 * Number and date formatting for people: money in the configured currency with two decimals, counts with grouping,
 * percentages with a sign where a change is meant. Intl does the locale work; nothing here rounds money itself.
 */
let moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const compactMoneyFormat = (currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
let compactFormat = compactMoneyFormat('USD');

/** Sets the currency every later {@link money} call uses. */
export function setCurrency(currency: string): void {
  moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  compactFormat = compactMoneyFormat(currency);
}

/** `$12,345.67`. */
export function money(value: number): string {
  return moneyFormat.format(value);
}

/** `$12.3K`, for chart axes. */
export function moneyCompact(value: number): string {
  return compactFormat.format(value);
}

/** `1,234`. */
export function count(value: number): string {
  return countFormat.format(value);
}

/** `1.25` (at most two decimals). */
export function decimal(value: number): string {
  return decimalFormat.format(value);
}

/** `12.5%`; a change gets its sign (`+12.5%`, `−3.0%`); null is `n/a` (no previous value to compare with). */
export function percent(value: number | null, options: { signed?: boolean } = {}): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const text = `${Math.abs(value).toFixed(1)}%`;
  if (!options.signed) return `${value < 0 ? '−' : ''}${text}`;
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** `Wed, 29 Oct 2025` for a business date (a calendar day: formatted in UTC so no time zone shifts it). */
export function longDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** `29 Oct` for chart labels. */
export function shortDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** `29 Oct 2025, 14:03` in the viewer's time zone, for file times. */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
}

/** `1.2 MB`. */
export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `net_sales` → `Net sales`. */
export function label(name: string): string {
  const text = name.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `₹12,345.67`: an amount in a currency of its own (a marketplace report's), not the configured one. */
export function moneyIn(value: number, currency: string | null): string {
  if (!currency) return money(value);
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      // Not an ISO 4217 code Intl knows: the configured currency's format.
      return money(value);
    }
    moneyFormats.set(currency, format);
  }
  return format.format(value);
}
