import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import * as Type from 'typebox/type';
import type { RejectReason } from '../store-file';
import { RejectedFileError } from '../store-file';
import { PAYMENT_METHODS, PaymentMethodSchema } from '../store-file.schema';

/**
 * A declared column mapping for another POS system's CSV export (`docs/operations.md`, "A mapped POS export"): which
 * of its columns hold each field of a store line item, how it writes dates, times and numbers, and what its payment
 * method codes mean. One mapping per source, kept in the bucket as `mappings/<source>.json`, so that a chain
 * onboards a new export by writing this file, not code. A mapped record becomes a store line item and is then
 * validated by exactly the rules of a store file (validateRecords).
 */
const ColumnName = Type.String({ minLength: 1, maxLength: 200 });
export const PosMapping = Type.Object(
  {
    /** The `<source>` of `uploads/<source>/…`; must match the folder the export is uploaded to. */
    source: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    /** The field separator (default `,`). */
    delimiter: Type.Optional(Type.Union([Type.Literal(','), Type.Literal(';'), Type.Literal('\t'), Type.Literal('|')])),
    /** The decimal separator of amounts and quantities (default `.`): `1.234,56` has `,`. */
    decimal_separator: Type.Optional(Type.Union([Type.Literal('.'), Type.Literal(',')])),
    /** The thousands separator, if the export writes one (`1.234,56` has `.`). */
    thousands_separator: Type.Optional(
      Type.Union([Type.Literal('.'), Type.Literal(','), Type.Literal(' '), Type.Literal("'")]),
    ),
    /**
     * When the sale happened: `column` (and `time_column`, joined to it with a space when the time is apart) read
     * with `format`, whose tokens are YYYY, YY, MM, DD, HH, mm, ss (anything else is literal), at the fixed
     * `utc_offset` of the stores (`+01:00`, `Z`).
     */
    timestamp: Type.Object(
      {
        column: ColumnName,
        time_column: Type.Optional(ColumnName),
        format: Type.String({ minLength: 1, maxLength: 64 }),
        utc_offset: Type.String({ pattern: '^(Z|[+-](0\\d|1[0-4]):[0-5]\\d)$' }),
      },
      { additionalProperties: false },
    ),
    /** The export's column for each field of a store line item; discount and customer may be absent (see defaults). */
    columns: Type.Object(
      {
        transaction_id: ColumnName,
        item_sku: ColumnName,
        item_name: ColumnName,
        quantity: ColumnName,
        unit_price: ColumnName,
        line_total: ColumnName,
        payment_method: ColumnName,
        discount_amount: Type.Optional(ColumnName),
        customer_id: Type.Optional(ColumnName),
      },
      { additionalProperties: false },
    ),
    /** The export's payment codes (matched ignoring case and surrounding space) and the method each means. */
    payment_methods: Type.Optional(Type.Record(Type.String({ minLength: 1 }), PaymentMethodSchema)),
    /** Values for a discount or customer column the export lacks, or leaves blank on a line. */
    defaults: Type.Optional(
      Type.Object(
        {
          discount_amount: Type.Optional(Type.Number({ minimum: 0 })),
          customer_id: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PosMapping = Static<typeof PosMapping>;

const checkMapping = Compile(PosMapping);

/** A checked mapping, ready to convert records: the column positions come from each file's header. */
export interface CompiledMapping {
  readonly mapping: PosMapping;
  readonly delimiter: string;
  /** Record (the export's header → value) → a store line item (still to be validated), or the reasons it is not. */
  toLineItem(record: Readonly<Record<string, string>>): Record<string, unknown> | RejectReason[];
  /** The columns the mapping reads, to check a file's header against. */
  readonly columnsRead: readonly string[];
}

const TOKEN_RE = /YYYY|YY|MM|DD|HH|mm|ss/g;

/** `format` (YYYY-MM-DD tokens, the rest literal) as a regular expression with one named group per token. */
function formatRegex(format: string): RegExp {
  let source = '';
  let last = 0;
  const seen = new Set<string>();
  for (const m of format.matchAll(TOKEN_RE)) {
    const token = m[0];
    if (seen.has(token)) throw new RejectedFileError(`the timestamp format "${format}" has ${token} twice`);
    seen.add(token);
    source += format.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    source += `(?<${token === 'mm' ? 'min' : token}>\\d{${token === 'YYYY' ? 4 : 2}})`;
    last = (m.index ?? 0) + token.length;
  }
  source += format.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (
    !(seen.has('YYYY') || seen.has('YY')) ||
    !seen.has('MM') ||
    !seen.has('DD') ||
    !seen.has('HH') ||
    !seen.has('mm')
  ) {
    throw new RejectedFileError(`the timestamp format "${format}" needs YYYY (or YY), MM, DD, HH and mm`);
  }
  return new RegExp(`^${source}$`);
}

/**
 * Checks a mapping file's content (already parsed JSON) for `source` and compiles it. Throws RejectedFileError
 * saying what is wrong: an export whose mapping is unusable cannot be read, so it is rejected whole with that reason.
 */
export function compileMapping(value: unknown, source: string): CompiledMapping {
  if (!checkMapping.Check(value)) {
    const error = checkMapping.Errors(value)[0];
    const where = error?.instancePath || '(mapping)';
    throw new RejectedFileError(`the mapping for ${source} is not valid: ${where} ${error?.message ?? 'is not valid'}`);
  }
  const mapping = value;
  if (mapping.source !== source) {
    throw new RejectedFileError(`the mapping for ${source} declares source "${mapping.source}"`);
  }
  const decimal = mapping.decimal_separator ?? '.';
  const thousands = mapping.thousands_separator;
  if (thousands === decimal) {
    throw new RejectedFileError(`the mapping for ${source} uses "${decimal}" as both decimal and thousands separator`);
  }
  const timestampRe = formatRegex(mapping.timestamp.format);
  const offset = mapping.timestamp.utc_offset;
  const payments = new Map<string, string>(
    Object.entries(mapping.payment_methods ?? {}).map(([code, method]) => [code.trim().toLowerCase(), method]),
  );
  const canonicalMethods: ReadonlySet<string> = new Set(PAYMENT_METHODS);
  const cols = mapping.columns;
  const defaults = mapping.defaults ?? {};

  /** `1.234,56` → 1234.56 with this export's separators; undefined when it is not such a number. */
  const number = (text: string): number | undefined => {
    let t = text.trim();
    if (thousands !== undefined) t = t.split(thousands).join('');
    if (decimal === ',') t = t.replace(',', '.');
    return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
  };

  const toLineItem = (record: Readonly<Record<string, string>>): Record<string, unknown> | RejectReason[] => {
    const reasons: RejectReason[] = [];
    const text = (column: string) => (record[column] ?? '').trim();
    const numeric = (field: string, column: string): number | undefined => {
      const raw = text(column);
      const n = number(raw);
      if (n === undefined)
        reasons.push({ field: column, rule: 'type', message: `"${raw}" is not a number (${field})` });
      return n;
    };
    const rawTime = mapping.timestamp.time_column
      ? `${text(mapping.timestamp.column)} ${text(mapping.timestamp.time_column)}`
      : text(mapping.timestamp.column);
    const t = timestampRe.exec(rawTime)?.groups;
    let timestamp: string | undefined;
    if (t === undefined) {
      reasons.push({
        field: mapping.timestamp.column,
        rule: 'timestamp',
        message: `"${rawTime}" is not a time of the form ${mapping.timestamp.format}`,
      });
    } else {
      const year = t.YYYY ?? `20${t.YY}`;
      timestamp = `${year}-${t.MM}-${t.DD}T${t.HH}:${t.min}:${t.ss ?? '00'}${offset}`;
    }
    const quantity = numeric('quantity', cols.quantity);
    const unitPrice = numeric('unit_price', cols.unit_price);
    const lineTotal = numeric('line_total', cols.line_total);
    let discount: number | undefined = defaults.discount_amount ?? 0;
    if (cols.discount_amount !== undefined && text(cols.discount_amount) !== '') {
      discount = numeric('discount_amount', cols.discount_amount);
    }
    const customer = (cols.customer_id !== undefined ? text(cols.customer_id) : '') || (defaults.customer_id ?? '');
    const rawMethod = text(cols.payment_method);
    const method = payments.get(rawMethod.toLowerCase()) ?? (canonicalMethods.has(rawMethod) ? rawMethod : undefined);
    if (method === undefined) {
      reasons.push({
        field: cols.payment_method,
        rule: 'enum',
        message: `"${rawMethod}" is not a payment code of the mapping`,
      });
    }
    if (reasons.length > 0) return reasons;
    // Field names and order of a store line item: the store-file rules take it from here.
    return {
      transaction_id: text(cols.transaction_id),
      transaction_timestamp: timestamp,
      item_sku: text(cols.item_sku),
      item_name: text(cols.item_name),
      quantity,
      unit_price: unitPrice,
      line_total: lineTotal,
      discount_amount: discount,
      payment_method: method,
      customer_id: customer,
    };
  };

  const columnsRead = [
    mapping.timestamp.column,
    ...(mapping.timestamp.time_column ? [mapping.timestamp.time_column] : []),
    ...Object.values(cols).filter((c): c is string => c !== undefined),
  ];
  return { mapping, delimiter: mapping.delimiter ?? ',', toLineItem, columnsRead };
}

/** Throws RejectedFileError naming the mapped columns a file's header (trimmed) lacks. */
export function checkMappedHeader(header: readonly string[], compiled: CompiledMapping): void {
  const present = new Set(header.map((h) => h.replace(/^\uFEFF/, '').trim()));
  const missing = [...new Set(compiled.columnsRead)].filter((c) => !present.has(c));
  if (missing.length > 0) {
    throw new RejectedFileError(
      `the header lacks the column(s) ${missing.join(', ')} that the ${compiled.mapping.source} mapping reads`,
    );
  }
}

/** A mapped POS export: its source (the folder under uploads/) and the store-day its file name gives. */
export interface MappedExport {
  source: string;
  storeId: string;
  date: string;
}

/** Sources that name a folder of their own under uploads/ and cannot be a mapped POS export's. */
export const RESERVED_SOURCES: ReadonlySet<string> = new Set(['marketplace']);

/** `mappings/<source>.json`: where the mapping of a source is kept in the bucket. */
export function mappingKey(source: string): string {
  return `mappings/${source}.json`;
}
