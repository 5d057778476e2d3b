// The package index one document installs from: its own options and includes, then the user's
// settings, then pip's configuration (see index/indexSelection.ts), opened on the shared client.
import { basename, dirname } from 'node:path';
import type { AnalyzedDocument } from './documents';
import type { IncludedFile } from '../pip/includes';
import { selectIndex } from '../index/indexSelection';
import { openIndex, type PackageIndex } from '../index/packageIndex';
import type { IndexRuntime } from '../index/runtime';
import type { IndexSettings } from '../settings';

type Runtime = Pick<IndexRuntime, 'client' | 'pip' | 'settingsLabels'>;

export function documentIndex(
  runtime: Runtime,
  analysis: AnalyzedDocument,
  path: string,
  includes: readonly IncludedFile[] | undefined,
  settings: IndexSettings,
  /** False for a file of an untrusted workspace: its own index options are not followed. */
  trustFileOptions = true,
): PackageIndex {
  const document = analysis.family === 'requirements' ? analysis.parsed : undefined;
  return openSelected(runtime, settings, { document, documentLabel: basename(path), includes, trustFileOptions }, dirname(path));
}

/** The index when no requirements file has a say: the user's settings, then pip's configuration. */
export function settingsIndex(runtime: Runtime, settings: IndexSettings): PackageIndex {
  return openSelected(runtime, settings, { documentLabel: '' });
}

function openSelected(runtime: Runtime, settings: IndexSettings, file: Pick<Parameters<typeof selectIndex>[0], 'document' | 'documentLabel' | 'includes' | 'trustFileOptions'>, baseDir?: string): PackageIndex {
  const selection = selectIndex({ ...file, settings: { indexUrl: settings.url, extraIndexUrls: settings.extraUrls, labels: runtime.settingsLabels }, pip: runtime.pip });
  return openIndex(runtime.client, selection, { baseDir, jsonApiUrl: settings.jsonApiUrl });
}
