import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';

/** Folders the checks read, resolved from this file so that tests run from any working directory. */
export const INFRA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = join(INFRA_DIR, '..');
export const FUNCTIONS_DIR = join(REPO_ROOT, 'functions');
export const STATE_MACHINES_DIR = join(REPO_ROOT, 'state-machines');
export const WORKFLOWS_DIR = join(REPO_ROOT, '.github', 'workflows');

/** A block body as hcl2json gives it: literal values stay JSON, any other expression becomes a `${...}` string. */
export type Body = Record<string, unknown>;

/** Every `.tf` file of `infrastructure/`, parsed and merged as Terraform merges the files of a module. */
export interface TerraformModule {
  /** `resource[type][name]` and `data[type][name]`: the block's body. */
  resource: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, Body>>;
  variable: Record<string, Body>;
  output: Record<string, Body>;
  locals: Record<string, unknown>;
  terraform: Body[];
  /** File name of each block, for messages: `resource.aws_s3_bucket.data` → `storage.tf`. */
  files: Record<string, string>;
}

function single(blocks: unknown, address: string): Body {
  if (!Array.isArray(blocks) || blocks.length !== 1) throw new Error(`${address} must be declared exactly once`);
  return blocks[0] as Body;
}

/** Parses and merges the module; throws on a syntax error or a name declared twice, as Terraform would. */
export async function loadModule(dir = INFRA_DIR): Promise<TerraformModule> {
  const module: TerraformModule = {
    resource: {},
    data: {},
    variable: {},
    output: {},
    locals: {},
    terraform: [],
    files: {},
  };
  const claim = (address: string, file: string) => {
    if (module.files[address]) throw new Error(`${address} is declared in ${module.files[address]} and ${file}`);
    module.files[address] = file;
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const parsed = await parse(file, readFileSync(join(dir, file), 'utf8'));
    for (const kind of ['resource', 'data'] as const) {
      const byType = (parsed[kind] ?? {}) as Record<string, Record<string, unknown>>;
      for (const [type, byName] of Object.entries(byType)) {
        module[kind][type] ??= {};
        for (const [name, blocks] of Object.entries(byName)) {
          const address = `${kind}.${type}.${name}`;
          claim(address, file);
          (module[kind][type] as Record<string, Body>)[name] = single(blocks, address);
        }
      }
    }
    for (const kind of ['variable', 'output'] as const) {
      for (const [name, blocks] of Object.entries((parsed[kind] ?? {}) as Record<string, unknown>)) {
        claim(`${kind}.${name}`, file);
        module[kind][name] = single(blocks, `${kind}.${name}`);
      }
    }
    for (const block of (parsed.locals ?? []) as Body[]) {
      for (const [name, value] of Object.entries(block)) {
        claim(`local.${name}`, file);
        module.locals[name] = value;
      }
    }
    module.terraform.push(...((parsed.terraform ?? []) as Body[]));
  }
  return module;
}

/** The body of `resource.<type>.<name>` (or `data.` with kind), failing with the address when it is missing. */
export function block(module: TerraformModule, kind: 'resource' | 'data', type: string, name: string): Body {
  const found = module[kind][type]?.[name];
  if (!found) throw new Error(`${kind}.${type}.${name} is not declared`);
  return found;
}

/** Nested blocks (`statement`, `condition`...) come as arrays of bodies; absent means none. */
export function nested(body: Body, name: string): Body[] {
  const value = body[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${name} is not a nested block`);
  return value as Body[];
}

/**
 * Follows `${local.a.b}` (a whole-string reference to a local, possibly to an attribute of it) to the literal it
 * names. Anything else (a literal, or an expression Terraform alone can evaluate) is returned unchanged.
 */
export function resolveLocal(module: TerraformModule, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = /^\$\{local\.([A-Za-z0-9_.-]+)\}$/.exec(value);
  if (!m) return value;
  let current: unknown = module.locals;
  for (const part of (m[1] as string).split('.')) {
    if (current === null || typeof current !== 'object' || !(part in current)) {
      throw new Error(`${value} names nothing in locals`);
    }
    current = (current as Record<string, unknown>)[part];
  }
  return resolveLocal(module, current);
}

/** A function of the locals map, with its statements resolved to literals. */
export interface FunctionEntry {
  description: string;
  memory_mb: number;
  timeout_seconds: number;
  workflows: string[];
  environment: Record<string, string>;
  statements: Statement[];
}

/** One IAM statement of a function's entry. */
export interface Statement {
  sid: string;
  actions: string[];
  /** A list of ARNs, or a `${...}` expression that Terraform evaluates to one. */
  resources: string[] | string;
  enabled?: boolean | string;
  conditions?: { test: string; variable: string; values: string[] }[];
}

function functionMap(module: TerraformModule, local: string): Record<string, FunctionEntry> {
  const raw = module.locals[local];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(`local.${local} is not a literal map`);
  const entries: Record<string, FunctionEntry> = {};
  for (const [name, value] of Object.entries(raw as Record<string, Body>)) {
    const statements = (value.statements as unknown[]).map((s) => resolveLocal(module, s) as Statement);
    entries[name] = { ...(value as unknown as FunctionEntry), statements };
  }
  return entries;
}

/** The parts of the function map, and `deployed`: all merged, as `local.functions` merges them. */
export function functionMaps(module: TerraformModule) {
  const upload = functionMap(module, 'upload_functions');
  const analysis = functionMap(module, 'analysis_functions');
  const api = functionMap(module, 'api_functions');
  const jobs = functionMap(module, 'analytics_job_functions');
  return { upload, analysis, api, jobs, deployed: { ...upload, ...analysis, ...api, ...jobs } };
}

/** The package folders under functions/ (a folder with a package.json). */
export function functionPackages(): string[] {
  if (!existsSync(FUNCTIONS_DIR)) return [];
  return readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(FUNCTIONS_DIR, d.name, 'package.json')))
    .map((d) => d.name)
    .sort();
}

/** `process-upload` → `process_upload_arn`: the placeholder templatefile() fills with that function's ARN. */
export function arnPlaceholder(functionName: string): string {
  return `${functionName.replaceAll('-', '_')}_arn`;
}

/** The `dynamic "<label>"` blocks of a body: each with its `for_each` and its `content` body. */
export function dynamicBlocks(body: Body, label: string): { for_each: unknown; content: Body }[] {
  const dynamic = body.dynamic as Record<string, Body[]> | undefined;
  return (dynamic?.[label] ?? []).map((d) => ({ for_each: d.for_each, content: nested(d, 'content')[0] ?? {} }));
}

/** Every statement an aws_iam_policy_document can produce: its static blocks and its dynamic blocks' content. */
export function documentStatements(document: Body): Body[] {
  return [...nested(document, 'statement'), ...dynamicBlocks(document, 'statement').map((d) => d.content)];
}
