// PEP 440 version specifiers exactly as packaging 26.2 (the copy pip 26 vendors) evaluates them:
// Specifier's operators (`<V` refusing V's pre-releases, `>V` refusing V's post-releases and local
// versions, prefix matching for `==V.*`, `~=`, `===`), and SpecifierSet.filter's pre-release rule
// (allowed when asked, when a clause names one, or when nothing else matches). @renovatebot/pep440
// simplifies several of these, so it is used here only to parse and order versions.
import { compare, explain, remembered } from './versions';
import { pyStrip } from '../parser/pyText';

/** One clause: `>=`, `1.0` (as parser/pep508 and parseSpecifierSet give them). */
export interface VersionSpecifier {
  readonly operator: string;
  readonly version: string;
}

/** A parsed version's segments (what @renovatebot/pep440's `explain` returns, typed as it really is). */
interface VersionParts {
  readonly epoch: number;
  readonly release: readonly number[];
  readonly pre: readonly [string, number] | null;
  readonly post: number | null;
  readonly dev: number | null;
  /** Dot-separated, lower case, numbers without leading zeros. */
  readonly local: string | null;
}

interface ParsedVersion {
  readonly parts: VersionParts;
  /** `str(Version)`: the normalized form. */
  readonly text: string;
  /** Without its local segment (`Version.public`). */
  readonly publicText: string;
  readonly isPrerelease: boolean;
  readonly isPostrelease: boolean;
}

/** `packaging.version.Version(text)`, or undefined where it raises InvalidVersion. */
const parseVersion = remembered((text: string): ParsedVersion | undefined => {
  const explained = explain(pyStrip(text));
  if (!explained) return undefined;
  const parts: VersionParts = {
    epoch: explained.epoch,
    release: explained.release,
    pre: explained.pre ? [String(explained.pre[0]), Number(explained.pre[1])] : null,
    post: (explained.post as unknown as number | null) ?? null,
    dev: (explained.dev as unknown as number | null) ?? null,
    local: explained.local,
  };
  const normalized = formatVersion(parts);
  return { parts, text: normalized, publicText: parts.local ? formatVersion({ ...parts, local: null }) : normalized, isPrerelease: explained.is_prerelease, isPostrelease: explained.is_postrelease };
});

/** `str(Version)`. */
function formatVersion(parts: VersionParts): string {
  let text = parts.epoch ? `${parts.epoch}!` : '';
  text += parts.release.join('.');
  if (parts.pre) text += `${parts.pre[0]}${parts.pre[1]}`;
  if (parts.post !== null) text += `.post${parts.post}`;
  if (parts.dev !== null) text += `.dev${parts.dev}`;
  if (parts.local) text += `+${parts.local}`;
  return text;
}

/** The normalized form of a version, or the text unchanged when it is not PEP 440 (`canonicalize_version(v, strip_trailing_zero=False)`). */
export function normalizeVersion(text: string): string {
  return parseVersion(text)?.text ?? text;
}

/** A copy of `version` with some segments replaced (`Version.__replace__`), as a normalized string. */
function replaced(version: ParsedVersion, changes: Partial<Pick<VersionParts, 'post' | 'dev' | 'local'>>): string {
  return formatVersion({ ...version.parts, ...changes });
}

const isPre = (version: ParsedVersion) => version.isPrerelease;
const publicOf = (version: ParsedVersion) => version.publicText;

// ---- one clause (packaging's Specifier) -------------------------------------------------------

/** `_version_split`: epoch, then release and suffix segments, `1a1` split into `1`, `a1`. */
function versionSplit(version: string): string[] {
  const bang = version.lastIndexOf('!');
  const result = [version.slice(0, Math.max(bang, 0)) || '0'];
  for (const item of version.slice(bang + 1).split('.')) {
    const match = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/.exec(item);
    if (match) result.push(match[1], match[2]);
    else result.push(item);
  }
  return result;
}

const isDigits = (segment: string) => /^[0-9]+$/.test(segment);

function numericPrefixLength(split: readonly string[]): number {
  let count = 0;
  while (count < split.length && isDigits(split[count])) count++;
  return count;
}

/** `==V.*`: V is a prefix of the candidate's public version (release padded with zeros first). */
function prefixMatches(candidate: ParsedVersion, spec: string): boolean {
  const specSplit = versionSplit(normalizeVersion(spec.slice(0, -2)));
  const specNumeric = numericPrefixLength(specSplit);
  const split = versionSplit(publicOf(candidate));
  const numeric = numericPrefixLength(split);
  const padded = numeric >= specNumeric ? split : [...split.slice(0, numeric), ...Array<string>(specNumeric - numeric).fill('0'), ...split.slice(numeric)];
  const shortened = padded.slice(0, specSplit.length);
  return shortened.length === specSplit.length && shortened.every((segment, i) => segment === specSplit[i]);
}

function equals(candidate: ParsedVersion, spec: string): boolean {
  if (spec.endsWith('.*')) return prefixMatches(candidate, spec);
  const specVersion = parseVersion(spec)!;
  return compare(specVersion.parts.local ? candidate.text : publicOf(candidate), specVersion.text) === 0;
}

/** Whether `candidate` satisfies `operator version` (packaging's `_compare_*`); `===` is handled by the callers. */
function operatorMatches(candidate: ParsedVersion, operator: string, version: string): boolean {
  switch (operator) {
    case '==':
      return equals(candidate, version);
    case '!=':
      return !equals(candidate, version);
    case '<=':
      return compare(publicOf(candidate), parseVersion(version)!.text) <= 0;
    case '>=':
      return compare(publicOf(candidate), parseVersion(version)!.text) >= 0;
    case '<': {
      const spec = parseVersion(version)!;
      if (compare(candidate.text, spec.text) >= 0) return false;
      // `<V` refuses V's own pre-releases unless V is one.
      return !(!isPre(spec) && isPre(candidate) && compare(candidate.text, replaced(spec, { dev: 0, local: null })) >= 0);
    }
    case '>': {
      const spec = parseVersion(version)!;
      if (compare(candidate.text, spec.text) <= 0) return false;
      // `>V` refuses V's post-releases unless V is one, and V's local versions.
      if (!spec.isPostrelease && candidate.isPostrelease && compare(replaced(candidate, { post: null, dev: null, local: null }), spec.text) === 0) return false;
      return !(candidate.parts.local && compare(publicOf(candidate), spec.text) === 0);
    }
    case '~=': {
      // ~=V is >=V together with ==P.* where P is V without its last release number.
      const segments = versionSplit(version);
      const firstSuffix = segments.findIndex((segment) => /^(?:dev|a|b|rc|post)/.test(segment));
      const release = firstSuffix < 0 ? segments : segments.slice(0, firstSuffix);
      const [epoch, ...rest] = release.slice(0, -1);
      return operatorMatches(candidate, '>=', version) && prefixMatches(candidate, `${epoch}!${rest.join('.')}.*`);
    }
    default:
      return false;
  }
}

const arbitraryEquals = (item: string, version: string) => item.toLowerCase() === version.toLowerCase();

/** `Specifier.prereleases`: whether the clause itself names a pre-release (never for `!=` or `==V.*`). */
export function clauseAllowsPrereleases(clause: VersionSpecifier): boolean | undefined {
  if (clause.operator === '!=') return false;
  if (clause.operator === '==' && clause.version.endsWith('.*')) return false;
  const version = parseVersion(clause.version);
  return version ? isPre(version) : undefined;
}

/**
 * `Specifier(clause).contains(item, prereleases)`: `item` as given is what `===` compares (pip
 * passes normalized versions, markers the environment's text).
 */
export function clauseContains(clause: VersionSpecifier, item: string, prereleases?: boolean): boolean {
  const version = parseVersion(item);
  if (!version) return clause.operator === '===' && arbitraryEquals(item, clause.version);
  const match = clause.operator === '===' ? arbitraryEquals(item, clause.version) : operatorMatches(version, clause.operator, clause.version);
  if (!match) return false;
  // A single item that matches is kept unless pre-releases are refused outright.
  return !isPre(version) || prereleases !== false;
}

// ---- a set of clauses (packaging's SpecifierSet) ------------------------------------------------

/** `SpecifierSet.prereleases`: true when a clause names a pre-release, otherwise undecided. */
export function specifiersAllowPrereleases(clauses: readonly VersionSpecifier[]): true | undefined {
  return clauses.some((clause) => clauseAllowsPrereleases(clause)) ? true : undefined;
}

function matchesAll(clauses: readonly VersionSpecifier[], item: string, version: ParsedVersion | undefined): boolean {
  if (!version) return clauses.length > 0 && clauses.every((clause) => clause.operator === '===' && arbitraryEquals(item, clause.version));
  return clauses.every((clause) => (clause.operator === '===' ? arbitraryEquals(item, clause.version) : operatorMatches(version, clause.operator, clause.version)));
}

/**
 * `SpecifierSet(clauses).filter(items, prereleases)`, in input order. `prereleases` undefined:
 * pre-releases pass when a clause names one, or when no final release matches (PEP 440).
 */
export function filterVersions<T>(clauses: readonly VersionSpecifier[], items: readonly T[], versionOf: (item: T) => string, prereleases?: boolean): T[] {
  const allow = prereleases ?? specifiersAllowPrereleases(clauses);
  const matching: { item: T; pre: boolean }[] = [];
  for (const item of items) {
    const text = versionOf(item);
    const version = parseVersion(text);
    if (clauses.length > 0 && !matchesAll(clauses, text, version)) continue;
    const pre = version ? isPre(version) : false;
    if (pre && allow === false) continue;
    matching.push({ item, pre });
  }
  if (allow !== undefined) return matching.map((m) => m.item);
  // Undecided: finals (and non-PEP 440 strings) when any final matched, else every match.
  return matching.some((m) => !m.pre && parseVersion(versionOf(m.item))) ? matching.filter((m) => !m.pre).map((m) => m.item) : matching.map((m) => m.item);
}

/** `SpecifierSet(clauses).contains(item, prereleases)` (filterVersions of one item, without its lists: the resolver asks often). */
export function specifiersContain(clauses: readonly VersionSpecifier[], item: string, prereleases?: boolean): boolean {
  const version = parseVersion(item);
  if (clauses.length > 0 && !matchesAll(clauses, item, version)) return false;
  // A lone matching pre-release passes unless pre-releases are refused: no final matched it.
  return !version?.isPrerelease || (prereleases ?? specifiersAllowPrereleases(clauses)) !== false;
}
