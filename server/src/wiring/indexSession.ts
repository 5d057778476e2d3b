// The index layer as the server holds it: built from window-wide settings when first needed,
// rebuilt after a configuration change, and watched for indexes that start or stop failing
// (said once in the log, and in every document's status).
import { join } from 'node:path';
import type { IndexNotice, PackageIndex } from '../index/packageIndex';
import type { IndexRuntime, IndexRuntimeOptions } from '../index/runtime';
import type { Logger } from '../log';
import { describeIndexSource, type IndexStatus } from '../protocol';
import type { SettingsStore } from './settingsStore';

export type RuntimeFactory = (options: Pick<IndexRuntimeOptions, 'settings' | 'editorHttp' | 'cacheDir' | 'onNotice'>) => IndexRuntime;

export class IndexSession {
  private built: Promise<IndexRuntime | undefined> | undefined;
  /** Indexes (redacted origins) currently answered from the cache because they fail. */
  private readonly stale = new Map<string, Extract<IndexNotice, { kind: 'stale' }>>();
  /** The client's storage folder: the persisted cache lives under it. */
  storagePath: string | undefined;

  constructor(
    private readonly factory: RuntimeFactory | undefined,
    private readonly settings: SettingsStore,
    private readonly log: Logger,
    /** An index started or stopped failing: documents should be validated again. */
    private readonly onChange: () => void,
  ) {}

  runtime(): Promise<IndexRuntime | undefined> {
    const factory = this.factory;
    if (!factory) return Promise.resolve(undefined);
    this.built ??= (async () => {
      const settings = await this.settings.window();
      const editorHttp = await this.settings.editorHttp();
      return factory({ settings, editorHttp, cacheDir: this.storagePath && join(this.storagePath, 'index-cache'), onNotice: (notice) => this.notice(notice) });
    })();
    return this.built;
  }

  /** Settings changed: the next request builds a new runtime; the old one is closed. */
  reset(): void {
    const previous = this.built;
    this.built = undefined;
    void previous?.then((runtime) => runtime?.close());
  }

  async clearMemory(): Promise<void> {
    (await this.runtime())?.client.clearMemory();
  }

  async close(): Promise<void> {
    await (await this.built)?.close();
  }

  /** What the status bar shows about the index of a document that installs from `index`. */
  statusOf(uri: string, index: PackageIndex): Omit<IndexStatus, 'targets'> {
    const { effective } = index;
    const origin = effective.primary && originOf(effective.primary);
    const stale = origin ? this.stale.get(origin) : undefined;
    return {
      uri,
      ...(effective.primary ? { primary: effective.primary } : {}),
      extra: effective.extra,
      findLinks: effective.findLinks,
      source: effective.source,
      ...(effective.sourceDetail ? { sourceDetail: effective.sourceDetail } : {}),
      offline: effective.offline,
      ...(stale ? { stale: { index: stale.index, message: stale.error.message, cachedAt: stale.cachedAt } } : {}),
      ...(effective.ignoredFileOptions.length ? { ignoredFileOptions: effective.ignoredFileOptions } : {}),
    };
  }

  /** The debug line saying where a document installs from (every URL in a status is redacted already). */
  describe(status: Omit<IndexStatus, 'targets'>): string {
    const more = [
      ...status.extra.map((url) => `extra ${url}`),
      ...status.findLinks.map((url) => `find-links ${url}`),
      ...(status.offline ? ['offline'] : []),
      ...(status.ignoredFileOptions ? [`not followed until the workspace is trusted: ${status.ignoredFileOptions.join(', ')}`] : []),
    ];
    return `${status.primary ?? '--no-index'} (${describeIndexSource(status.source, status.sourceDetail)})${more.length ? `; ${more.join(', ')}` : ''}`;
  }

  private notice(notice: IndexNotice): void {
    if (notice.kind === 'stale') {
      this.stale.set(notice.index, notice);
      this.log.warn(`${notice.index} is failing (${notice.error.message}); using cached data from ${new Date(notice.cachedAt).toISOString()}`);
    } else {
      this.stale.delete(notice.index);
      this.log.info(`${notice.index} answers again`);
    }
    this.onChange();
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
