import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

/**
 * Packages a function declares as native in its package.json (`"tillflow": { "nativeModules": [...] }`): modules
 * with a compiled Node-API addon (DuckDB's), which esbuild cannot inline. They stay external to the bundle, and the
 * zip carries them under `node_modules/`, with the addon built for the Lambda's architecture. Locally the bundle
 * resolves them from the repository's node_modules (the local machine's build).
 */
export function nativeModulesOf(functionDir: string): string[] {
  // A folder without a manifest (the local platform's test fixtures) declares none.
  if (!existsSync(join(functionDir, 'package.json'))) return [];
  const manifest = JSON.parse(readFileSync(join(functionDir, 'package.json'), 'utf8')) as {
    tillflow?: { nativeModules?: unknown };
  };
  const list = manifest.tillflow?.nativeModules;
  if (list === undefined) return [];
  if (!Array.isArray(list) || !list.every((m) => typeof m === 'string')) {
    throw new Error(`${join(functionDir, 'package.json')}: tillflow.nativeModules must be a list of package names`);
  }
  return list as string[];
}

/** The Lambda architectures, as Terraform's `var.lambda_architecture` names them, and Node's name for each. */
const NODE_ARCH = { arm64: 'arm64', x86_64: 'x64' } as const;

/**
 * The architecture the zips are built for: `TILLFLOW_LAMBDA_ARCHITECTURE` (`arm64`, the Terraform default, or
 * `x86_64`); it must match `lambda_architecture` in the Terraform variables, since a zip holds one addon build.
 */
export function lambdaArchitecture(env: Record<string, string | undefined> = process.env): keyof typeof NODE_ARCH {
  const value = env.TILLFLOW_LAMBDA_ARCHITECTURE ?? 'arm64';
  if (value !== 'arm64' && value !== 'x86_64') {
    throw new Error(`TILLFLOW_LAMBDA_ARCHITECTURE must be arm64 or x86_64, got "${value}"`);
  }
  return value;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

/** One file for the zip: its entry name (`node_modules/<package>/<path>`) and where it is on disk. */
export interface NativeFile {
  name: string;
  path: string;
}

/** Files of a package that Lambda never reads: docs and type declarations. */
const SKIPPED = /(?:\.md|\.d\.ts|\.map)$/i;

/**
 * Every file the native modules need at run time on Lambda (Linux, glibc, `architecture`): each module, its
 * dependencies, and of its optional dependencies only those made for that platform (the addon's per-platform
 * packages declare `os`, `cpu` and `libc`). A platform package npm did not install here (the arm64 addon on an x64
 * machine) is fetched with `npm pack` into `cacheDir` once.
 */
export function nativeFiles(
  functionDir: string,
  modules: readonly string[],
  architecture: keyof typeof NODE_ARCH,
  cacheDir: string,
): NativeFile[] {
  const cpu = NODE_ARCH[architecture];
  const seen = new Map<string, string>();
  const visit = (name: string, from: string, range: string | undefined, optional: boolean) => {
    if (seen.has(name)) return;
    const dir = packageDir(name, from) ?? (optional ? fetchPackage(name, range, cacheDir) : undefined);
    if (!dir) throw new Error(`${name} is not installed (needed by a native module of ${functionDir})`);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    seen.set(name, dir);
    for (const [dep, r] of Object.entries(manifest.dependencies ?? {})) visit(dep, dir, r, false);
    for (const [dep, r] of Object.entries(manifest.optionalDependencies ?? {})) {
      if (forLambda(dep, r, dir, cpu, cacheDir)) visit(dep, dir, r, true);
    }
  };
  for (const module of modules) visit(module, functionDir, undefined, false);
  const files: NativeFile[] = [];
  for (const [name, dir] of [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const path of walk(dir)) {
      const inside = relative(dir, path).split(sep).join('/');
      if (!SKIPPED.test(inside)) files.push({ name: `node_modules/${name}/${inside}`, path });
    }
  }
  return files;
}

/** Whether an optional dependency is for Linux with glibc on `cpu`, judged by its own manifest. */
function forLambda(name: string, range: string, from: string, cpu: string, cacheDir: string): boolean {
  const dir = packageDir(name, from) ?? cachedPackage(name, range, cacheDir);
  if (dir) {
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    return matches(m.os, 'linux') && matches(m.cpu, cpu) && matches(m.libc, 'glibc');
  }
  // Not installed and not cached: npm installs only the local platform's; judge by the name convention
  // (`-linux-arm64`, `-linux-x64`; a `-musl` variant is for Alpine, not Lambda), fetched if it is the one.
  return name.endsWith(`-linux-${cpu}`);
}

function matches(list: string[] | undefined, value: string): boolean {
  return list === undefined || list.includes(value);
}

function packageDir(name: string, from: string): string | undefined {
  try {
    const require = createRequire(join(from, 'package.json'));
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

function cachedPackage(name: string, range: string | undefined, cacheDir: string): string | undefined {
  const dir = join(cacheDir, `${name.replace('/', '+')}@${range ?? 'latest'}`, 'package');
  return existsSync(join(dir, 'package.json')) ? dir : undefined;
}

/**
 * `npm pack <name>@<range>` into the cache and unpacked there (npm's own cache makes a repeat offline). Turbo packages
 * functions in parallel, and two of them may want the same module on an empty cache: each packs and unpacks in a
 * folder of its own and renames the unpacked package into place, so none reads another's half-written tarball (which
 * failed `npm test` in a fresh checkout); the one that loses the rename uses the winner's.
 */
function fetchPackage(name: string, range: string | undefined, cacheDir: string): string {
  const cached = cachedPackage(name, range, cacheDir);
  if (cached) return cached;
  const target = join(cacheDir, `${name.replace('/', '+')}@${range ?? 'latest'}`);
  mkdirSync(target, { recursive: true });
  const work = mkdtempSync(`${target}.tmp-`);
  try {
    execFileSync('npm', ['pack', `${name}@${range ?? 'latest'}`, '--pack-destination', work], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${name}@${range} left no tarball in ${work}`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
    try {
      renameSync(join(work, 'package'), join(target, 'package'));
    } catch (error) {
      if (!cachedPackage(name, range, cacheDir)) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return join(target, 'package');
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
