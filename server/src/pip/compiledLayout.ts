// New entries in pip-compile's layout, for everything that writes a requirement reqguard chose
// (the lock command, "Add missing dependencies"):
//     asgiref==3.8.1 \
//         --hash=sha256:… \
//         --hash=sha256:…
//         # via django
// with several parents as pip-compile writes them (`# via` then one `#   parent` line each).
// Pure: data in, text out.
import { canonicalizeName } from '../parser/pep508';
import { continuedEntry, hashOptions } from './entryEdit';

export interface CompiledEntry {
  /** As the index spells it (pip-compile writes the canonical name). */
  readonly name: string;
  readonly extras?: readonly string[];
  readonly version: string;
  /** A marker to keep (without the `;`), for entries that apply to some targets only. */
  readonly marker?: string;
  readonly sha256: readonly string[];
  /** Who needs it: `-r requirements.in` for a top-level requirement, a project name otherwise. */
  readonly via: readonly string[];
}

const VIA_INDENT = '    ';

/** The `# via` comment lines of one entry (none when nobody is named). */
export function viaLines(via: readonly string[]): string[] {
  const parents = [...new Set(via)];
  if (parents.length === 0) return [];
  if (parents.length === 1) return [`${VIA_INDENT}# via ${parents[0]}`];
  return [`${VIA_INDENT}# via`, ...parents.map((parent) => `${VIA_INDENT}#   ${parent}`)];
}

/** One entry with its hashes and `# via` lines, without a final line break. */
export function formatCompiledEntry(entry: CompiledEntry, eol: string): string {
  const extras = entry.extras && entry.extras.length > 0 ? `[${[...entry.extras].sort().join(',')}]` : '';
  const marker = entry.marker ? ` ; ${entry.marker}` : '';
  const requirement = `${canonicalizeName(entry.name)}${extras}==${entry.version}${marker}`;
  return [continuedEntry(requirement, hashOptions(entry.sha256), eol), ...viaLines(entry.via)].join(eol);
}

/** pip-compile's order: by canonical name. */
export function compareEntryNames(a: string, b: string): number {
  const x = canonicalizeName(a);
  const y = canonicalizeName(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Entries sorted by name, each ending with a line break. */
export function formatCompiledBlock(entries: readonly CompiledEntry[], eol: string): string {
  return [...entries]
    .sort((a, b) => compareEntryNames(a.name, b.name))
    .map((entry) => formatCompiledEntry(entry, eol) + eol)
    .join('');
}

/** The manifests pip-compile reads as input, by the names it knows them by. */
const MANIFEST_NAMES = new Set(['pyproject.toml', 'setup.cfg', 'setup.py']);

/**
 * pip-compile's default output for an input: `requirements.in` → `requirements.txt`, a manifest
 * (pyproject.toml, setup.cfg, setup.py) → `requirements.txt` beside it; undefined for other names.
 */
export function compiledOutputPath(inputPath: string): string | undefined {
  if (inputPath.endsWith('.in')) return inputPath.slice(0, -'.in'.length) + '.txt';
  const name = /[^\\/]*$/.exec(inputPath)![0];
  return MANIFEST_NAMES.has(name.toLowerCase()) ? inputPath.slice(0, -name.length) + 'requirements.txt' : undefined;
}

