// Which index a requirements file installs from, in the order pip applies its sources: the
// file's own options (and those of files it includes) over the editor's settings over pip's
// environment and configuration over pypi.org. Also the URL rules every index request needs.
import { optionValues, type RequirementsDocument } from '../parser/requirementsFile';
import type { IncludedFile } from '../pip/includes';
import type { PipIndexConfig } from './pipConfig';
import { redactUrl } from './urls';

export const PYPI_SIMPLE_URL = 'https://pypi.org/simple/';

export type IndexSource = 'file' | 'settings' | 'pip' | 'default';

/** Where one index URL was chosen: the source and the file, variable or setting behind it. */
export interface IndexOrigin {
  readonly source: IndexSource;
  readonly detail?: string;
}

export interface IndexSelection {
  /** The primary index first, then extra indexes, in pip's order. Empty with --no-index. */
  readonly indexUrls: readonly string[];
  readonly findLinks: readonly string[];
  readonly noIndex: boolean;
  /** Where the primary index was chosen, for the hover and the status bar. */
  readonly source: IndexSource;
  /** The file or variable behind `source` ('requirements.txt', 'PIP_INDEX_URL', '/etc/pip.conf'). */
  readonly sourceDetail?: string;
  /** Where each extra index (`indexUrls` after the first) was added, in the same order; absent without extras. */
  readonly extraOrigins?: readonly IndexOrigin[];
  /** `--pre` in the file or an include, or pip's `pre`: pip picks pre-releases like final releases. */
  readonly prereleases?: boolean;
  /**
   * Index options of the file and its includes that were not followed because the file is not
   * trusted (VS Code's Restricted Mode), for display: `--index-url URL`, credentials redacted.
   */
  readonly ignoredFileOptions?: readonly string[];
}

export interface EditorIndexSettings {
  readonly indexUrl?: string;
  readonly extraIndexUrls?: readonly string[];
  /** What to call these two where they are shown (the CLI's flags play the settings' part). */
  readonly labels?: SettingsLabels;
}

export interface SettingsLabels {
  readonly indexUrl: string;
  readonly extraIndexUrls: string;
}

const EDITOR_LABELS: SettingsLabels = { indexUrl: 'reqguard.index.url', extraIndexUrls: 'reqguard.index.extraUrls' };

interface Finder {
  indexUrls: string[];
  /** Where each of `indexUrls` was chosen, in the same order. */
  origins: IndexOrigin[];
  findLinks: string[];
  noIndex: boolean;
  source: IndexSource;
  sourceDetail?: string;
  prereleases: boolean;
  /** Set when the file's index options are not to be followed: what they would have said. */
  ignored?: string[];
}

/** The options that choose where pip connects (or, for find-links, which folders it reads). */
const NETWORK_DESTS = ['index_url', 'extra_index_urls', 'find_links', 'no_index'] as const;

/** Replays pip's handle_option_line over a file and, at each include, the file it includes. */
function applyFileOptions(finder: Finder, document: RequirementsDocument, label: string, includes: readonly IncludedFile[]): void {
  for (const entry of document.entries) {
    if (entry.rejected) continue;
    if (entry.kind === 'include') {
      const included = includes.find((file) => file.status === 'found' && file.document && file.includeSpan.start === entry.targetSpan.start);
      if (included?.document) applyFileOptions(finder, included.document, included.path, []);
      continue;
    }
    // pip applies file-wide options only from lines without a requirement.
    if (entry.kind !== 'options') continue;
    if (entry.options.some((o) => o.spec.dest === 'pre')) finder.prereleases = true;
    if (finder.ignored) {
      for (const option of entry.options) {
        if ((NETWORK_DESTS as readonly string[]).includes(option.spec.dest)) finder.ignored.push(option.value === undefined ? option.name : `${option.name} ${redactUrl(option.value)}`);
      }
      continue;
    }
    const values = (dest: Parameters<typeof optionValues>[1]) => optionValues(entry, dest);
    if (entry.options.some((o) => o.spec.dest === 'no_index')) {
      finder.noIndex = true;
      finder.indexUrls = [];
      finder.origins = [];
    }
    const index = values('index_url');
    const origin: IndexOrigin = { source: 'file', detail: label };
    if (index.length && !finder.noIndex) {
      // pip replaces the whole list, extra indexes of its configuration included.
      finder.indexUrls = [index[index.length - 1]];
      finder.origins = [origin];
      finder.source = 'file';
      finder.sourceDetail = label;
    }
    if (!finder.noIndex) {
      for (const url of values('extra_index_urls')) {
        finder.indexUrls.push(url);
        finder.origins.push(origin);
      }
    }
    const links = values('find_links');
    if (links.length) finder.findLinks.push(links[0]);
  }
}

export function selectIndex(options: {
  /** Absent for files without pip options (setup.py). */
  readonly document?: RequirementsDocument;
  readonly documentLabel: string;
  readonly includes?: readonly IncludedFile[];
  readonly settings?: EditorIndexSettings;
  readonly pip?: PipIndexConfig;
  /**
   * False for a file from an untrusted workspace: its index options (and its includes') are
   * recorded, not followed, so opening a repository never lets it choose the hosts reqguard
   * contacts, the variables expanded into their URLs or the netrc credentials sent to them.
   */
  readonly trustFileOptions?: boolean;
}): IndexSelection {
  const { settings = {}, pip = {} } = options;
  const labels = settings.labels ?? EDITOR_LABELS;
  const finder: Finder = { indexUrls: [PYPI_SIMPLE_URL], origins: [{ source: 'default' }], findLinks: [], noIndex: false, source: 'default', prereleases: pip.pre?.value ?? false };
  if (options.trustFileOptions === false) finder.ignored = [];
  if (pip.indexUrl) {
    finder.indexUrls = [pip.indexUrl.value];
    finder.source = 'pip';
    finder.sourceDetail = pip.indexUrl.origin.where;
    finder.origins = [{ source: 'pip', detail: finder.sourceDetail }];
  }
  if (settings.indexUrl) {
    finder.indexUrls = [settings.indexUrl];
    finder.source = 'settings';
    finder.sourceDetail = labels.indexUrl;
    finder.origins = [{ source: 'settings', detail: finder.sourceDetail }];
  }
  const extraOrigin: IndexOrigin = settings.extraIndexUrls ? { source: 'settings', detail: labels.extraIndexUrls } : { source: 'pip', detail: pip.extraIndexUrls?.origin.where };
  // Loops, not push(...): a configuration may list any number of URLs.
  for (const url of settings.extraIndexUrls ?? pip.extraIndexUrls?.value ?? []) {
    finder.indexUrls.push(url);
    finder.origins.push(extraOrigin);
  }
  for (const location of pip.findLinks?.value ?? []) finder.findLinks.push(location);
  if (pip.noIndex?.value) {
    finder.noIndex = true;
    finder.indexUrls = [];
    finder.origins = [];
  }
  if (options.document) applyFileOptions(finder, options.document, options.documentLabel, options.includes ?? []);
  const { findLinks, noIndex, source, sourceDetail, prereleases, ignored } = finder;
  // An index named twice is asked once, where it was first named.
  const firstOf = new Map<string, IndexOrigin>();
  finder.indexUrls.forEach((url, i) => firstOf.has(url) || firstOf.set(url, finder.origins[i]));
  const indexUrls = [...firstOf.keys()];
  const extraOrigins = [...firstOf.values()].slice(1);
  return {
    indexUrls,
    findLinks,
    noIndex,
    source,
    sourceDetail,
    prereleases,
    ...(extraOrigins.length ? { extraOrigins } : {}),
    ...(ignored?.length ? { ignoredFileOptions: ignored } : {}),
  };
}
