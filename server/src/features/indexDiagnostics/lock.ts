// pylock.toml against the index: each `[[packages]]` entry installed from files (sdist, wheels) is
// a pin, checked as a requirements file's pins are (unknown project or version, status, yanked,
// vulnerable: the same concern modules), and each of its files against the index's file of that
// name: a hash or size the index does not give for it. Entries from a VCS, a directory or an
// archive are not on the index and are left alone.
import type { IndexedFile } from '../../index/packageIndex';
import { canonicalizeName } from '../../parser/pep508';
import { packageFiles, type Located, type PylockDocument, type PylockFile, type PylockPackage } from '../../parser/pylock';
import type { Span } from '../../parser/types';
import type { TextReplacement } from '../../pip/entryEdit';
import { loadProjectInfo } from '../../pip/projectInfo';
import { releaseFor, type Release } from '../../pip/releases';
import type { Finding } from '../diagnostics';
import { isWellFormedDigest, releaseDigests } from './hashes';
import { pinFindings, unknownVersionMessage } from './pins';
import { unknownProjects } from './projects';
import { type IndexDiagnosticsDeps, type PinnedCheck, complete, definitelyMissing, loadAll, severalSources, shown, withinLookupLimit } from './shared';
import { quarantinedOnly, statusFindings } from './status';
import { osvVulnerabilities, vulnerabilityFindings } from './vulnerabilities';

/** A package the index can answer for: from files, with a name and a version. */
type IndexedPackage = PylockPackage & { readonly name: Located<string>; readonly version: Located<string> };

type LockPin = Omit<PinnedCheck, 'entry'> & { readonly pkg: IndexedPackage };

export async function lockFindings(lock: PylockDocument, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  const onIndex = lock.packages.filter((pkg): pkg is IndexedPackage => pkg.sourceKind === 'files' && pkg.name !== undefined && pkg.version !== undefined);
  const { checked, notice } = withinLookupLimit(onIndex, (pkg) => ({ normalized: canonicalizeName(pkg.name.value), span: pkg.name.span }));
  const infos = await loadAll(checked.map((pkg) => canonicalizeName(pkg.name.value)), deps);
  const findings: Finding[] = notice ? [notice] : [];
  const missing: { name: string; span: Span }[] = [];
  const pinned: LockPin[] = [];
  for (const pkg of checked) {
    const info = infos.get(canonicalizeName(pkg.name.value))!;
    if (!info.data.ok) {
      if (definitelyMissing(info.data, deps.index)) missing.push({ name: pkg.name.value, span: pkg.name.span });
      continue;
    }
    findings.push(...statusFindings(info.data.value, pkg.name.value, pkg.name.span, severalSources(deps.index)));
    if (quarantinedOnly(info.data.value)) continue;
    const release = releaseFor(info.releases, pkg.version.value);
    if (!release || release.files.length === 0) {
      if (complete(info.data.value)) findings.push({ code: 'unknown-version', message: unknownVersionMessage(pkg.name.value, pkg.version.value, release, info.releases), span: pkg.version.span });
      continue;
    }
    pinned.push({ pkg, info, data: info.data.value, release, span: pkg.version.span, label: `${pkg.name.value} ${release.version}` });
  }
  const osv = osvVulnerabilities(pinned, deps);
  const [perPin, unknown] = await Promise.all([
    Promise.all(pinned.map(async (check, i) => [
      // No targets: the lock's own files, not the release's, are what gets installed (fileFindings).
      ...pinFindings({ ...check, entry: { marker: check.pkg.marker } }, []),
      ...(await fileFindings(check, deps)),
      ...(await vulnerabilityFindings(check, osv.then((ids) => ids?.[i] ?? []), deps)),
    ])),
    unknownProjects(missing, deps),
  ]);
  return [...findings, ...perPin.flat(), ...unknown];
}

/** The file of the release the lock names (by file name), if the index has it. */
export function indexFileOf(release: Release, file: PylockFile): IndexedFile | undefined {
  return file.fileName === undefined ? undefined : release.files.find((candidate) => candidate.filename === file.fileName);
}

/** The index's digest of a file with `algorithm` (sha256 is computed through the index layer when not given), lower-case. */
export async function indexDigest(file: IndexedFile, algorithm: string, deps: Pick<IndexDiagnosticsDeps, 'index' | 'signal'>): Promise<string | undefined> {
  const given = file.hashes[algorithm];
  if (given) return given.toLowerCase();
  if (algorithm !== 'sha256') return undefined;
  const computed = await deps.index.fileSha256(file, deps.signal);
  return computed.ok ? computed.value.toLowerCase() : undefined;
}

/**
 * Each file's hashes and size against the index's file of that name; a file the index does not
 * have by that name, against every file of the release (a hash of none of them is wrong whatever
 * the file is called).
 */
async function fileFindings({ pkg, data, release, label }: LockPin, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  if (!complete(data) || !shown('hash-mismatch', deps.settings)) return [];
  const findings: Finding[] = [];
  for (const file of packageFiles(pkg)) {
    const indexFile = indexFileOf(release, file);
    const name = file.fileName ?? 'this file';
    for (const hash of file.hashes.filter((h) => isWellFormedDigest(h.algorithm, h.value))) {
      const digest = hash.value.toLowerCase();
      if (indexFile) {
        const known = await indexDigest(indexFile, hash.algorithm, deps);
        if (known !== undefined && known !== digest) {
          findings.push({
            code: 'hash-mismatch',
            message: `This ${hash.algorithm} is not the index's for ${name} (${label}): a tampered file, or the hash of another file. pip will refuse to install it. The "Refresh hashes" quick fix writes the index's.`,
            span: hash.span,
          });
        }
        continue;
      }
      const digests = await releaseDigests(release.files, hash.algorithm, [digest], deps);
      if (digests && !digests.has(digest)) {
        findings.push({ code: 'hash-mismatch', message: `This ${hash.algorithm} matches no file of ${label} on the index (${name} is not one of its files by that name). pip will refuse to install it.`, span: hash.span });
      }
    }
    if (indexFile?.size !== undefined && file.size && file.size.value !== indexFile.size) {
      findings.push({ code: 'hash-mismatch', message: `${name} is ${indexFile.size} bytes on the index, not ${file.size.value}: not the file this lock was made from.`, span: file.size.span });
    }
  }
  return findings;
}

/**
 * "Refresh hashes": each hash of the package's files the index gives differently, replaced by the
 * index's (its quotes kept); only the hash strings' bytes change. Files the index does not have
 * by name, and algorithms it cannot give, are left as they are.
 */
export async function refreshedHashes(text: string, pkg: PylockPackage, deps: Pick<IndexDiagnosticsDeps, 'index' | 'signal'>): Promise<TextReplacement[]> {
  if (pkg.sourceKind !== 'files' || !pkg.name || !pkg.version) return [];
  const info = await loadProjectInfo(deps.index, canonicalizeName(pkg.name.value), deps.signal);
  const release = releaseFor(info.releases, pkg.version.value);
  if (!release) return [];
  const replacements: TextReplacement[] = [];
  for (const file of packageFiles(pkg)) {
    const indexFile = indexFileOf(release, file);
    if (!indexFile) continue;
    for (const hash of file.hashes) {
      const known = await indexDigest(indexFile, hash.algorithm, deps);
      if (known === undefined || known === hash.value.toLowerCase()) continue;
      const quote = text[hash.span.start];
      replacements.push({ span: hash.span, newText: `${quote}${known}${quote}` });
    }
  }
  return replacements;
}
