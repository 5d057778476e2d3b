// Command-line arguments as optparse reads them: `--name value`, `--name=value`, a short alias
// (`-r FILE`, `-rFILE`), repeatable values, and `--` ending the options. node:util's parseArgs
// splits the command line; its lenient mode (strict: false) reads a value that starts with a dash
// as optparse does (`--index-url --x` is a URL), and our own check of its tokens gives the usage
// errors, in our words and with passwords redacted.
import { parseArgs as splitArgs, type ParseArgsConfig } from 'node:util';
import { redactUrl } from '../index/urls';

export class UsageError extends Error {}

export interface OptionSpec {
  readonly takesValue: boolean;
  readonly short?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export const flag: OptionSpec = { takesValue: false };
export const valued: OptionSpec = { takesValue: true };

/** A value as usage messages echo it: a mistyped URL, even one without a scheme, must not show its password. */
export function quoted(value: string): string {
  return `'${redactUrl(value).replace(/:[^:/@\s]*@/g, ':****@')}'`;
}

export class ParsedArgs {
  constructor(
    private readonly values: ReadonlyMap<string, readonly string[]>,
    readonly positionals: readonly string[],
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The last value given, as optparse keeps for options that are not repeatable. */
  last(name: string): string | undefined {
    return this.values.get(name)?.at(-1);
  }

  all(name: string): readonly string[] {
    return this.values.get(name) ?? [];
  }
}

type NodeOptions = NonNullable<ParseArgsConfig['options']>;

/** Our `--name` specs as node's options (names without the dashes); every option may repeat. */
function nodeOptions(specs: OptionSpecs): NodeOptions {
  const options: NodeOptions = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (!name.startsWith('--') || (spec.short !== undefined && !/^-[^-]$/.test(spec.short))) throw new Error(`bad option spec ${name}`);
    options[name.slice(2)] = { type: spec.takesValue ? 'string' : 'boolean', multiple: true, ...(spec.short ? { short: spec.short.slice(1) } : {}) };
  }
  return options;
}

export function parseArgs(args: readonly string[], specs: OptionSpecs): ParsedArgs {
  const parsed = splitArgs({ args: [...args], options: nodeOptions(specs), strict: false, allowPositionals: true, tokens: true });
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    const name = `--${token.name}`;
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    // Lenient mode names an unknown `-x` after its letter: only the spec's own short form counts.
    if (!spec || (token.rawName !== name && token.rawName !== spec.short)) throw new UsageError(`unknown option ${quoted(token.rawName)}`);
    if (spec.takesValue && token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
    if (!spec.takesValue && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
  }
  // Every option is known now: values are strings for valued options, `true` for flags.
  const values = new Map<string, string[]>();
  for (const [name, given] of Object.entries(parsed.values)) {
    values.set(`--${name}`, (Array.isArray(given) ? given : [given]).map((value) => (typeof value === 'string' ? value : '')));
  }
  return new ParsedArgs(values, parsed.positionals);
}
