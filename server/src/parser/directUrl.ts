// PEP 610 `direct_url.json`: how an installed distribution was installed when it did not come from
// an index by name (a URL, a local folder, an editable install, a VCS checkout). Read as pip reads
// it: `url` and exactly one of `vcs_info`, `archive_info`, `dir_info`; a file that breaks the rules
// is as if absent (pip warns and ignores it). Pure, never throws.

export type DirectUrl =
  | { readonly kind: 'vcs'; readonly url: string; readonly vcs: string; readonly commitId: string; readonly subdirectory?: string }
  /** `hashes` as `algorithm → hex digest` (the legacy `hash` field, `sha256=…`, included). */
  | { readonly kind: 'archive'; readonly url: string; readonly hashes: Readonly<Record<string, string>>; readonly subdirectory?: string }
  | { readonly kind: 'dir'; readonly url: string; readonly editable: boolean; readonly subdirectory?: string };

export type DirectUrlResult = { readonly ok: true; readonly value: DirectUrl } | { readonly ok: false; readonly error: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseDirectUrl(text: string): DirectUrlResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (!isObject(data) || typeof data.url !== 'string' || data.url === '') return { ok: false, error: 'no "url"' };
  const url = data.url;
  const infos = (['vcs_info', 'archive_info', 'dir_info'] as const).filter((key) => data[key] !== undefined);
  if (infos.length !== 1) return { ok: false, error: 'not exactly one of vcs_info, archive_info and dir_info' };
  if (data.subdirectory !== undefined && typeof data.subdirectory !== 'string') return { ok: false, error: '"subdirectory" is not a string' };
  const subdirectory = data.subdirectory ? { subdirectory: data.subdirectory } : {};
  const info = data[infos[0]];
  if (!isObject(info)) return { ok: false, error: `"${infos[0]}" is not an object` };
  if (infos[0] === 'vcs_info') {
    if (typeof info.vcs !== 'string' || typeof info.commit_id !== 'string') return { ok: false, error: 'vcs_info needs "vcs" and "commit_id"' };
    return { ok: true, value: { kind: 'vcs', url, vcs: info.vcs, commitId: info.commit_id, ...subdirectory } };
  }
  if (infos[0] === 'dir_info') {
    if (info.editable !== undefined && typeof info.editable !== 'boolean') return { ok: false, error: '"editable" is not a boolean' };
    return { ok: true, value: { kind: 'dir', url, editable: info.editable === true, ...subdirectory } };
  }
  const hashes: Record<string, string> = {};
  if (info.hash !== undefined) {
    const legacy = typeof info.hash === 'string' ? /^([^=]+)=(.+)$/.exec(info.hash) : null;
    if (!legacy) return { ok: false, error: '"hash" is not algorithm=digest' };
    hashes[legacy[1]] = legacy[2];
  }
  if (info.hashes !== undefined) {
    if (!isObject(info.hashes) || Object.values(info.hashes).some((digest) => typeof digest !== 'string')) return { ok: false, error: '"hashes" is not an object of strings' };
    Object.assign(hashes, info.hashes);
  }
  return { ok: true, value: { kind: 'archive', url, hashes, ...subdirectory } };
}
