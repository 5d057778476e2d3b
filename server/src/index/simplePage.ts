// Reading a Simple repository API project page (PEP 503 HTML, PEP 691 JSON, with PEP 592 yanking,
// PEP 658/714 core metadata, PEP 700 versions/size/upload-time, PEP 740 provenance, PEP 792
// project status) into one model. Pure: the HTTP
// layer hands in the body and the page URL.
import { parseWheelFilename, splitExtension, withoutTrailingSlashes, type WheelName } from '../parser/links';
import { canonicalizeName } from '../parser/pep508';
import { parseJson } from './boundedJson';
import { readStartTags } from './htmlTags';
import { LinkResolver, percentDecode } from './urls';

export interface DistributionFile {
  readonly filename: string;
  /** Absolute URL, without the hash fragment. */
  readonly url: string;
  /** Algorithm → hex digest, from `hashes` (JSON) or the `#sha256=` fragment (HTML). */
  readonly hashes: Readonly<Record<string, string>>;
  readonly requiresPython?: string;
  readonly yanked: boolean;
  readonly yankedReason?: string;
  readonly size?: number;
  readonly uploadTime?: string;
  /** PEP 658/714: whether `<url>.metadata` exists, with its hashes when given. */
  readonly coreMetadata: false | { readonly hashes: Readonly<Record<string, string>> };
  /** PEP 740: where the file's provenance object (its attestations) is, absolute. */
  readonly provenance?: string;
  readonly kind: 'wheel' | 'sdist' | 'other';
  /** The version from the file name, when the name follows the wheel or sdist rules. */
  readonly version?: string;
  readonly wheel?: WheelName;
}

export interface ProjectPage {
  readonly name: string;
  readonly files: readonly DistributionFile[];
  /** PEP 700 `versions` when given, plus every version named by a file, without duplicates. */
  readonly versions: readonly string[];
  readonly format: 'json' | 'html';
  readonly apiVersion?: string;
  readonly lastSerial?: number;
  /** Links a remote page gave to something other than http(s) (a local file): dropped, never followed. */
  readonly ignoredLinks?: { readonly count: number; readonly first: string };
  /** PEP 792, when the index marks the project as anything but `active`. */
  readonly status?: ProjectStatus;
}

/** PEP 792 project status markers (Simple API 1.4); `active` is the default and is not kept. */
export const PROJECT_STATUSES = ['archived', 'quarantined', 'deprecated'] as const;

export interface ProjectStatus {
  readonly status: (typeof PROJECT_STATUSES)[number];
  readonly reason?: string;
}

/** A status as the index wrote it, or undefined for `active`, a missing one, or one this version does not know. */
function projectStatus(status: unknown, reason: unknown): ProjectStatus | undefined {
  const known = PROJECT_STATUSES.find((name) => name === status);
  if (!known) return undefined;
  return typeof reason === 'string' && reason.trim() ? { status: known, reason: reason.trim() } : { status: known };
}

/** `kind`: what to call the failure (default 'malformed'); 'too-large' for a page past MAX_LINKS_PER_PAGE. */
export type PageResult = { ok: true; page: ProjectPage } | { ok: false; message: string; kind?: 'malformed' | 'too-large' };

/**
 * Links one project page may list. PyPI's largest projects have about 50,000 files; four times
 * that leaves room for any real index while bounding what a hostile page costs (each link is a
 * few hundred bytes in memory, so 200,000 of them stay under 100 MB).
 */
export const MAX_LINKS_PER_PAGE = 200_000;
/** Attributes of a page's anchors: five per link at the link cap (PyPI's anchors have at most five). */
const MAX_ATTRIBUTES_PER_PAGE = 5 * MAX_LINKS_PER_PAGE;

function tooManyLinks(what = `more than ${MAX_LINKS_PER_PAGE.toLocaleString('en-US')} links`): PageResult {
  return { ok: false, kind: 'too-large', message: `the page lists ${what}, more than any real index; not read` };
}

const SDIST_EXTENSIONS = new Set(['.tar.gz', '.zip', '.tar.bz2', '.tar.xz', '.tgz', '.tar']);

/**
 * pip's `_extract_version_from_fragment`: the part after the first `-` whose prefix is the project
 * (canonicalized). In one pass: canonicalizing every prefix again costs the square of the name's
 * length. A prefix's canonical form only grows as the prefix does (each letter lower-cased, each
 * run of `-_.` one `-`), so it is compared with the project's as it grows, and the first
 * difference ends the search. (Letters are lower-cased one by one, which differs from lower-casing
 * the whole name only for a final Greek sigma, never in an ASCII project name.)
 */
function sdistVersion(stem: string, canonicalName: string): string | undefined {
  let matched = 0;
  let previousWasSeparator = false;
  for (let i = 0; i < stem.length; i++) {
    const char = stem[i];
    if (char === '-' && matched === canonicalName.length) return stem.slice(i + 1) || undefined;
    const isSeparator = char === '-' || char === '_' || char === '.';
    const canonical = isSeparator ? (previousWasSeparator ? '' : '-') : char.toLowerCase();
    previousWasSeparator = isSeparator;
    if (!canonicalName.startsWith(canonical, matched)) return undefined;
    matched += canonical.length;
  }
  return undefined;
}

/** What a file name says: wheel or sdist of the project, and which version (undefined for 'other'). */
export interface FileClass {
  readonly kind: DistributionFile['kind'];
  readonly version: string | undefined;
  readonly wheel: WheelName | undefined;
}

const OTHER_FILE: FileClass = { kind: 'other', version: undefined, wheel: undefined };

/**
 * Classifies the file names of one project: its canonical name is computed once, and each
 * wheel's name part once (a page repeats it on every file).
 */
class FilenameClassifier {
  private readonly canonicalName: string;
  private readonly wheelNameMatches = new Map<string, boolean>();

  constructor(project: string) {
    this.canonicalName = canonicalizeName(project);
  }

  /** Whether a file is a wheel or an sdist of the project, and of which version (pip's rules). */
  classify(filename: string): FileClass {
    if (filename.endsWith('.whl')) {
      const wheel = parseWheelFilename(filename);
      if (!wheel) return OTHER_FILE;
      let matches = this.wheelNameMatches.get(wheel.name);
      if (matches === undefined) this.wheelNameMatches.set(wheel.name, (matches = canonicalizeName(wheel.name) === this.canonicalName));
      return matches ? { kind: 'wheel', version: wheel.version, wheel } : OTHER_FILE;
    }
    const [stem, ext] = splitExtension(filename);
    if (SDIST_EXTENSIONS.has(ext.toLowerCase())) {
      const version = sdistVersion(stem, this.canonicalName);
      if (version) return { kind: 'sdist', version, wheel: undefined };
    }
    return OTHER_FILE;
  }
}

/** Whether a file is a wheel or an sdist of `project`, and of which version (pip's rules). */
export function classifyFilename(filename: string, project: string): FileClass {
  return new FilenameClassifier(project).classify(filename);
}

/**
 * A file record, always built here so every record has the same fields in the same order (one
 * shape for V8: the code reading thousands of them stays monomorphic).
 */
function fileRecord(
  fields: Omit<DistributionFile, 'kind' | 'version' | 'wheel' | 'provenance' | 'size' | 'uploadTime'> & Partial<Pick<DistributionFile, 'provenance' | 'size' | 'uploadTime'>>,
  what: FileClass,
): DistributionFile {
  return {
    filename: fields.filename,
    url: fields.url,
    hashes: fields.hashes,
    requiresPython: fields.requiresPython,
    yanked: fields.yanked,
    yankedReason: fields.yankedReason,
    size: fields.size,
    uploadTime: fields.uploadTime,
    coreMetadata: fields.coreMetadata,
    provenance: fields.provenance,
    kind: what.kind,
    version: what.version,
    wheel: what.wheel,
  };
}

/**
 * A record labelled with the index it came from (the view's IndexedFile), also field by field: as
 * `{ ...file, source }`, each of a run's 10,000 copies got a hidden class of its own (a heap
 * snapshot of the server after "Pin and hash all": 9,983 maps for 10,020 copies, about 5 MB, and
 * slow reads in every loop over files).
 */
export function withSource(file: DistributionFile, source: string): DistributionFile & { readonly source: string } {
  const { filename, url, hashes, requiresPython, yanked, yankedReason, size, uploadTime, coreMetadata, provenance, kind, version, wheel } = file;
  return { filename, url, hashes, requiresPython, yanked, yankedReason, size, uploadTime, coreMetadata, provenance, kind, version, wheel, source };
}

/** fileRecord and withSource list every field of DistributionFile: one added and not there fails to compile here. */
const everyFileFieldListed: [Exclude<keyof DistributionFile, 'filename' | 'url' | 'hashes' | 'requiresPython' | 'yanked' | 'yankedReason' | 'size' | 'uploadTime' | 'coreMetadata' | 'provenance' | 'kind' | 'version' | 'wheel'>] extends [never] ? true : never = true;
void everyFileFieldListed;

/** The hashes of a URL without a fragment: shared, never written to. */
const NO_HASHES: Record<string, string> = Object.freeze({}) as Record<string, string>;

function splitFragment(url: string): { url: string; hashes: Record<string, string> } {
  const hash = url.indexOf('#');
  if (hash < 0) return { url, hashes: NO_HASHES };
  const hashes: Record<string, string> = {};
  const match = /^(sha1|sha224|sha256|sha384|sha512|md5)=([0-9a-fA-F]+)$/.exec(url.slice(hash + 1));
  if (match) hashes[match[1]] = match[2].toLowerCase();
  return { url: url.slice(0, hash), hashes };
}

function collectVersions(listed: readonly string[], files: readonly DistributionFile[]): string[] {
  const seen = new Set<string>(listed);
  for (const file of files) if (file.version) seen.add(file.version);
  return [...seen];
}

/**
 * Which links of a page may be followed. A remote (http or https) page gets only http and https
 * links: pip would fetch a `file:` link from it, reading whatever local file the index names
 * (`file:///etc/passwd`, `/dev/zero`); reqguard never reads a local file on a remote index's
 * say-so. Local pages (a file:// index or find-links page the user configured) may link anywhere.
 */
class LinkPolicy {
  private readonly remote: boolean;
  private count = 0;
  private first = '';

  constructor(pageUrl: string) {
    this.remote = /^https?:/i.test(pageUrl);
  }

  allows(url: string): boolean {
    if (!this.remote || /^https?:/i.test(url)) return true;
    if (this.count++ === 0) this.first = url;
    return false;
  }

  get ignoredLinks(): ProjectPage['ignoredLinks'] {
    return this.count ? { count: this.count, first: this.first } : undefined;
  }
}

/**
 * A file's PEP 740 provenance URL, resolved against the page: only http(s), which is all an
 * index serves it over; anything else (a `file:` URL from a remote page) is never fetched.
 */
function provenanceOf(value: unknown, links: LinkResolver): string | undefined {
  const url = typeof value === 'string' && value ? links.resolve(value) : undefined;
  return url && /^https?:/i.test(url) ? url : undefined;
}

/** A file known only by its name and location (a find-links folder, or a link to one archive). */
export function linkedFile(filename: string, url: string, project: string): DistributionFile {
  const split = splitFragment(url);
  return fileRecord({ filename, url: split.url, hashes: split.hashes, yanked: false, coreMetadata: false }, classifyFilename(filename, project));
}

// ---- PEP 691 JSON -------------------------------------------------------------------------

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  const record = asRecord(value);
  for (const key in record) {
    const entry = record[key];
    if (typeof entry === 'string') result[key] = entry.toLowerCase();
  }
  return result;
}

export function parseSimpleJson(body: string, pageUrl: string, project: string): PageResult {
  const parsed = parseJson(body);
  if (!parsed.ok) return parsed.kind === 'too-large' ? { ok: false, kind: 'too-large', message: `the page: ${parsed.message}` } : { ok: false, message: `the index sent invalid JSON (${parsed.message})` };
  const root = asRecord(parsed.value);
  if (!root || !Array.isArray(root.files)) return { ok: false, message: 'the index sent JSON without a "files" list' };
  if (root.files.length > MAX_LINKS_PER_PAGE) return tooManyLinks();
  const policy = new LinkPolicy(pageUrl);
  const links = new LinkResolver(pageUrl);
  const classifier = new FilenameClassifier(project);
  const files: DistributionFile[] = [];
  for (const raw of root.files) {
    const file = asRecord(raw);
    if (!file || typeof file.filename !== 'string' || typeof file.url !== 'string') continue;
    const absolute = links.resolve(file.url);
    if (!absolute || !policy.allows(absolute)) continue;
    const { url, hashes: fragmentHashes } = splitFragment(absolute);
    const listedHashes = stringRecord(file.hashes);
    const yanked = file.yanked === true || (typeof file.yanked === 'string' && file.yanked.length > 0);
    const metadata = file['core-metadata'] ?? file['dist-info-metadata'];
    files.push(
      fileRecord(
        {
          filename: file.filename,
          url,
          hashes: fragmentHashes === NO_HASHES ? listedHashes : { ...fragmentHashes, ...listedHashes },
          requiresPython: typeof file['requires-python'] === 'string' ? file['requires-python'] : undefined,
          yanked,
          yankedReason: typeof file.yanked === 'string' && file.yanked ? file.yanked : undefined,
          size: typeof file.size === 'number' ? file.size : undefined,
          uploadTime: typeof file['upload-time'] === 'string' ? file['upload-time'] : undefined,
          coreMetadata: metadata === true ? { hashes: {} } : asRecord(metadata) ? { hashes: stringRecord(metadata) } : false,
          provenance: provenanceOf(file.provenance, links),
        },
        classifier.classify(file.filename),
      ),
    );
  }
  const listed = Array.isArray(root.versions) ? root.versions.filter((v): v is string => typeof v === 'string') : [];
  const meta = asRecord(root.meta);
  return {
    ok: true,
    page: {
      name: typeof root.name === 'string' ? root.name : project,
      files,
      versions: collectVersions(listed, files),
      format: 'json',
      apiVersion: typeof meta?.['api-version'] === 'string' ? meta['api-version'] : undefined,
      lastSerial: typeof meta?.['_last-serial'] === 'number' ? meta['_last-serial'] : undefined,
      ignoredLinks: policy.ignoredLinks,
      status: projectStatus(asRecord(root['project-status'])?.status, asRecord(root['project-status'])?.reason),
    },
  };
}

// ---- PEP 503 HTML -------------------------------------------------------------------------

const PAGE_TAGS: ReadonlySet<string> = new Set(['a', 'base', 'meta']);

/** pip's Link.filename: the last segment of the percent-decoded path, or the host for an empty path. */
export function linkFilename(url: URL): string {
  const path = withoutTrailingSlashes(percentDecode(url.pathname));
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name ? percentDecode(name) : url.host;
}

/**
 * What pip's parse_links finds in a page (html.parser's start tags, read by htmlTags): every
 * `<a>` with a non-empty href (its last href, as `dict(attrs)` keeps), resolved against the first
 * `<base href>`; the file name comes from the URL, never from the anchor's text.
 */
export function parseSimpleHtml(body: string, pageUrl: string, project: string): PageResult {
  const anchors: Map<string, string | null>[] = [];
  let baseHref: string | undefined;
  let apiVersion: string | undefined;
  let status: string | undefined;
  let statusReason: string | undefined;
  const outcome = readStartTags(body, PAGE_TAGS, (tag) => {
    if (tag.name === 'a') {
      if (anchors.length >= MAX_LINKS_PER_PAGE) return false;
      anchors.push(new Map(tag.attributes));
    } else if (tag.name === 'base') {
      // pip keeps the first <base> whose first href has a value.
      const href = tag.attributes.find(([name]) => name === 'href')?.[1];
      if (baseHref === undefined && href !== undefined && href !== null) baseHref = href;
    } else {
      // The first of each meta tag counts.
      const attributes = new Map(tag.attributes);
      const content = attributes.get('content') ?? undefined;
      const name = attributes.get('name');
      if (name === 'pypi:repository-version') apiVersion ??= content;
      else if (name === 'pypi:project-status') status ??= content;
      else if (name === 'pypi:project-status-reason') statusReason ??= content;
    }
    return true;
  }, { maxAttributes: MAX_ATTRIBUTES_PER_PAGE });
  if (outcome.kind === 'stopped') return tooManyLinks();
  if (outcome.kind === 'too-many-attributes') return tooManyLinks(`links with more than ${MAX_ATTRIBUTES_PER_PAGE.toLocaleString('en-US')} attributes`);
  if (outcome.kind === 'fails') return { ok: false, message: `Python's HTML parser, which pip uses, fails on the markup at offset ${outcome.at} ("${body.slice(outcome.at, outcome.at + 20)}…"), so pip cannot read this page` };
  const base = (baseHref && new LinkResolver(pageUrl).resolve(baseHref)) || pageUrl;
  const links = new LinkResolver(base);
  const classifier = new FilenameClassifier(project);
  const policy = new LinkPolicy(pageUrl);
  const files: DistributionFile[] = [];
  for (const attributes of anchors) {
    const href = attributes.get('href');
    if (!href) continue;
    let absolute: URL;
    try {
      absolute = new URL(href, base);
    } catch {
      continue;
    }
    if (!policy.allows(absolute.href)) continue;
    const { url, hashes } = splitFragment(absolute.href);
    const filename = linkFilename(absolute);
    const yanked = attributes.has('data-yanked');
    const metadata = attributes.get('data-core-metadata') ?? attributes.get('data-dist-info-metadata');
    let coreMetadata: DistributionFile['coreMetadata'] = false;
    if (metadata !== undefined && metadata !== null && metadata !== 'false') {
      const hash = /^(\w+)=([0-9a-fA-F]+)$/.exec(metadata);
      coreMetadata = { hashes: hash ? { [hash[1]]: hash[2].toLowerCase() } : {} };
    }
    files.push(
      fileRecord(
        {
          filename,
          url,
          hashes,
          requiresPython: attributes.get('data-requires-python') || undefined,
          yanked,
          yankedReason: yanked ? attributes.get('data-yanked') || undefined : undefined,
          coreMetadata,
          provenance: provenanceOf(attributes.get('data-provenance'), links),
        },
        classifier.classify(filename),
      ),
    );
  }
  return {
    ok: true,
    page: { name: project, files, versions: collectVersions([], files), format: 'html', apiVersion, ignoredLinks: policy.ignoredLinks, status: projectStatus(status, statusReason) },
  };
}

/** Projects an index's root page may list: PyPI lists about 600,000. */
export const MAX_PROJECTS = 2_000_000;

/** The project names of an index's root page (`<a href="/simple/six/">six</a>`), from the anchors' text. */
export function parseProjectList(body: string): { ok: true; names: string[] } | { ok: false; message: string } {
  const names: string[] = [];
  const outcome = readStartTags(
    body,
    ANCHOR,
    (tag) => {
      const name = tag.text();
      if (name) names.push(name);
      return names.length <= MAX_PROJECTS;
    },
    { keepAttributes: false },
  );
  return outcome.kind === 'stopped' ? { ok: false, message: `the project list has more than ${MAX_PROJECTS.toLocaleString('en-US')} names; not read` } : { ok: true, names };
}

const ANCHOR: ReadonlySet<string> = new Set(['a']);
