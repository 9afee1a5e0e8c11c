import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isCalendarDate } from '@tillflow/core';

/** A generator script's parsed command line, with the checked readers its options need. */
export interface ScriptArgs {
  values: Record<string, string | boolean | undefined>;
  /** The option as an integer ≥ min; exits with the usage otherwise. */
  integer(name: string, min: number): number;
  /** The option as a calendar date YYYY-MM-DD; exits with the usage otherwise. */
  date(name: string): string;
  /** Prints what is wrong and the usage, and exits with 2. */
  fail(message: string): never;
}

/**
 * Parses a generator script's command line (strict options, `--help` printing the usage and exiting 0). Every
 * failure prints `<script>: <what>` and the usage, and exits with 2, so the scripts report bad input alike.
 */
export function parseScriptArgs(
  script: string,
  usage: string,
  options: NonNullable<ParseArgsConfig['options']>,
): ScriptArgs {
  const fail = (message: string): never => {
    console.error(`${script}: ${message}\n\n${usage}`);
    process.exit(2);
  };
  let values: Record<string, string | boolean | undefined> = {};
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean', default: false } }, strict: true }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return {
    values,
    fail,
    integer(name, min) {
      const text = values[name] as string;
      const n = Number(text);
      if (!/^-?\d+$/.test(text) || n < min) fail(`--${name} must be an integer ≥ ${min}, got "${text}"`);
      return n;
    },
    date(name) {
      const text = values[name] as string;
      if (!isCalendarDate(text)) fail(`--${name} must be a calendar date YYYY-MM-DD, got "${text}"`);
      return text;
    },
  };
}
