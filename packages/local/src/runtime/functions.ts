import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functionArn, REGION, resourceName } from '../resources';
import type { FunctionSettings } from './environment';
import { localValue, type TerraformSettings } from './terraform';

/** The bundle Lambda runs (`index.handler`), as packages/build writes it into each function's `dist/`. */
export const BUNDLE_ENTRY = join('dist', 'index.mjs');
const SOURCES = join('dist', 'sources.json');
const SOURCE_ENTRY = join('src', 'handler.ts');

/** Memory and timeout of a function Terraform does not declare (test fixtures), as Lambda's console proposes. */
const UNDECLARED = { memoryMb: 1024, timeoutSeconds: 300 } as const;

/** What the functions' environments are made of. */
export interface FunctionsInput {
  /** The folder of one folder per function. */
  functionsDir: string;
  terraform: TerraformSettings;
  /** The platform's values of the variables Terraform sets (bucket, tables, ARNs, command-line settings). */
  known: Readonly<Record<string, string>>;
  /**
   * Variables only the local platform sets: the SDK's endpoint overrides, the local credentials, tracing off (no
   * X-Ray daemon here). Every function gets them, over Terraform's.
   */
  additions: Readonly<Record<string, string>>;
  /** Runs `src/handler.ts` through tsx instead of the bundle (quick iteration; never what is called tested). */
  fromSource?: boolean;
  /** Per-function timeouts and memory sizes over Terraform's (tests). */
  timeoutsSeconds?: Readonly<Record<string, number>>;
  memoryMb?: Readonly<Record<string, number>>;
}

/** Every function folder, deployable or not, sorted. */
export function functionFolders(functionsDir: string): string[] {
  if (!existsSync(functionsDir)) return [];
  return readdirSync(functionsDir)
    .filter((name) => /^[a-z0-9][a-z0-9-]*$/.test(name) && statSync(join(functionsDir, name)).isDirectory())
    .sort();
}

/**
 * The settings of every function folder: Terraform's memory, timeout and variables (a function that Terraform does
 * not declare gets the common variables and every variable the platform knows), Lambda's own variables, and the
 * local additions. Throws when a bundle is missing or older than its sources, naming the command that builds it:
 * what runs must be what deploys.
 */
export function resolveFunctions(input: FunctionsInput): Map<string, FunctionSettings> {
  const settings = new Map<string, FunctionSettings>();
  const problems: string[] = [];
  for (const name of functionFolders(input.functionsDir)) {
    const dir = join(input.functionsDir, name);
    const entry = join(dir, input.fromSource ? SOURCE_ENTRY : BUNDLE_ENTRY);
    // A folder with no handler source is no function to build: invoking it fails as Lambda's import does.
    const deployable = existsSync(join(dir, SOURCE_ENTRY));
    if (!input.fromSource && deployable) {
      const problem = bundleProblem(dir);
      if (problem) problems.push(`${name}: ${problem}`);
    }
    const deployed = input.terraform.functions[name];
    const declared = deployed
      ? { ...input.terraform.commonEnvironment, ...deployed.environment }
      : { ...input.terraform.commonEnvironment, ...input.known };
    const environment: Record<string, string> = {};
    for (const [variable, expression] of Object.entries(declared)) {
      environment[variable] = localValue(name, variable, expression, input.known, input.terraform.defaults);
    }
    const functionName = resourceName(name);
    const memoryMb = input.memoryMb?.[name] ?? deployed?.memoryMb ?? UNDECLARED.memoryMb;
    settings.set(name, {
      name,
      functionName,
      functionArn: functionArn(name),
      entry,
      handlerName: 'handler',
      deployable,
      memoryMb,
      timeoutSeconds: input.timeoutsSeconds?.[name] ?? deployed?.timeoutSeconds ?? UNDECLARED.timeoutSeconds,
      environment: { ...environment, ...lambdaVariables(functionName, memoryMb, dir), ...input.additions },
      execArgv: input.fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [],
    });
  }
  if (problems.length > 0) {
    throw new Error(
      `the functions' bundles are not built from their current sources (run \`npx turbo run build\`, which \`npm start\` does):\n  ${problems.join('\n  ')}`,
    );
  }
  return settings;
}

/**
 * The variables the Lambda service itself sets in every execution environment of a `nodejs24.x` function (the
 * role's credentials are among them in AWS; the local credentials come with the additions). The log stream name is
 * the environment's own and is added when the environment starts.
 */
export function lambdaVariables(functionName: string, memoryMb: number, taskRoot: string): Record<string, string> {
  return {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    LAMBDA_TASK_ROOT: resolve(taskRoot, 'dist'),
    _HANDLER: 'index.handler',
  };
}

/** Names every variable that {@link lambdaVariables} sets, plus the per-environment log stream: not Terraform's. */
export const LAMBDA_VARIABLE_NAMES: readonly string[] = [
  ...Object.keys(lambdaVariables('x', 128, '.')),
  'AWS_LAMBDA_LOG_STREAM_NAME',
];

/**
 * Why the bundle of a function folder cannot run as built: missing, or built from sources that have changed since.
 * A source newer than the bundle is compared by content with what the build recorded (`dist/sources.json`), so that
 * a checkout touching a file without changing it, or a build cache restoring an older bundle, is not called stale.
 */
function bundleProblem(dir: string): string | undefined {
  const bundle = join(dir, BUNDLE_ENTRY);
  if (!existsSync(bundle)) return `${BUNDLE_ENTRY} does not exist`;
  const sourcesFile = join(dir, SOURCES);
  if (!existsSync(sourcesFile)) return undefined;
  const built = statSync(bundle).mtimeMs;
  const sources = JSON.parse(readFileSync(sourcesFile, 'utf8')) as Record<string, string>;
  const changed = Object.entries(sources).find(([input, hash]) => {
    const file = join(dir, input);
    if (!existsSync(file)) return true;
    if (statSync(file).mtimeMs <= built) return false;
    return createHash('sha256').update(readFileSync(file)).digest('hex') !== hash;
  });
  return changed ? `${BUNDLE_ENTRY} was built from an older ${changed[0]}` : undefined;
}
