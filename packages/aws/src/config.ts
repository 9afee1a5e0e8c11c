import { type Static, type TObject, type TProperties, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError, STORE_ID_RE } from '@tillflow/core';

/**
 * Typed configuration from environment variables, validated once at cold start. A missing or malformed variable
 * fails the cold start with the variable's name, instead of failing some later invocation half way through.
 */
export function readConfig<P extends TProperties>(
  properties: P,
  env: Record<string, string | undefined> = process.env,
): Static<TObject<P>> {
  const schema = Type.Object(properties);
  const raw: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    raw[name] =
      'parse' in property && typeof property.parse === 'function' ? property.parse(text) : coerce(text, property);
  }
  const withDefaults = Value.Default(schema, raw);
  const problems: string[] = [];
  for (const error of Value.Errors(schema, withDefaults)) {
    const name = error.path.slice(1) || '(config)';
    const shown = env[name] === undefined ? 'it is not set' : `got "${env[name]}"`;
    problems.push(`${name}: ${error.message} (${shown})`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return withDefaults as Static<TObject<P>>;
}

function coerce(text: string, property: TSchema): unknown {
  if (property.type === 'integer' || property.type === 'number') {
    const n = Number(text);
    return Number.isNaN(n) ? text : n;
  }
  if (property.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
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
  /** The Bedrock model of the `bedrock` provider; the provider's default when unset. */
  BEDROCK_MODEL_ID: Type.Optional(Type.String({ minLength: 1 })),
} as const;
