/**
 * The arguments of every command (`npm start`, `npm run token`, `import`, `migrate`, `backup`, `compose`, the
 * benchmark…), read under one rule: `--help` (or `-h`) prints the command's usage and does nothing else; an
 * option it does not take, an option without its value, or too few or too many arguments is refused with what
 * is wrong and the usage (exit status 2) — never a stack trace, and never a run on arguments it did not
 * understand (`npm run migrate -- --help` migrated; a misspelt `--duraton` ran the benchmark's default 40 minutes).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  /** What `--help` prints, and what follows a refusal: the command's synopsis and, briefly, its options. */
  usage: string;
  options?: O;
  /** How many arguments besides the options it takes (none unless said). */
  positionals?: { min: number; max: number };
}

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/** The arguments read, `help` when `--help` was asked, or the reason they are refused. */
export function parseCommandLine<O extends Options>(
  spec: CommandSpec<O>,
  args: readonly string[],
): { values: Parsed<O>['values']; positionals: string[] } | { help: true } | { refused: string } {
  if (args.includes('--help') || args.includes('-h')) return { help: true };
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...args], options: spec.options ?? ({} as O), allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    // Node's own sentence, without its advice on positionals that begin with "-" (no command takes one).
    return { refused: (error as Error).message.replace(/\. To specify a positional argument.*$/s, '') };
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  const given = parsed.positionals.length;
  if (given > max) return { refused: `unexpected argument${given - max > 1 ? 's' : ''}: ${parsed.positionals.slice(max).join(' ')}` };
  if (given < min) return { refused: `missing argument${min - given > 1 ? 's' : ''}` };
  return { values: parsed.values, positionals: parsed.positionals };
}

/** `parseCommandLine` for a command being run: prints the usage and exits on `--help` (0) and on a refusal (2). */
export function readCommandLine<O extends Options>(spec: CommandSpec<O>, args: readonly string[] = process.argv.slice(2)) {
  const read = parseCommandLine(spec, args);
  if ('help' in read) {
    console.log(spec.usage);
    process.exit(0);
  }
  if ('refused' in read) {
    console.error(`${read.refused}\n${spec.usage}`);
    process.exit(2);
  }
  return read;
}
