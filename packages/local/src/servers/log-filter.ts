/**
 * CloudWatch Logs filter patterns, the part an operator types into `aws logs filter-log-events --filter-pattern` or
 * `aws logs tail --filter-pattern`: terms (`ERROR`), quoted phrases (`"Task timed out"`), `?a ?b` for either and
 * `-term` for none (all case-sensitive, as in CloudWatch Logs), and JSON patterns on a message that is a JSON
 * object: `{ $.level = "ERROR" }`, `{ $.count > 10 && $.store != "0001" }` (`=`, `!=`, `<`, `<=`, `>`, `>=`; `*` as
 * a wildcard in string values; `&&` binding tighter than `||`; no parentheses). Space-delimited column patterns
 * (`[ip, user, ...]`) and regular expressions are not supported: they fail as an invalid pattern.
 */

/** A filter pattern that cannot be read, with the reason (the Logs API answers InvalidParameterException). */
export class FilterPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPatternError';
  }
}

/** A message test compiled from a filter pattern; an empty pattern matches every message. */
export type MessageFilter = (message: string) => boolean;

/** Compiles a filter pattern (see the file's comment for what is understood); throws {@link FilterPatternError}. */
export function compileFilterPattern(pattern: string | undefined): MessageFilter {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return compileJsonPattern(text);
  if (text.startsWith('[') || text.startsWith('%')) {
    throw new FilterPatternError('the local Logs API supports terms, quoted phrases and JSON patterns only');
  }
  return compileTermPattern(text);
}

function compileTermPattern(text: string): MessageFilter {
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  const term = /\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))/y;
  let at = 0;
  while (at < text.length) {
    term.lastIndex = at;
    const m = term.exec(text);
    if (!m) throw new FilterPatternError(`Invalid character(s) in term at position ${at}: ${text.slice(at)}`);
    at = term.lastIndex;
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    if (value === '') continue;
    (m[1] === '?' ? any : m[1] === '-' ? none : all).push(value);
  }
  return (message) =>
    all.every((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t))) &&
    !none.some((t) => message.includes(t));
}

type Comparison = (root: unknown) => boolean;

function compileJsonPattern(text: string): MessageFilter {
  if (!text.endsWith('}')) throw new FilterPatternError('a JSON filter pattern ends with }');
  const body = text.slice(1, -1).trim();
  // || of && of comparisons; splitting outside quoted strings.
  const alternatives = splitOutsideQuotes(body, '||').map((conjunction) =>
    splitOutsideQuotes(conjunction, '&&').map((c) => compileComparison(c.trim())),
  );
  return (message) => {
    let root: unknown;
    try {
      root = JSON.parse(message);
    } catch {
      return false;
    }
    if (root === null || typeof root !== 'object') return false;
    return alternatives.some((conjunction) => conjunction.every((test) => test(root)));
  };
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function compileComparison(text: string): Comparison {
  const m = /^(\$(?:\.[A-Za-z_][\w-]*|\[\d+\])+)\s*(=|!=|<=|>=|<|>)\s*(.+)$/.exec(text);
  if (!m) throw new FilterPatternError(`Invalid JSON filter expression: ${text}`);
  const path = [...m[1]!.matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]/g)].map((p) => p[1] ?? Number(p[2]));
  const operator = m[2]!;
  const raw = m[3]!.trim();
  const read = (root: unknown): unknown => {
    let value: unknown = root;
    for (const key of path) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string | number, unknown>)[key];
    }
    return value;
  };
  const number = Number(raw);
  if (raw !== '' && !raw.startsWith('"') && Number.isFinite(number)) {
    return (root) => {
      const value = read(root);
      if (typeof value !== 'number') return operator === '!=' && value !== undefined;
      switch (operator) {
        case '=':
          return value === number;
        case '!=':
          return value !== number;
        case '<':
          return value < number;
        case '<=':
          return value <= number;
        case '>':
          return value > number;
        default:
          return value >= number;
      }
    };
  }
  if (operator !== '=' && operator !== '!=') {
    throw new FilterPatternError(`${operator} compares numbers only: ${text}`);
  }
  if (raw === 'true' || raw === 'false' || raw === 'NULL' || raw === 'null') {
    const expected = raw === 'true' ? true : raw === 'false' ? false : null;
    return (root) => (read(root) === expected) === (operator === '=');
  }
  const literal = raw.startsWith('"') ? unquote(raw, text) : raw;
  const wildcard = new RegExp(`^${literal.split('*').map(escapeRegExp).join('.*')}$`, 's');
  return (root) => {
    const value = read(root);
    if (value === undefined) return false;
    const matches = typeof value === 'string' && wildcard.test(value);
    return operator === '=' ? matches : !matches;
  };
}

function unquote(raw: string, expression: string): string {
  if (raw.length < 2 || !raw.endsWith('"')) throw new FilterPatternError(`Unterminated string in ${expression}`);
  return raw.slice(1, -1).replace(/\\(.)/g, '$1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
