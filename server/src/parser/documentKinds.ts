// The document-kind table: which parser reads a file, chosen by its name. A new manifest format
// is a parser module that returns Declarations plus one row here (and the client's document
// selector); every feature then handles it.
import type { Declarations } from './declared';
import { isValidPylockFileName, readPylock, type PylockDocument } from './pylock';
import { pyprojectDeclarations } from './pyproject';
import { binaryEvidence } from './pyText';
import { parseRequirementsFile, reparseRequirementsFile, type RequirementsDocument } from './requirementsFile';
import { setupCfgDeclarations } from './setupCfg';
import { setupPyDeclarations } from './setupPyDeclarations';

/** `requirements`: a file pip installs from; `requirements-in`: a pip-compile input, where ranges are the point. */
export type RequirementsKind = 'requirements' | 'requirements-in';
/** A library's manifest: it declares the ranges it supports. */
export type ManifestKind = 'setup-py' | 'setup-cfg' | 'pyproject-toml';
/** A lock file: every package pinned to its files, read as its own format (not PEP 508 strings). */
export type LockKind = 'pylock-toml';
export type DocumentKind = RequirementsKind | ManifestKind | LockKind;

export type ParsedFile =
  | { readonly family: 'requirements'; readonly kind: RequirementsKind; readonly text: string; readonly parsed: RequirementsDocument }
  | { readonly family: 'manifest'; readonly kind: ManifestKind; readonly text: string; readonly declarations: Declarations }
  | { readonly family: 'lock'; readonly kind: LockKind; readonly text: string; readonly lock: PylockDocument };

type Env = Readonly<Record<string, string | undefined>>;

interface KindRow {
  readonly kind: DocumentKind;
  /** What `parse --json` calls it. */
  readonly label: string;
  /** Tested on the lower-cased file name. */
  readonly matches: (name: string) => boolean;
  /** `earlier`: the parse of an earlier version of the same file, which a parser may build on. */
  readonly parse: (text: string, env: Env | undefined, earlier: ParsedFile | undefined) => ParsedFile;
}

/** A requirements file's parse, built on the earlier version's where there is one (only the lines an edit touched are read again). */
function requirementsParse(kind: RequirementsKind): KindRow['parse'] {
  return (text, env, earlier) => ({
    family: 'requirements',
    kind,
    text,
    parsed: earlier?.family === 'requirements' ? reparseRequirementsFile(earlier.parsed, text, { env }) : parseRequirementsFile(text, { env }),
  });
}

const manifest = (kind: ManifestKind, label: string, matches: (name: string) => boolean, declare: (text: string) => Declarations): KindRow => ({
  kind,
  label,
  matches,
  parse: (text) => ({ family: 'manifest', kind, text, declarations: declare(text) }),
});

/** First match wins; the last row takes every other name (the editor sends only requirements-like files). */
const DOCUMENT_KINDS: readonly KindRow[] = [
  // Python source is only ever a setup script here (the editor sends only setup.py; the CLI may be given any name).
  manifest('setup-py', 'setup.py', (name) => name.endsWith('.py'), setupPyDeclarations),
  // PEP 751's names, `pylock.toml` and `pylock.<name>.toml` (a name the rule refuses, `pylock.a.b.toml`, is read and said).
  { kind: 'pylock-toml', label: 'pylock.toml', matches: isPylockName, parse: (text) => ({ family: 'lock', kind: 'pylock-toml', text, lock: readPylock(text) }) },
  // The editor sends these two by their exact names; the CLI also reads renamed copies (`x__setup.cfg`).
  manifest('setup-cfg', 'setup.cfg', (name) => name.endsWith('setup.cfg'), setupCfgDeclarations),
  manifest('pyproject-toml', 'pyproject.toml', (name) => name.endsWith('pyproject.toml'), pyprojectDeclarations),
  { kind: 'requirements-in', label: 'requirements', matches: (name) => name.endsWith('.in'), parse: requirementsParse('requirements-in') },
  { kind: 'requirements', label: 'requirements', matches: () => true, parse: requirementsParse('requirements') },
];

/** `pylock.toml` and `pylock.*.toml` (the CLI also reads renamed copies, `x__pylock.toml`). */
function isPylockName(name: string): boolean {
  return name.endsWith('pylock.toml') || (name.startsWith('pylock.') && name.endsWith('.toml'));
}

/** A lock file's name that breaks PEP 751's rule (`pylock.a.b.toml`): pip and packaging do not take it as a pylock file. */
export function pylockFileNameProblem(path: string): string | undefined {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? path;
  if (!isPylockName(name.toLowerCase()) || isValidPylockFileName(name)) return undefined;
  return `${name} is not a pylock file name PEP 751 allows (pylock.toml, or pylock.<name>.toml with no dot in <name>): pip and other installers do not read it as a lock file.`;
}

function fileName(path: string): string {
  return (path.replace(/\\/g, '/').split('/').pop() ?? path).toLowerCase();
}

function rowOf(path: string): KindRow {
  const name = fileName(path);
  return DOCUMENT_KINDS.find((row) => row.matches(name))!;
}

/**
 * Dependency files of other formats that reqguard does not read (yet): lock files other than
 * pylock.toml (Pipfile.lock, uv.lock, poetry.lock), Pipfile, and any other TOML file. They are not requirements
 * files, and reading them as such gives nothing but bogus syntax errors: the editor and the CLI
 * leave them alone.
 */
export function isUnreadFile(path: string): boolean {
  const name = fileName(path);
  return !DOCUMENT_KINDS.some((row) => row.kind !== 'requirements' && row.matches(name)) && (name.endsWith('.toml') || name.endsWith('.lock') || name === 'pipfile');
}

export function documentKindOf(path: string): DocumentKind {
  return rowOf(path).kind;
}

/** The label `parse --json` gives a kind of file. */
export function documentKindLabel(kind: DocumentKind): string {
  return DOCUMENT_KINDS.find((row) => row.kind === kind)!.label;
}

/** `earlier`: the parse of the file's previous version (the editor's last analysis), to build on; its result is the same either way. */
export function parseFile(text: string, path: string, env?: Env, earlier?: ParsedFile): ParsedFile {
  const row = rowOf(path);
  // A binary file is not read: its bytes would make thousands of meaningless lines (and index
  // lookups). The diagnostics report it once, from the same test on the text.
  if (binaryEvidence(text)) return { ...row.parse('', env, undefined), text };
  return row.parse(text, env, earlier?.kind === row.kind ? earlier : undefined);
}
