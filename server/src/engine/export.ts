// `reqguard export`'s one step that needs the index: a pylock names each file of a package (its
// name, URL, size, upload time), which a Pipfile.lock or a requirements file gives only as hashes.
// Each package's hashes are matched with the files of its version on the index; a hash that no
// file has is an error naming the entry. A requirements.txt needs no files: no index is asked.
import type { PackageIndex } from '../index/packageIndex';
import type { IndexedFile } from '../index/packageIndex';
import type { LockedFile, LockedPackage, LockedReading, LockedSet } from '../pip/lockedPackages';
import { compare } from '../pip/versions';

/** Packages looked up at once (the index client queues its own requests too). */
const LOOKUPS_AT_ONCE = 8;

/** The set with the files of every index package that has none yet, from `index`. */
export async function withIndexFiles(set: LockedSet, index: PackageIndex, signal?: AbortSignal): Promise<LockedReading> {
  const packages = [...set.packages];
  const errors: string[] = [];
  const wanted = packages.map((item, position) => ({ item, position })).filter(({ item }) => item.source.kind === 'index' && item.files.length === 0);
  for (let start = 0; start < wanted.length; start += LOOKUPS_AT_ONCE) {
    const batch = wanted.slice(start, start + LOOKUPS_AT_ONCE);
    const found = await Promise.all(batch.map(({ item }) => filesOnIndex(item, index, signal)));
    batch.forEach(({ item, position }, i) => {
      const result = found[i];
      if (typeof result === 'string') errors.push(`${item.label}: ${result}`);
      else packages[position] = { ...item, source: { kind: 'index', indexUrl: item.source.kind === 'index' && item.source.indexUrl ? item.source.indexUrl : result.index }, files: result.files };
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, set: { ...set, packages } };
}

/** The package's files, and the index they are on when that is the primary one (a pylock's `index`). */
async function filesOnIndex(item: LockedPackage, index: PackageIndex, signal?: AbortSignal): Promise<{ files: LockedFile[]; index?: string } | string> {
  if (item.hashes.length === 0) return 'it has no hashes to find its files by';
  const project = await index.project(item.name, signal);
  if (!project.ok) return `the index could not be read: ${project.error.message}`;
  const release = project.value.files.filter((file) => file.version !== undefined && item.version !== undefined && compare(file.version, item.version) === 0);
  if (release.length === 0) return `the index (${index.effective.primary ?? 'none'}) has no files of version ${item.version ?? '(none)'}`;
  const files: LockedFile[] = [];
  const matched = new Set<string>();
  for (const file of release) {
    const digests = await fileDigests(file, item, index, signal);
    if (typeof digests === 'string') return digests;
    const hashes = item.hashes.filter((hash) => digests[hash.algorithm] === hash.digest);
    if (hashes.length === 0) continue;
    if (file.kind === 'other') return `its hash names ${file.filename}, which is neither a wheel nor an sdist`;
    for (const hash of hashes) matched.add(`${hash.algorithm}:${hash.digest}`);
    files.push({ kind: file.kind, filename: file.filename, url: file.url, ...(file.size !== undefined ? { size: file.size } : {}), ...(file.uploadTime ? { uploadTime: file.uploadTime } : {}), hashes });
  }
  const missing = item.hashes.filter((hash) => !matched.has(`${hash.algorithm}:${hash.digest}`));
  if (missing.length > 0) return `no file of version ${item.version ?? ''} on the index has the hash ${missing.map((hash) => `${hash.algorithm}:${hash.digest}`).join(', ')}`;
  const primary = index.effective.primary;
  const onPrimary = primary !== undefined && release.every((file) => !files.some((found) => found.url === file.url) || file.source === primary);
  return { files, ...(onPrimary ? { index: primary } : {}) };
}

/** A file's digests as the index gives them, with its sha256 computed when the index gives none and the package has one. */
async function fileDigests(file: IndexedFile, item: LockedPackage, index: PackageIndex, signal?: AbortSignal): Promise<Record<string, string> | string> {
  const digests: Record<string, string> = {};
  for (const [algorithm, digest] of Object.entries(file.hashes)) digests[algorithm.toLowerCase()] = digest.toLowerCase();
  if (digests.sha256 === undefined && item.hashes.some((hash) => hash.algorithm === 'sha256')) {
    const sha256 = await index.fileSha256(file, signal);
    if (!sha256.ok) return `${file.filename} could not be hashed: ${sha256.error.message}`;
    digests.sha256 = sha256.value.toLowerCase();
  }
  return digests;
}
