// Dependency confusion as pip makes it possible: pip merges the candidates of every index it is
// given and installs the best one (the highest version; among equal versions, any index's file),
// so a project that exists on two indexes is installed from whichever offers more. Only hashes
// close that door: in hash mode pip installs a file only if the entry names its digest.
import type { ProjectData } from '../index/packageIndex';
import type { RequirementEntry, RequirementsDocument } from '../parser/requirementsFile';
import { lineBreakOf, type TextReplacement } from './entryEdit';
import { DIGEST_LENGTHS } from './pinning';
import { pinnedVersion } from './projectInfo';
import { releasesOf, type Release } from './releases';
import { compare, valid } from './versions';

/** The project as one index alone offers it: its releases from that index's files only. */
export function releasesOn(data: ProjectData, source: string): Release[] {
  return releasesOf({ ...data, files: data.files.filter((file) => file.source === source), versions: [] });
}

/** The sha256 digests an entry names, lower-cased, well-formed ones only. */
function writtenSha256(entry: RequirementEntry): string[] {
  return entry.hashes.filter((hash) => hash.algorithm === 'sha256' && hash.digest.length === DIGEST_LENGTHS.sha256 && /^[0-9a-f]+$/i.test(hash.digest)).map((hash) => hash.digest.toLowerCase());
}

/**
 * Whether the entry already keeps a foreign copy out: pinned and hashed so that every file its
 * digests let in comes from one index (digests of no file let nothing in). Files whose index
 * gives no digest are not counted: what cannot be compared is not assumed safe.
 */
export function hashedFromOneIndex(entry: RequirementEntry, data: ProjectData): boolean {
  const pinned = pinnedVersion(entry);
  const written = writtenSha256(entry);
  if (pinned === undefined || written.length === 0) return false;
  const samePin = (version: string | undefined) => version !== undefined && (version === pinned || (valid(version) && valid(pinned) && compare(version, pinned) === 0));
  const digestsOn = new Map<string, Set<string>>(data.indexes.map((index) => [index.source, new Set<string>()]));
  for (const file of data.files) {
    const digest = file.hashes.sha256?.toLowerCase();
    if (digest && samePin(file.version)) digestsOn.get(file.source)?.add(digest);
  }
  const known = new Set([...digestsOn.values()].flatMap((digests) => [...digests]));
  const admitted = written.filter((digest) => known.has(digest));
  return [...digestsOn.values()].some((digests) => admitted.every((digest) => digests.has(digest)));
}

/**
 * The edits that make a file install from `indexUrl` alone. pip's rule for a file's own
 * `--index-url` is that it replaces the whole list, the configuration's extra indexes included,
 * so the file's first index option becomes `--index-url URL` (or that line is added first) and
 * its other `--index-url`/`--extra-index-url` options go; a line left with nothing else goes with
 * its line break. Files it includes are not edited. Undefined when the file says --no-index.
 */
export function oneIndexEdits(document: RequirementsDocument, indexUrl: string): TextReplacement[] | undefined {
  const { text } = document;
  const line = `--index-url ${indexUrl}`;
  const lines = document.entries.filter((entry) => entry.kind === 'options' && !entry.rejected);
  if (lines.some((entry) => entry.options.some((option) => option.spec.dest === 'no_index'))) return undefined;
  const edits: TextReplacement[] = [];
  for (const entry of lines) {
    const indexOptions = entry.options.filter((option) => INDEX_DESTS.has(option.spec.dest));
    if (indexOptions.length === 0) continue;
    const first = edits.length === 0;
    const onlyIndexOptions = indexOptions.length === entry.options.length && entry.ignoredArgs.length === 0;
    const content = { start: indexOptions[0].span.start, end: indexOptions[indexOptions.length - 1].span.end };
    if (onlyIndexOptions && first) {
      // The trailing comment, if any, stays.
      edits.push({ span: content, newText: line });
    } else if (onlyIndexOptions && text.slice(entry.span.start, entry.span.end).trim() === text.slice(content.start, content.end).trim()) {
      edits.push({ span: { start: entry.span.start, end: entry.span.end + lineBreakAt(text, entry.span.end) }, newText: '' });
    } else if (onlyIndexOptions) {
      edits.push({ span: content, newText: '' });
    } else {
      indexOptions.forEach((option, i) => {
        // Each option with the blanks before it, so the rest of the line reads as before.
        let start = option.span.start;
        while (start > entry.span.start && /[ \t]/.test(text[start - 1])) start--;
        edits.push(first && i === 0 ? { span: option.span, newText: line } : { span: { start, end: option.span.end }, newText: '' });
      });
    }
  }
  if (edits.length === 0) edits.push({ span: { start: 0, end: 0 }, newText: `${line}${lineBreakOf(text)}` });
  return edits;
}

const INDEX_DESTS: ReadonlySet<string> = new Set(['index_url', 'extra_index_urls']);

/** The length of the line break at `offset` (0 at the end of the text). */
function lineBreakAt(text: string, offset: number): number {
  return text.startsWith('\r\n', offset) ? 2 : text[offset] === '\n' || text[offset] === '\r' ? 1 : 0;
}
