// Everything the handlers need about one open document at its current version: the engine's
// analysis (includes through open buffers first, then the disk), its settings, its index and its
// target environments, the analysis and the index made once per version.
import type { CancellationToken, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { REQUIREMENTS_LANGUAGE_ID } from '../protocol';
import { cooldownCutoff } from '../features/indexDiagnostics/cooldown';
import { analyzeFile, fileIndex, type AnalyzedFile, type FeatureContext, type FileSources } from '../engine/engine';
import type { PackageIndex } from '../index/packageIndex';
import { isUnreadFile } from '../parser/documentKinds';
import type { IndexRuntime } from '../index/runtime';
import type { TargetEnvironment } from '../pip/environment';
import type { TextReader } from '../pip/includes';
import type { PathProbe } from '../pip/localPaths';
import type { ReqguardSettings } from '../settings';
import type { DocumentSessions } from './documentSessions';
import type { IndexSession } from './indexSession';
import type { SettingsStore } from './settingsStore';
import type { TargetSession } from './targetSession';
import { installerFor, installerNeedsInterpreter, type InstallerChoice } from '../engine/installer';

export interface DocumentState extends AnalyzedFile {
  readonly version: number;
  readonly document: TextDocument;
  readonly settings: ReqguardSettings;
  readonly index?: PackageIndex;
  /** Where the document is installed; asked for only by what needs it. */
  targets(): Promise<readonly TargetEnvironment[]>;
  /**
   * The installer the verdicts are for: reqguard.installer, else the pip of the interpreter the
   * targets came from (the offline checks wait for an interpreter only then, once per interpreter).
   */
  installer(): Promise<InstallerChoice>;
}

/** What hover, completion and code actions need about the document. */
export async function featureContext(state: DocumentState, signal: AbortSignal): Promise<FeatureContext> {
  return { index: state.index, targets: await state.targets(), uploadedBefore: cooldownCutoff(state.settings, Date.now()), signal };
}

/** What the server reads from outside the editor (main.ts: the disk; tests: fixtures). */
export interface DocumentIo {
  /** Reads files that are not open in the editor (includes). */
  readonly files: TextReader;
  /** Turns a document URI into a file-system path, or undefined for non-file URIs. */
  readonly uriToPath: (uri: string) => string | undefined;
  /** Looks at local path requirements, relative to the folder of the file that names them. */
  readonly pathProbe?: (fromFile: string) => PathProbe;
  /** The environment for ${VAR} expansion. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export class DocumentStates {
  private readonly sources: FileSources;
  private readonly chosenIndexes = new WeakMap<AnalyzedFile, { readonly runtime: IndexRuntime; readonly settings: ReqguardSettings; readonly trusted: boolean; readonly index: PackageIndex }>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly sessions: DocumentSessions,
    private readonly settings: SettingsStore,
    private readonly indexes: IndexSession,
    private readonly targets: TargetSession,
    private readonly io: DocumentIo,
  ) {
    // An open editor buffer wins over the disk, as the user sees it.
    const bufferOf = (path: string) => documents.all().find((document) => io.uriToPath(document.uri) === path);
    const reader: TextReader = {
      read: (path) => bufferOf(path)?.getText() ?? io.files.read(path),
      stamp: (path) => {
        const buffer = bufferOf(path);
        return buffer ? `${buffer.uri}@${buffer.version}` : io.files.stamp?.(path);
      },
    };
    this.sources = { reader, pathProbe: io.pathProbe, env: io.env };
  }

  /**
   * The document's state, or undefined when it is closed, changed while its settings were read, or
   * a kind of file reqguard does not read (a user's glob may send a lock file).
   */
  async of(uri: string): Promise<DocumentState | undefined> {
    const document = this.documents.get(uri);
    if (!document || isUnreadFile(this.io.uriToPath(uri) ?? new URL(uri).pathname)) return undefined;
    const { version } = document;
    const session = this.sessions.get(uri);
    const settings = await session.settings((scope) => this.settings.forDocument(scope));
    const current = this.documents.get(uri);
    if (!current || current.version !== version) return undefined;
    const onDisk = this.io.uriToPath(uri);
    const path = onDisk ?? new URL(uri).pathname;
    const file = session.analyzed(version, (earlier) => analyzeFile(current, path, this.sources, { onDisk: onDisk !== undefined, earlier }));
    const runtime = await this.indexes.runtime();
    return { ...file, version, document: current, settings, index: runtime && this.indexOf(file, runtime, settings), targets: () => this.targets.targetsFor(uri, settings), installer: () => this.installerOf(uri, settings) };
  }

  /**
   * The state of a file that is not open ("Check all dependency files"): read through the same
   * reader as includes (an open buffer first, else the disk), analyzed as the editor would, with
   * version 0 and no session; undefined when it cannot be read.
   */
  async ofClosedFile(uri: string): Promise<DocumentState | undefined> {
    const path = this.io.uriToPath(uri);
    // A directory, a device or a file past the include reader's bound is not read either.
    const text = path === undefined ? undefined : this.sources.reader.read(path);
    if (path === undefined || typeof text !== 'string') return undefined;
    const document = TextDocument.create(uri, REQUIREMENTS_LANGUAGE_ID, 0, text);
    const settings = await this.settings.forDocument(uri);
    const file = analyzeFile(document, path, this.sources, { onDisk: true });
    const runtime = await this.indexes.runtime();
    return { ...file, version: 0, document, settings, index: runtime && fileIndex(runtime, file, settings, this.settings.workspaceTrusted), targets: () => this.targets.targetsFor(uri, settings), installer: () => this.installerOf(uri, settings) };
  }

  /** The installer profile: the setting alone when it names a version or uv, else with the document's targets. */
  private async installerOf(uri: string, settings: ReqguardSettings): Promise<InstallerChoice> {
    const targets = installerNeedsInterpreter(settings.installer) ? await this.targets.targetsFor(uri, settings) : [];
    return installerFor(settings.installer, 'reqguard.installer', targets);
  }

  /** The file's index, chosen once per version (and again when the runtime or the settings change). */
  private indexOf(file: AnalyzedFile, runtime: IndexRuntime, settings: ReqguardSettings): PackageIndex {
    const chosen = this.chosenIndexes.get(file);
    const trusted = this.settings.workspaceTrusted;
    if (chosen?.runtime === runtime && chosen.settings === settings && chosen.trusted === trusted) return chosen.index;
    const index = fileIndex(runtime, file, settings, trusted);
    this.chosenIndexes.set(file, { runtime, settings, trusted, index });
    return index;
  }

  /**
   * A request handler over the state of `params.textDocument`: `fallback` when the document is
   * gone, the client's cancellation as an AbortSignal.
   */
  handler<P extends { readonly textDocument: { readonly uri: string } }, R>(
    fallback: R,
    run: (state: DocumentState, params: P, signal: AbortSignal) => R | Promise<R>,
  ): (params: P, token: CancellationToken) => Promise<R> {
    return this.handlerFor((params) => params.textDocument.uri, fallback, run);
  }

  /** The same for requests that name their document another way. */
  handlerFor<P, R>(
    uriOf: (params: P) => string,
    fallback: R,
    run: (state: DocumentState, params: P, signal: AbortSignal) => R | Promise<R>,
  ): (params: P, token: CancellationToken) => Promise<R> {
    return async (params, token) => {
      const uri = uriOf(params);
      this.sessions.noteRequest(uri);
      const state = await this.of(uri);
      return state ? run(state, params, toSignal(token)) : fallback;
    };
  }
}

export function toSignal(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
