/**
 * Reading the ASL files the way Terraform deploys them: `${name}` placeholders filled as `templatefile()` fills them,
 * then a walk over every Task state (inside Parallel branches and Map iterators too), and a check that the definition
 * only uses what the local interpreter runs faithfully.
 */

/** A JSON value as it appears in an ASL definition. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A state of an ASL definition (the fields the local runner looks at; the rest pass through). */
export interface AslState {
  Type: string;
  Resource?: string;
  Retry?: unknown[];
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  [field: string]: unknown;
}

/** An ASL state machine definition, or a Parallel branch or Map iterator inside one. */
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [field: string]: unknown;
}

/** A state found by {@link walkStates}: its name, its definition, and where it sits (`Parallel/Branches[0]/…`). */
export interface FoundState {
  name: string;
  state: AslState;
  path: string;
}

/**
 * Fills `${name}` placeholders like Terraform's `templatefile()`: `$${` is a literal `${`, `%%{` a literal `%{`, and
 * a placeholder without a value is an error naming it (so is any expression or `%{…}` directive, which the ASL files
 * have no business holding).
 */
export function fillTemplate(text: string, vars: Record<string, string>, fileName: string): string {
  return text.replace(/\$\$\{|%%\{|\$\{([^}]*)\}|%\{/g, (match, expression: string | undefined) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    if (match === '%{') throw new Error(`${fileName}: template directives (%{…}) are not supported`);
    const name = (expression ?? '').trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(`${fileName}: the placeholder \${${name}} is not a plain variable name`);
    }
    const value = vars[name];
    if (value === undefined) {
      const known = Object.keys(vars).sort().join(', ');
      throw new Error(`${fileName}: no value for the placeholder \${${name}} (known: ${known})`);
    }
    // The value lands inside a JSON string literal: escape it as one.
    return JSON.stringify(value).slice(1, -1);
  });
}

/** Every state of the definition, nested ones included, depth first. */
export function walkStates(definition: AslDefinition, path = ''): FoundState[] {
  const found: FoundState[] = [];
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    const here = path ? `${path}/${name}` : name;
    found.push({ name, state, path: here });
    state.Branches?.forEach((branch, i) => {
      found.push(...walkStates(branch, `${here}/Branches[${i}]`));
    });
    if (state.Iterator) found.push(...walkStates(state.Iterator, `${here}/Iterator`));
    if (state.ItemProcessor) found.push(...walkStates(state.ItemProcessor, `${here}/ItemProcessor`));
  }
  return found;
}

/**
 * The features of the definition that the local interpreter (aws-local-stepfunctions 3) would ignore silently or
 * run differently from AWS. Empty when the definition is portable.
 */
export function unsupportedFeatures(definition: AslDefinition): string[] {
  const problems: string[] = [];
  if (definition.QueryLanguage === 'JSONata') problems.push('QueryLanguage JSONata (only JSONPath runs locally)');
  for (const { state, path } of walkStates(definition)) {
    if (state.QueryLanguage === 'JSONata') problems.push(`${path}: QueryLanguage JSONata`);
    if ('Assign' in state) problems.push(`${path}: Assign (variables)`);
    if ('Arguments' in state || 'Output' in state) problems.push(`${path}: JSONata Arguments/Output`);
    for (const field of [
      'ItemReader',
      'ItemBatcher',
      'ResultWriter',
      'ToleratedFailurePercentage',
      'ToleratedFailureCount',
    ]) {
      if (field in state) problems.push(`${path}: ${field} (Distributed Map)`);
    }
    const processorConfig = state.ItemProcessor?.ProcessorConfig as { Mode?: string } | undefined;
    if (processorConfig?.Mode === 'DISTRIBUTED') problems.push(`${path}: Distributed Map`);
    if ('HeartbeatSeconds' in state || 'HeartbeatSecondsPath' in state) problems.push(`${path}: HeartbeatSeconds`);
    if ('Credentials' in state) problems.push(`${path}: Credentials (cross-account tasks)`);
  }
  return problems;
}
