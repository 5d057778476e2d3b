// Command-line arguments as optparse reads them: `--name value`, `--name=value`, a short alias
// (`-r FILE`), repeatable values, and `--` ending the options.
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

export function parseArgs(args: readonly string[], specs: OptionSpecs): ParsedArgs {
  const byShort = new Map(Object.entries(specs).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])));
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const written = equals >= 0 ? arg.slice(0, equals) : arg;
    const name = byShort.get(written) ?? written;
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option ${quoted(written)}`);
    let value = '';
    if (spec.takesValue) {
      const given = equals >= 0 ? arg.slice(equals + 1) : args[++i];
      if (given === undefined) throw new UsageError(`${written} needs a value`);
      value = given;
    } else if (equals >= 0) {
      throw new UsageError(`${written} takes no value`);
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return new ParsedArgs(values, positionals);
}
