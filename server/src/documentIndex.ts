// The package index one document installs from: its own options and includes, then the user's
// settings, then pip's configuration (see index/indexSelection.ts), opened on the shared client.
import { basename, dirname } from 'node:path';
import type { AnalyzedDocument } from './documents';
import type { IncludedFile } from './features/hashMode';
import { selectIndex } from './index/indexSelection';
import { openIndex, type PackageIndex } from './index/packageIndex';
import type { IndexRuntime } from './indexRuntime';
import type { IndexSettings } from './protocol';

export function documentIndex(
  runtime: Pick<IndexRuntime, 'client' | 'pip'>,
  analysis: AnalyzedDocument,
  path: string,
  includes: readonly IncludedFile[] | undefined,
  settings: IndexSettings,
): PackageIndex {
  const selection = selectIndex({
    document: analysis.kind === 'setup-py' ? undefined : analysis.parsed,
    documentLabel: basename(path),
    includes,
    settings: { indexUrl: settings.url, extraIndexUrls: settings.extraUrls },
    pip: runtime.pip,
  });
  return openIndex(runtime.client, selection, { baseDir: dirname(path), jsonApiUrl: settings.jsonApiUrl });
}
