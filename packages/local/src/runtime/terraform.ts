import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A function as `infrastructure/locals.tf` declares it: what the local environment must give it too. */
export interface DeployedFunction {
  memoryMb: number;
  timeoutSeconds: number;
  /** Variable name → the HCL value as hcl2json gives it: a literal, or an expression such as `${var.log_level}`. */
  environment: Record<string, string>;
}

/** What the local platform takes from the Terraform module, so that both read one definition. */
export interface TerraformSettings {
  /** Every function of the `*_functions` maps of `locals.tf` (the map `local.functions` merges). */
  functions: Record<string, DeployedFunction>;
  /** The variable every function gets (`local.common_environment`). */
  commonEnvironment: Record<string, string>;
  /** Each variable's default from `variables.tf` (variables without one are left out). */
  defaults: Record<string, unknown>;
}

/**
 * Reads the function map and the variables' defaults from the Terraform module, so that the local platform gives
 * each function the memory, timeout and variables that Terraform gives it, and fires the cut-off schedule that
 * Terraform deploys by default: one definition, read by both. Parsing HCL (hcl2json, a WebAssembly build of
 * Terraform's parser) costs ~200 ms, so the result is cached by the files' hash.
 */
export async function readTerraform(infrastructureDir: string, cacheDir: string): Promise<TerraformSettings> {
  const files = ['locals.tf', 'variables.tf'].map((name) => ({
    name,
    text: readFileSync(join(infrastructureDir, name), 'utf8'),
  }));
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.name).update('\0').update(file.text).update('\0');
  const cacheFile = join(cacheDir, `terraform-${hash.digest('hex').slice(0, 16)}.json`);
  if (existsSync(cacheFile)) {
    try {
      return JSON.parse(readFileSync(cacheFile, 'utf8')) as TerraformSettings;
    } catch {
      // A damaged cache file is parsed again below.
    }
  }
  const { parse } = await import('@cdktf/hcl2json');
  const [locals, variables] = await Promise.all(files.map((f) => parse(f.name, f.text)));
  const settings = fromParsed(
    (locals?.locals as Record<string, unknown>[] | undefined)?.[0] ?? {},
    (variables?.variable ?? {}) as Record<string, { default?: unknown }[]>,
  );
  mkdirSync(dirname(cacheFile), { recursive: true });
  // Written aside then renamed: platforms starting together (test files) never read half a file.
  const temp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(settings));
  renameSync(temp, cacheFile);
  return settings;
}

function fromParsed(
  locals: Record<string, unknown>,
  variables: Record<string, { default?: unknown }[]>,
): TerraformSettings {
  const functions: Record<string, DeployedFunction> = {};
  for (const [localName, value] of Object.entries(locals)) {
    if (!localName.endsWith('_functions') || typeof value !== 'object' || value === null) continue;
    for (const [name, raw] of Object.entries(value as Record<string, Record<string, unknown>>)) {
      const memoryMb = raw.memory_mb;
      const timeoutSeconds = raw.timeout_seconds;
      if (typeof memoryMb !== 'number' || typeof timeoutSeconds !== 'number') {
        throw new Error(
          `infrastructure/locals.tf: ${localName}["${name}"] needs literal memory_mb and timeout_seconds`,
        );
      }
      functions[name] = { memoryMb, timeoutSeconds, environment: stringMap(raw.environment) };
    }
  }
  const defaults: Record<string, unknown> = {};
  for (const [name, blocks] of Object.entries(variables)) {
    const block = blocks[0];
    if (block && 'default' in block) defaults[name] = block.default;
  }
  return { functions, commonEnvironment: stringMap(locals.common_environment), defaults };
}

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

/**
 * The local value of a variable Terraform gives a function: the platform's own value for names it knows (the local
 * bucket, tables, ARNs, and what the command line sets), a literal as written, or a variable's default for
 * `var.x` / `tostring(var.x)`. Throws naming the function and the variable when none applies, so that a variable
 * added to Terraform without a local value fails at start rather than in a handler.
 */
export function localValue(
  functionName: string,
  variable: string,
  expression: string,
  known: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, unknown>>,
): string {
  const own = known[variable];
  if (own !== undefined) return own;
  if (!expression.includes('${')) return expression;
  const fromVariable = /^\$\{(?:tostring\()?var\.([a-z0-9_]+)\)?\}$/.exec(expression);
  if (fromVariable) {
    const value = defaults[fromVariable[1] as string];
    if (value !== undefined && value !== null) return String(value);
  }
  throw new Error(
    `infrastructure/locals.tf gives ${functionName} ${variable} = ${expression}, which the local platform has no ` +
      'value for: add one in packages/local/src/env.ts',
  );
}
