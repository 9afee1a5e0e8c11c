import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CommandOutput } from './command';

/** A subcommand's parsed command line. */
export interface SubcommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** How parseSubcommand reads one subcommand's command line. */
export interface SubcommandSpec {
  /** The subcommand's name, as errors print it (`tillflow <name>: …`). */
  name: string;
  /** Its usage text, printed for `--help` and after a command-line error. */
  usage: string;
  /** Its options; `--help` (`-h`) is added. */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Whether it takes positional arguments (default false). */
  positionals?: boolean;
}

/**
 * Parses a `tillflow <name>` command line the way every subcommand does: strict options, `--help` printing the usage.
 * Returns the parsed line, or the exit code to end with: 0 after printing the usage for `--help`, 2 after printing
 * what is wrong with the line, followed by the usage.
 */
export function parseSubcommand(argv: string[], spec: SubcommandSpec, output: CommandOutput): SubcommandLine | number {
  let line: SubcommandLine;
  try {
    line = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: spec.positionals ?? false,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    output.err(`tillflow ${spec.name}: ${(error as Error).message}\n\n${spec.usage}`);
    return 2;
  }
  if (line.values.help) {
    output.out(spec.usage);
    return 0;
  }
  return line;
}
