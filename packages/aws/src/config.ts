import { ConfigError, STORE_ID_RE } from '@tillflow/core';
import type { Static, TObject, TProperties, TSchema } from 'typebox';
import * as Type from 'typebox/type';
import { Value } from 'typebox/value';

/**
 * Typed configuration from environment variables, validated once at cold start. A missing or malformed variable
 * fails the cold start with the variable's name, instead of failing some later invocation half way through. Each
 * variable is checked on its own, so that every wrong one is named (TypeBox's error list of a whole object stops at
 * its `maxErrors` setting).
 */
export function readConfig<P extends TProperties>(
  properties: P,
  env: Record<string, string | undefined> = process.env,
): Static<TObject<P>> {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const text = env[name];
    const value = text === undefined || text === '' ? Value.Default(property, undefined) : parse(text, property);
    if (value === undefined) {
      if (!Type.IsOptional(property)) problems.push(`${name}: is required (it is not set)`);
      continue;
    }
    const error = Value.Errors(property, value)[0];
    if (error) problems.push(`${name}: ${error.message} (${text === undefined ? 'it is not set' : `got "${text}"`})`);
    config[name] = value;
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return config as Static<TObject<P>>;
}

/** A variable's text as its schema's type: its own `parse` option when it has one, else number or boolean. */
function parse(text: string, property: TSchema): unknown {
  const own = (property as { parse?: unknown }).parse;
  if (typeof own === 'function') return own(text);
  if (Type.IsInteger(property) || Type.IsNumber(property)) {
    const n = Number(text);
    return Number.isNaN(n) ? text : n;
  }
  if (Type.IsBoolean(property)) return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/** Reusable config properties, named after the variables the handlers read. */
export const Env = {
  BUCKET_NAME: Type.String({ minLength: 3 }),
  SALES_TABLE: Type.String({ minLength: 3 }),
  IDEMPOTENCY_TABLE: Type.String({ minLength: 3 }),
  ALERTS_TOPIC_ARN: Type.String({ pattern: '^arn:' }),
  /** Comma-separated store ids, e.g. `0001,0002`. */
  EXPECTED_STORES: Type.Array(Type.String({ pattern: STORE_ID_RE.source }), {
    minItems: 1,
    uniqueItems: true,
    parse: (text: string) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
  }),
  UPLOAD_URL_EXPIRES_SECONDS: Type.Integer({ minimum: 60, maximum: 3600, default: 900 }),
  REPORT_TOPIC_ARN: Type.String({ pattern: '^arn:' }),
  DAILY_ANALYSIS_STATE_MACHINE_ARN: Type.String({ pattern: '^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:' }),
  /** The business time zone (IANA name): what "today" means for the daily cut-off. */
  DAILY_ANALYSIS_TIMEZONE: Type.String({
    minLength: 1,
    default: 'UTC',
    parse: (text: string) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: text });
      } catch {
        throw new ConfigError(`DAILY_ANALYSIS_TIMEZONE: "${text}" is not an IANA time zone`);
      }
      return text;
    },
  }),
  /** `statistical` (default) or `bedrock`. */
  INSIGHTS_PROVIDER: Type.Union([Type.Literal('statistical'), Type.Literal('bedrock')], { default: 'statistical' }),
  /**
   * Browser origins the API answers with CORS headers, comma-separated (`https://dash.example.com`, or `*`); unset or
   * empty: none. In AWS, API Gateway's CORS configuration (the same `cors_origins` variable) answers first.
   */
  CORS_ALLOWED_ORIGINS: Type.Optional(
    Type.Array(Type.String({ pattern: '^(\\*|https?://[^/]+)$' }), {
      parse: (text: string) =>
        text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
    }),
  ),
  /** The Bedrock model of the `bedrock` provider; the provider's default when unset. */
  BEDROCK_MODEL_ID: Type.Optional(Type.String({ minLength: 1 })),
} as const;
