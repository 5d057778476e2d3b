// Quick fixes from the index: pin an entry to the release pip would pick (or the latest), add its
// hashes, move a pin forward, leave a vulnerable release, keep a project that is on two indexes
// to one of them; and "Pin and hash all" for the whole
// file (source.fixAll.reqguard, built from planFixes). Every edit is one rewrite of one entry in
// pip-compile's layout (entryEdit), so applying a fix twice changes nothing.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './document';
import type { PackageIndex, ProjectData } from '../index/packageIndex';
import { oneIndexEdits, releasesOn } from '../pip/dependencyConfusion';
import { mergeAdvisories } from './indexDiagnostics/vulnerabilities';
import { refreshedHashes } from './indexDiagnostics/lock';
import { packageAt } from '../parser/pylock';
import type { RequirementEntry } from '../parser/requirementsFile';
import type { Span } from '../parser/types';
import { rewriteEntry, type EntryChange, type TextReplacement } from '../pip/entryEdit';
import { digestDifference, order, pickOptions, planFixes, releaseDigests, safeUpgrade, unfixableReason, updateTarget, type Digests, type FixPlan, type FixTargets } from '../pip/fixPlan';
import { isConflictData } from './indexDiagnostics/dependencies';
import { parseRequirement } from '../parser/pep508';
import { loadProjectInfo, partialBecause, pinnedVersion, specifierText } from '../pip/projectInfo';
import type { TargetEnvironment } from '../pip/environment';
import { latestReleases, oldEnough, pickForEntry, pickRelease, releaseFor, type Release } from '../pip/releases';

/** The kind of the document-wide fix (a sub-kind of source.fixAll, so "fix all on save" runs it). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.reqguard`;

/**
 * What a `vulnerable` diagnostic carries in `data`: the advisories of the pinned release and the
 * versions their advisories say fix them (as the JSON API's `fixed_in` lists them, any branch).
 */
export interface VulnerableData {
  readonly ids: readonly string[];
  readonly fixedIn: readonly string[];
}

export function isVulnerableData(data: unknown): data is VulnerableData {
  const record = data as Partial<VulnerableData> | null;
  const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
  return typeof record === 'object' && record !== null && strings(record.ids) && strings(record.fixedIn);
}

export interface CodeActionDeps {
  readonly index: PackageIndex;
  /** Where the file is installed: pins go to releases every target can install. */
  readonly targets?: readonly TargetEnvironment[];
  /** The cooldown (reqguard.minimumReleaseAge): only releases uploaded before then are picked. */
  readonly uploadedBefore?: number;
  /** Which files' hashes are written; default: every file of the release. */
  readonly hashTargets?: FixTargets;
  readonly signal?: AbortSignal;
  readonly uri: string;
  readonly toRange: (span: Span) => Range;
  /**
   * The edits the fix-all action makes in the files this one includes (hash mode reaches them),
   * asked for only with the fix-all action; absent: this file alone.
   */
  readonly includedFixes?: () => Promise<readonly { readonly uri: string; readonly edits: readonly TextEdit[] }[]>;
  /** The whole-file plan of the fix-all action (the engine's, which completes the file); default: pins and hashes alone. */
  readonly planAll?: () => Promise<FixPlan>;
  /** The entries that complete the file (asked for when a missing-dependency diagnostic is in the request). */
  readonly missingDependencies?: () => Promise<MissingDependencies | undefined>;
}

/** What adding the missing dependencies writes: the new entries and where they go. */
export interface MissingDependencies {
  readonly added: readonly { readonly name: string; readonly version: string }[];
  readonly insertions: readonly TextReplacement[];
  readonly hashed: boolean;
}

export interface CodeActionRequest {
  readonly diagnostics: readonly Diagnostic[];
  readonly only?: readonly string[];
}

/** LSP's kind hierarchy: `source` asks for `source.fixAll.reqguard` too; '' asks for everything. */
function kindMatches(kind: string, requested: string): boolean {
  return requested === '' || kind === requested || kind.startsWith(`${requested}.`);
}

/** Per-entry context: the text, the diagnostics on the entry, and helpers that build edits. */
interface EntryContext {
  readonly text: string;
  readonly entry: RequirementEntry;
  readonly releases: readonly Release[];
  readonly diagnostics: readonly Diagnostic[];
  readonly deps: CodeActionDeps;
  /** Digests of a release's files, computed once per version. */
  digests(release: Release): Promise<Digests>;
}

function workspaceEdit(deps: CodeActionDeps, replacements: readonly TextReplacement[]): WorkspaceEdit {
  const edits: TextEdit[] = replacements.map(({ span, newText }) => ({ range: deps.toRange(span), newText }));
  return { changes: { [deps.uri]: edits } };
}

function quickFix(ctx: EntryContext, title: string, change: EntryChange, codes: readonly string[], isPreferred = false): CodeAction | undefined {
  const replacement = rewriteEntry(ctx.text, ctx.entry, change);
  if (!replacement) return undefined;
  const diagnostics = ctx.diagnostics.filter((diagnostic) => codes.includes(String(diagnostic.code)));
  return {
    title,
    kind: CodeActionKind.QuickFix,
    edit: workspaceEdit(ctx.deps, [replacement]),
    ...(diagnostics.length ? { diagnostics } : {}),
    ...(isPreferred ? { isPreferred } : {}),
  };
}

/** A pin to `release`, with its hashes when asked for or when the entry is hashed already (old hashes would be wrong). */
async function pinAction(ctx: EntryContext, release: Release, title: string, options: { hash?: boolean; codes: readonly string[]; preferred?: boolean }): Promise<CodeAction | undefined> {
  const rehash = options.hash || ctx.entry.hashes.length > 0;
  if (!rehash) return quickFix(ctx, title, { version: release.version }, options.codes, options.preferred);
  const digests = await ctx.digests(release);
  return digests.ok ? quickFix(ctx, title, { version: release.version, sha256: digests.sha256 }, options.codes, options.preferred) : undefined;
}

function hasCode(ctx: EntryContext, ...codes: string[]): boolean {
  return ctx.diagnostics.some((diagnostic) => codes.includes(String(diagnostic.code)));
}

async function unpinnedActions(ctx: EntryContext): Promise<(CodeAction | undefined)[]> {
  const { entry, releases, deps } = ctx;
  const hashed = entry.hashes.length > 0;
  const chosen = pickForEntry(releases, entry, pickOptions(deps, specifierText(entry)));
  const latest = latestReleases(releases.filter((release) => release.files.length > 0 && oldEnough(release, deps.uploadedBefore))).final;
  const suffix = hashed ? ' and rehash' : '';
  const codes = ['unpinned', 'unhashed'];
  const preferred = hasCode(ctx, ...codes);
  return Promise.all([
    // Unhashed entries get a plain pin and a pin with hashes; a hashed one always needs new hashes.
    chosen && !hashed ? pinAction(ctx, chosen, `Pin to ${chosen.version}`, { codes: ['unpinned'] }) : undefined,
    // "Latest" only when it is newer than pip's pick (with --pre the pick may be a newer pre-release).
    latest && (!chosen || order(latest.version, chosen.version) > 0) ? pinAction(ctx, latest, `Pin to latest ${latest.version}${suffix}`, { codes: ['unpinned', 'no-matching-version'] }) : undefined,
    chosen ? pinAction(ctx, chosen, hashed ? `Pin to ${chosen.version}${suffix}` : `Pin to ${chosen.version} and add hashes`, { hash: true, codes, preferred }) : undefined,
  ]);
}

async function pinnedActions(ctx: EntryContext, pinned: string): Promise<(CodeAction | undefined)[]> {
  const { entry, releases, deps } = ctx;
  const actions: Promise<CodeAction | undefined>[] = [];
  const current = releaseFor(releases, pinned);
  if (current) {
    actions.push(
      ctx.digests(current).then((digests) => {
        if (!digests.ok) return undefined;
        const { missing, extra } = digestDifference(entry, digests.sha256);
        if (!missing && !extra) return undefined;
        const files = `${digests.sha256.length} file${digests.sha256.length === 1 ? '' : 's'}`;
        const title = !entry.hashes.length ? `Add hashes for ${pinned} (${files})` : extra ? `Replace hashes with those of ${pinned} (${files})` : `Complete hashes for ${pinned} (${files})`;
        return quickFix(ctx, title, { sha256: digests.sha256 }, ['unhashed', 'hash-mismatch'], hasCode(ctx, 'unhashed', 'hash-mismatch'));
      }),
    );
  }
  // The same move as "Update all" (planFixes with update).
  const target = updateTarget(releases, pinned, pickOptions(deps, ''));
  if (target?.direction === 'up') {
    const title = `Update to ${target.release.version} and ${entry.hashes.length ? 'rehash' : 'add hashes'}`;
    actions.push(pinAction(ctx, target.release, title, { hash: true, codes: ['outdated', 'yanked', 'unknown-version', 'unhashed'] }));
  } else if (target) {
    // A yanked or missing pin past every usable release: the way out is back down.
    actions.push(pinAction(ctx, target.release, `Pin to ${target.release.version}${entry.hashes.length ? ' and rehash' : ''}`, { codes: ['yanked', 'unknown-version'] }));
  }
  return Promise.all(actions);
}

async function vulnerableActions(ctx: EntryContext, pinned: string | undefined): Promise<(CodeAction | undefined)[]> {
  const vulnerable = ctx.diagnostics.filter((diagnostic) => diagnostic.code === 'vulnerable' && isVulnerableData(diagnostic.data));
  if (vulnerable.length === 0) return [];
  // One upgrade for every advisory on the entry: a release that fixes one but not another is no fix.
  const data: VulnerableData = {
    ids: [...new Set(vulnerable.flatMap((diagnostic) => (diagnostic.data as VulnerableData).ids))],
    fixedIn: [...new Set(vulnerable.flatMap((diagnostic) => (diagnostic.data as VulnerableData).fixedIn))],
  };
  const { deps, entry } = ctx;
  const advisoriesOf = async (version: string) => {
    const details = await deps.index.details(entry.normalizedName!, version, deps.signal);
    return details && mergeAdvisories(details.vulnerabilities, []);
  };
  const target = await safeUpgrade(ctx.releases, data.fixedIn, pinned, pickOptions(deps, ''), advisoriesOf);
  if (!target) return [];
  const ids = data.ids.length > 3 ? `${data.ids.slice(0, 3).join(', ')} and ${data.ids.length - 3} more` : data.ids.join(', ');
  return [await pinAction(ctx, target, `Upgrade to ${target.version} (fixes ${ids})`, { codes: ['vulnerable'], preferred: true })];
}

/** Indexes a confusion fix is offered for, at most: each is one action (two for a pin and its hashes). */
const MAX_CONFUSION_INDEXES = 4;

/**
 * For a project on several indexes (dependency-confusion): per index, its release pinned with the
 * digests of that index's files only, so pip refuses every other copy; and "install from this
 * index alone", the file's index options rewritten to one --index-url.
 */
async function confusionActions(ctx: EntryContext, analysis: AnalyzedDocument & { family: 'requirements' }, data: ProjectData): Promise<(CodeAction | undefined)[]> {
  const confusion = ctx.diagnostics.filter((diagnostic) => diagnostic.code === 'dependency-confusion');
  if (confusion.length === 0) return [];
  const { entry, deps } = ctx;
  const pinned = pinnedVersion(entry);
  const indexes = data.indexes.slice(0, MAX_CONFUSION_INDEXES);
  const pins = indexes.map(async ({ source }) => {
    const releases = releasesOn(data, source);
    const release = pinned !== undefined ? releaseFor(releases, pinned) : pickRelease(releases, pickOptions(deps, specifierText(entry)));
    if (!release) return undefined;
    const digests = await releaseDigests(deps.index, release, deps.hashTargets, deps.signal);
    if (!digests.ok) return undefined;
    const title = pinned !== undefined ? `Hash only the files of ${release.version} from ${source}` : `Pin to ${release.version} and hash only the files from ${source}`;
    return quickFix(ctx, title, { ...(pinned === undefined ? { version: release.version } : {}), sha256: digests.sha256 }, ['dependency-confusion']);
  });
  // A redacted URL (user:****@) cannot be written back.
  const oneIndex = indexes.filter(({ source }) => !source.includes('@')).map(({ source }): CodeAction | undefined => {
    const edits = oneIndexEdits(analysis.parsed, source);
    return edits && { title: `Install from one index only: --index-url ${source}`, kind: CodeActionKind.QuickFix, edit: workspaceEdit(deps, edits), diagnostics: confusion };
  });
  return [...(await Promise.all(pins)), ...oneIndex];
}

/** On dependency-conflict: the newest version of the pinned project that every requiring release admits. */
async function conflictActions(ctx: EntryContext): Promise<(CodeAction | undefined)[]> {
  const conflicts = ctx.diagnostics.filter((diagnostic) => diagnostic.code === 'dependency-conflict' && isConflictData(diagnostic.data));
  if (conflicts.length === 0) return [];
  const clauses: string[] = [];
  for (const diagnostic of conflicts) {
    if (!isConflictData(diagnostic.data)) continue;
    for (const requirement of diagnostic.data.requirements) {
      const parsed = parseRequirement(requirement);
      if (!parsed.ok) return [];
      clauses.push(...parsed.value.specifiers.map((clause) => clause.text));
    }
  }
  const release = pickRelease(ctx.releases, pickOptions(ctx.deps, clauses.join(',')));
  if (!release || release.version === pinnedVersion(ctx.entry)) return [];
  return [await pinAction(ctx, release, `Pin to ${release.version} (satisfies ${clauses.join(',')})`, { codes: ['dependency-conflict'], preferred: true })];
}

async function entryActions(analysis: AnalyzedDocument, entry: RequirementEntry, diagnostics: readonly Diagnostic[], deps: CodeActionDeps): Promise<CodeAction[]> {
  const info = await loadProjectInfo(deps.index, entry.normalizedName!, deps.signal);
  // An index failure is the diagnostics' news; a quick fix without data, or with part of it (a pick
  // or hashes from the sources that answered), has nothing right to offer.
  if (!info.data.ok || partialBecause(info.data.value)) return [];
  const cache = new Map<string, Promise<Digests>>();
  const ctx: EntryContext = {
    text: analysis.document.getText(),
    entry,
    releases: info.releases,
    diagnostics,
    deps,
    digests(release) {
      let digests = cache.get(release.version);
      if (!digests) cache.set(release.version, (digests = releaseDigests(deps.index, release, deps.hashTargets, deps.signal)));
      return digests;
    },
  };
  const pinned = pinnedVersion(entry);
  const groups = await Promise.all([
    pinned === undefined ? unpinnedActions(ctx) : pinnedActions(ctx, pinned),
    vulnerableActions(ctx, pinned),
    analysis.family === 'requirements' ? confusionActions(ctx, analysis, info.data.value) : [],
    conflictActions(ctx),
  ]);
  return groups.flat().filter((action): action is CodeAction => action !== undefined);
}

/**
 * Code actions for the entries touching `range` (document offsets), and the document-wide
 * "Pin and hash all" when `context.only` asks for it: it plans every entry (and may download
 * files to hash them), so it is not computed for every lightbulb request, which never shows
 * source actions anyway.
 */
export async function codeActions(analysis: AnalyzedDocument, range: Span, context: CodeActionRequest, deps: CodeActionDeps): Promise<CodeAction[]> {
  if (analysis.family === 'lock') return refreshHashActions(analysis, context, deps);
  // Pins are wrong in a pip-compile input and in a library manifest; only requirements files get fixes.
  if (analysis.kind !== 'requirements') return [];
  const { document } = analysis;
  const wantQuickFixes = !context.only || context.only.some((kind) => kindMatches(CodeActionKind.QuickFix, kind));
  const wantFixAll = !!context.only?.some((kind) => kindMatches(FIX_ALL_KIND, kind));

  const entries = wantQuickFixes
    ? analysis.parsed.entries.filter(
        (entry): entry is RequirementEntry =>
          entry.kind === 'requirement' && entry.span.start <= range.end && range.start <= entry.span.end && !unfixableReason(analysis, entry),
      )
    : [];
  const onEntry = (entry: RequirementEntry) =>
    context.diagnostics.filter((diagnostic) => {
      const start = document.offsetAt(diagnostic.range.start);
      const end = document.offsetAt(diagnostic.range.end);
      return start <= entry.span.end && entry.span.start <= end;
    });
  const missingHere = wantQuickFixes ? context.diagnostics.filter((diagnostic) => diagnostic.code === 'missing-dependency') : [];
  const [perEntry, plan, included, missing] = await Promise.all([
    Promise.all(entries.map((entry) => entryActions(analysis, entry, onEntry(entry), deps))),
    wantFixAll ? (deps.planAll ? deps.planAll() : planFixes(analysis, deps, { pin: true, hash: true, hashTargets: deps.hashTargets })) : undefined,
    wantFixAll && deps.includedFixes ? deps.includedFixes() : [],
    missingHere.length && deps.missingDependencies ? deps.missingDependencies() : undefined,
  ]);
  if (deps.signal?.aborted) return [];
  const actions = perEntry.flat();
  if (missing && missing.added.length > 0) {
    const count = missing.added.length;
    actions.push({
      title: `Add ${count} missing ${count === 1 ? 'dependency' : 'dependencies'} (pinned${missing.hashed ? ' and hashed' : ''})`,
      kind: CodeActionKind.QuickFix,
      edit: workspaceEdit(deps, missing.insertions),
      diagnostics: missingHere,
      isPreferred: true,
    });
  }
  const fixed = (plan?.replacements.length ?? 0) + included.reduce((sum, file) => sum + file.edits.length, 0);
  if (plan && fixed > 0) {
    const edit = workspaceEdit(deps, plan.replacements);
    for (const file of included) edit.changes![file.uri] = [...file.edits];
    const files = included.length + (plan.replacements.length > 0 ? 1 : 0);
    actions.push({
      title: `Pin and hash all requirements (${fixed} ${fixed === 1 ? 'entry' : 'entries'}${files > 1 ? ` in ${files} files` : ''})`,
      kind: FIX_ALL_KIND,
      edit,
      diagnostics: context.diagnostics.filter((diagnostic) => ['unpinned', 'unhashed', 'hash-mode-include', 'missing-dependency'].includes(String(diagnostic.code))),
    });
  }
  return actions;
}

/**
 * pylock.toml's one quick fix, for its `hash-mismatch` diagnostics: "Refresh hashes" of the
 * package, from the index. Everything else in a lock file is the lock command's to regenerate.
 */
async function refreshHashActions(analysis: AnalyzedDocument & { family: 'lock' }, context: CodeActionRequest, deps: CodeActionDeps): Promise<CodeAction[]> {
  if (context.only && !context.only.some((kind) => kindMatches(CodeActionKind.QuickFix, kind))) return [];
  const { lock, text, document } = analysis;
  const packageOf = (diagnostic: Diagnostic) => packageAt(lock, document.offsetAt(diagnostic.range.start));
  const mismatches = context.diagnostics.filter((diagnostic) => diagnostic.code === 'hash-mismatch');
  const packages = [...new Set(mismatches.map(packageOf))];
  const actions = await Promise.all(
    packages.map(async (pkg) => {
      if (!pkg) return undefined;
      const replacements = await refreshedHashes(text, pkg, deps);
      if (replacements.length === 0) return undefined;
      const action: CodeAction = {
        title: `Refresh hashes of ${pkg.name!.value} ${pkg.version!.value} from the index`,
        kind: CodeActionKind.QuickFix,
        edit: workspaceEdit(deps, replacements),
        diagnostics: mismatches.filter((diagnostic) => packageOf(diagnostic) === pkg),
        isPreferred: true,
      };
      return action;
    }),
  );
  return deps.signal?.aborted ? [] : actions.filter((action): action is CodeAction => action !== undefined);
}
