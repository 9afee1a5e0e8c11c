/** How numbers appear in insight sentences: the same text for the same number on every machine. */

/** 1234.5 → `1,234.50`. */
export function money(value: number): string {
  return group(Math.abs(value).toFixed(2), value < 0);
}

/** 1234 → `1,234`; fractions keep up to 2 decimals. */
export function count(value: number): string {
  const text = Number.isInteger(value) ? String(Math.abs(value)) : Math.abs(value).toFixed(2);
  return group(text, value < 0);
}

/** -59.96 → `60.0%` (the sign is said in words by the sentence). */
export function pct(value: number): string {
  return `${Math.abs(value).toFixed(1)}%`;
}

function group(text: string, negative: boolean): string {
  const [whole = '', fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
