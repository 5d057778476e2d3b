// pip's view of URLs and file names in requirement lines (pip/_internal/models/link.py,
// utils/filetypes.py, models/wheel.py, vcs/*): which strings are URLs, which are VCS, archives
// or wheels, and what the `#egg=` fragment says.

export const VCS_NAMES = ['bzr', 'git', 'hg', 'svn'] as const;

export const VCS_SCHEMES: readonly string[] = [
  'bzr+http', 'bzr+https', 'bzr+ssh', 'bzr+sftp', 'bzr+ftp', 'bzr+lp', 'bzr+file',
  'git+http', 'git+https', 'git+ssh', 'git+git', 'git+file',
  'hg+file', 'hg+http', 'hg+https', 'hg+ssh', 'hg+static-http',
  'svn+ssh', 'svn+http', 'svn+https', 'svn+svn', 'svn+file',
];

const URL_SCHEMES = new Set(['http', 'https', 'file', 'ftp', ...VCS_SCHEMES]);

const ARCHIVE_EXTENSIONS = new Set([
  '.zip', '.whl', '.tar.bz2', '.tbz', '.tar.gz', '.tgz', '.tar', '.tar.xz', '.txz', '.tlz', '.tar.lz', '.tar.lzma',
]);

/** The text before the first ':' in lower case, or undefined when there is no ':' (pip's get_url_scheme). */
export function urlScheme(text: string): string | undefined {
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : text.slice(0, colon).toLowerCase();
}

/** pip's `is_url`: a scheme pip can fetch from, VCS schemes included. */
export function isPipUrl(text: string): boolean {
  const scheme = urlScheme(text);
  return scheme !== undefined && URL_SCHEMES.has(scheme);
}

/** Like os.path.splitext, but `.tar.gz` and friends are one extension (pip's utils.misc.splitext). */
export function splitExtension(path: string): [string, string] {
  const slash = path.lastIndexOf('/');
  const baseName = path.slice(slash + 1);
  // posixpath.splitext ignores leading dots of the base name.
  let firstNonDot = 0;
  while (firstNonDot < baseName.length && baseName[firstNonDot] === '.') firstNonDot++;
  const dot = baseName.lastIndexOf('.');
  let base = path;
  let ext = '';
  if (dot > firstNonDot) {
    base = path.slice(0, slash + 1 + dot);
    ext = baseName.slice(dot);
  }
  if (base.toLowerCase().endsWith('.tar')) {
    ext = base.slice(-4) + ext;
    base = base.slice(0, -4);
  }
  return [base, ext];
}

export function isArchiveFile(path: string): boolean {
  return ARCHIVE_EXTENSIONS.has(splitExtension(path)[1].toLowerCase());
}

/** pip's `_looks_like_path`: a separator, or a leading dot. */
export function looksLikePath(text: string): boolean {
  return text.includes('/') || text.startsWith('.');
}

export interface LinkInfo {
  readonly url: string;
  readonly scheme: string;
  readonly isVcs: boolean;
  readonly isWheel: boolean;
  readonly isFile: boolean;
  readonly isArchive: boolean;
  /** The file name at the end of the path (URL-decoded), or the host when the path is empty. */
  readonly filename: string;
  readonly eggFragment?: string;
  /** Whether `eggFragment` is a plain PEP 508 project name (pip 25 warns about anything else). */
  readonly eggFragmentIsName: boolean;
  readonly subdirectoryFragment?: string;
  readonly hashName?: string;
  readonly hash?: string;
}

const EGG_FRAGMENT_RE = /[#&]egg=([^&]*)/;
const SUBDIRECTORY_FRAGMENT_RE = /[#&]subdirectory=([^&]*)/;
const PROJECT_NAME_RE = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
const URL_HASH_RE = /[#&](sha512|sha384|sha256|sha224|sha1|md5)=([^&]*)/;

/** Splits a URL as urllib.parse.urlsplit does, enough for pip's Link properties. */
function splitUrl(url: string): { scheme: string; netloc: string; path: string } {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  let scheme = '';
  let rest = url;
  if (match) {
    scheme = match[1].toLowerCase();
    rest = url.slice(match[0].length);
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  let netloc = '';
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    netloc = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  return { scheme, netloc, path: rest };
}

function unquote(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The path without its trailing slashes, in one backwards pass: `/\/+$/` tries again from every
 * slash of a run that does not end the path, which is quadratic on `/////…/x`.
 */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return path.slice(0, end);
}

export function describeLink(url: string): LinkInfo {
  const { scheme, netloc, path } = splitUrl(url);
  const decodedPath = withoutTrailingSlashes(unquote(path));
  let filename = decodedPath.slice(decodedPath.lastIndexOf('/') + 1);
  if (!filename) filename = netloc.slice(netloc.lastIndexOf('@') + 1);
  const ext = splitExtension(decodedPath.slice(decodedPath.lastIndexOf('/') + 1))[1];
  const egg = EGG_FRAGMENT_RE.exec(url);
  const subdirectory = SUBDIRECTORY_FRAGMENT_RE.exec(url);
  const hash = URL_HASH_RE.exec(url);
  return {
    url,
    scheme,
    isVcs: VCS_SCHEMES.includes(scheme),
    isWheel: ext === '.whl',
    isFile: scheme === 'file',
    isArchive: ARCHIVE_EXTENSIONS.has(ext.toLowerCase()),
    filename,
    eggFragment: egg ? egg[1] : undefined,
    eggFragmentIsName: egg ? PROJECT_NAME_RE.test(egg[1]) : true,
    subdirectoryFragment: subdirectory ? subdirectory[1] : undefined,
    hashName: hash ? hash[1] : undefined,
    hash: hash ? hash[2] : undefined,
  };
}

export interface WheelName {
  readonly name: string;
  readonly version: string;
  readonly build?: string;
  readonly pythonTags: string[];
  readonly abiTags: string[];
  readonly platformTags: string[];
}

const WHITESPACE = /\s/;

/**
 * Parses a wheel file name as pip's `Wheel` does; undefined when pip calls it invalid. pip's
 * pattern, `^(?P<name>[^\s-]+?)-(?P<ver>[^\s-]*?)(-(?P<build>\d[^-]*?))?-(?P<pyver>[^\s-]+?)-(?P<abi>[^\s-]+?)-(?P<plat>[^\s-]+?)\.whl$`,
 * read part by part: no part holds a '-', so the name has five or six parts; each is non-empty and
 * without whitespace, but the version may be empty and the build (the sixth part's third) starts
 * with a digit and may hold whitespace. (A regular expression cost 2% of a cold `fix`: thousands
 * of file names a run.)
 */
export function parseWheelFilename(filename: string): WheelName | undefined {
  if (!filename.endsWith('.whl')) return undefined;
  const parts = filename.slice(0, -'.whl'.length).split('-');
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  const [name, version] = parts;
  const build = parts.length === 6 ? parts[2] : undefined;
  const [pyver, abi, plat] = parts.slice(-3);
  if (build !== undefined && !(build.charCodeAt(0) >= 0x30 && build.charCodeAt(0) <= 0x39)) return undefined;
  if (!name || !pyver || !abi || !plat || WHITESPACE.test(name) || WHITESPACE.test(version) || WHITESPACE.test(pyver) || WHITESPACE.test(abi) || WHITESPACE.test(plat)) return undefined;
  return {
    name: name.replace(/_/g, '-'),
    version: version.replace(/_/g, '-'),
    build,
    pythonTags: pyver.split('.'),
    abiTags: abi.split('.'),
    platformTags: plat.split('.'),
  };
}
