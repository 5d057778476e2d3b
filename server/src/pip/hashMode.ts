// Whether pip will run a file in hash-checking mode, and why. pip decides once per install: any
// --require-hashes, or any requirement with a --hash (unless --no-require-hashes), in the file or
// in a file it includes with -r/-c, turns it on for every requirement.
import type { RequirementsDocument } from '../parser/requirementsFile';
import type { Span } from '../parser/types';
import type { IncludedFile } from './includes';

export interface HashMode {
  readonly on: boolean;
  /** What switched it on: a --require-hashes or --hash, here or in an included file. */
  readonly trigger?: { readonly kind: 'require-hashes' | 'hash'; readonly span: Span; readonly inFile?: string };
  /** Set when --no-require-hashes kept one --hash from switching it on. */
  readonly suppressedBy?: Span;
}

/** What one file says about hash mode: the first of each kind of line that switches it on or off. */
interface FileHashFacts {
  readonly requireHashes?: Span;
  readonly noRequireHashes?: Span;
  readonly firstHash?: Span;
}

/** Per parse: an included file's facts are read once, not on every keystroke in the file that includes it. */
const FACTS = new WeakMap<RequirementsDocument, FileHashFacts>();

function factsOf(document: RequirementsDocument): FileHashFacts {
  const known = FACTS.get(document);
  if (known) return known;
  let requireHashes: Span | undefined;
  let noRequireHashes: Span | undefined;
  let firstHash: Span | undefined;
  for (const entry of document.entries) {
    if (entry.rejected) continue;
    // pip applies file-wide options only from a line of options alone: on a requirement, -e or
    // -r/-c line it drops them (req_file.handle_line, _parse_and_recurse), so
    // `pkg==1 --require-hashes` does not switch hash mode on.
    if (entry.kind === 'options') {
      for (const option of entry.options) {
        if (option.spec.dest === 'require_hashes') requireHashes ??= option.span;
        if (option.spec.dest === 'no_require_hashes') noRequireHashes ??= option.span;
      }
    }
    if (entry.kind === 'requirement' && !entry.editable && entry.hashes.length > 0) firstHash ??= entry.hashes[0].span;
  }
  const facts = { requireHashes, noRequireHashes, firstHash };
  FACTS.set(document, facts);
  return facts;
}

export function hashModeOf(document: RequirementsDocument, includes: readonly IncludedFile[] = []): HashMode {
  const files: Array<{ document: RequirementsDocument; inFile?: string; includeSpan?: Span }> = [{ document }];
  for (const include of includes) {
    if (include.document) files.push({ document: include.document, inFile: include.path, includeSpan: include.includeSpan });
  }
  let requireHashes: HashMode['trigger'];
  let firstHash: HashMode['trigger'];
  let suppressedBy: Span | undefined;
  for (const file of files) {
    const facts = factsOf(file.document);
    // What an included file switches on is shown on the line that includes it.
    const here = (span: Span) => (file.inFile ? file.includeSpan! : span);
    if (facts.requireHashes && !requireHashes) requireHashes = { kind: 'require-hashes', span: here(facts.requireHashes), inFile: file.inFile };
    if (facts.noRequireHashes && !suppressedBy) suppressedBy = here(facts.noRequireHashes);
    if (facts.firstHash && !firstHash) firstHash = { kind: 'hash', span: here(facts.firstHash), inFile: file.inFile };
  }
  if (requireHashes) return { on: true, trigger: requireHashes };
  if (firstHash && !suppressedBy) return { on: true, trigger: firstHash };
  return { on: false, suppressedBy: firstHash ? suppressedBy : undefined };
}
