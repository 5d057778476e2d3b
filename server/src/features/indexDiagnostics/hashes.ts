// Hashes that match no file of the pinned release (hash-mismatch).
import type { IndexedFile } from '../../index/packageIndex';
import type { HashNode } from '../../parser/requirementsFile';
import { DIGEST_LENGTHS } from '../../pip/pinning';
import type { Finding } from '../diagnostics';
import { type IndexDiagnosticsDeps, type PinnedCheck, complete, shown } from './shared';

/** A --hash pip could ever match (weak-hash reports the others). */
function wellFormed(hash: Pick<HashNode, 'algorithm' | 'digest'>): boolean {
  return DIGEST_LENGTHS[hash.algorithm] === hash.digest.length && /^[0-9a-f]+$/i.test(hash.digest);
}

/** A digest pip could ever match: a known algorithm, its length, hex. */
export function isWellFormedDigest(algorithm: string, digest: string): boolean {
  return wellFormed({ algorithm, digest });
}

/**
 * Hashes that match no file of the pinned release. sha256 is always checked (a file whose index
 * gives no hash is hashed once through the index layer); sha384/sha512 only where the index
 * gives them for every file. Any file that cannot be hashed leaves the entry unjudged.
 */
export async function hashFindings({ entry, data, release, label }: PinnedCheck, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  const hashes = entry.hashes.filter(wellFormed);
  if (hashes.length === 0 || !complete(data) || !shown('hash-mismatch', deps.settings)) return [];
  const digests = new Map<string, Set<string>>();
  for (const algorithm of new Set(hashes.map((hash) => hash.algorithm))) {
    const wanted = hashes.filter((hash) => hash.algorithm === algorithm).map((hash) => hash.digest.toLowerCase());
    const known = await releaseDigests(release.files, algorithm, wanted, deps);
    if (known) digests.set(algorithm, known);
  }
  const wrong = hashes.filter((hash) => digests.get(hash.algorithm)?.has(hash.digest.toLowerCase()) === false);
  // All judged and none matching: pip refuses every file of the release, not just one hash.
  const refused = wrong.length === hashes.length && hashes.every((hash) => digests.has(hash.algorithm));
  return wrong.map((hash) => {
    const other = data.files.find((file) => file.version !== release.version && file.hashes[hash.algorithm]?.toLowerCase() === hash.digest.toLowerCase());
    const whose = other ? ` It is the hash of ${other.filename} (version ${other.version}).` : '';
    return {
      code: 'hash-mismatch',
      message: `This --hash matches no file of ${label} on the index: a tampered file or the hash of another version.${whose}${refused ? ' pip will refuse to install it.' : ''}`,
      span: hash.digestSpan,
    };
  });
}

/** The release's digests with `algorithm`, or undefined when some file's cannot be known. */
export async function releaseDigests(files: readonly IndexedFile[], algorithm: string, wanted: readonly string[], deps: IndexDiagnosticsDeps): Promise<Set<string> | undefined> {
  const given = new Set(files.flatMap((file) => (file.hashes[algorithm] ? [file.hashes[algorithm].toLowerCase()] : [])));
  // Downloading to hash is only worth it when the index's own digests leave a --hash unmatched.
  if (wanted.every((digest) => given.has(digest)) || files.every((file) => file.hashes[algorithm])) return given;
  if (algorithm !== 'sha256') return undefined;
  const results = await Promise.all(files.map((file) => deps.index.fileSha256(file, deps.signal)));
  return results.every((result) => result.ok) ? new Set(results.map((result) => (result.ok ? result.value.toLowerCase() : ''))) : undefined;
}
