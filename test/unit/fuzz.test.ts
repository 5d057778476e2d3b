// Deterministic fuzzing of the parsers and the diagnostics: random texts, mutations of every real
// file in the corpus (requirements/, setup_py/, setup_cfg/, pyproject/), and a few pathological
// shapes. For each input, parseRequirementsFile, analyzeSetupPy, the setup.cfg and pyproject.toml
// readers and computeDiagnostics (as requirements.txt, *.in, setup.py, setup.cfg and pyproject.toml,
// with includes and a fake disk) must not throw, every span must lie inside the text, and
// each step must finish quickly: the time bound is a guard against hangs and catastrophic regex
// backtracking, not a benchmark. Set REQGUARD_FUZZ_SEED / REQGUARD_FUZZ_ROUNDS to explore further;
// a failure prints the seed and the input so it can be replayed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedDocument } from '../../server/src/engine/documents';
import { computeDiagnostics, findingsFor } from '../../server/src/features/diagnostics';
import type { PathKind, PathProbe } from '../../server/src/pip/localPaths';
import { resolveIncludes, type TextReader } from '../../server/src/pip/includes';
import { parseRequirementsFile, type RequirementsDocument } from '../../server/src/parser/requirementsFile';
import type { Span } from '../../server/src/parser/types';
import { declaredSpan, type Declarations } from '../../server/src/parser/declared';
import { pyprojectDeclarations } from '../../server/src/parser/pyproject';
import { setupCfgDeclarations } from '../../server/src/parser/setupCfg';
import { declarationsOf } from '../../server/src/parser/setupPyDeclarations';
import { analyzeSetupPy } from '../../server/src/parser/setupPy';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { corpusDir } from '../helpers/corpus';
import { collectSpans, mutate, pathologicalShapes, Random, randomRequirementsFile, randomSetupPy, randomText } from '../helpers/fuzz';

const SEED = Number(process.env.REQGUARD_FUZZ_SEED ?? 20240611);
/** Mutants per corpus file. */
const ROUNDS = Number(process.env.REQGUARD_FUZZ_ROUNDS ?? 6);
const RANDOM_TEXTS = 2500;
const RANDOM_FILES = 800;
/**
 * Per step and input: a guard against runaway (quadratic or worse) parsing, not a speed target
 * (benchmarks measure speed). Normal steps take a few ms; the margin absorbs a loaded CI machine.
 */
const STEP_LIMIT_MS = 2000;

const ENV = { X: 'expanded value', PATH: '/usr/bin', EMPTY: '' };

/** Included files: one that loops back, one that switches hash mode on, one that goes deeper. */
const INCLUDED: Record<string, string> = {
  '/fuzz/base.txt': `six==1.16.0 --hash=sha256:${'a'.repeat(64)}\n-r nested.txt\n`,
  '/fuzz/nested.txt': '--require-hashes\n-r requirements.txt\n-c base.txt\n',
};
const reader: TextReader = { read: (path) => INCLUDED[path] ?? (path.endsWith('.txt') && path.length % 3 === 0 ? 'pkg>=1\n' : undefined) };

/** A disk that answers from the path's characters, so every path kind comes up. */
const disk: PathProbe = {
  kind: (path): PathKind => (['file', 'directory', 'missing'] as const)[hash(path) % 3],
  isInstallableDirectory: (path) => hash(path) % 2 === 0,
};

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return h;
}

interface Failure {
  readonly label: string;
  readonly problem: string;
  readonly text: string;
}

function describeFailure(failure: Failure): string {
  const shown = failure.text.length > 600 ? `${JSON.stringify(failure.text.slice(0, 600))}… (${failure.text.length} chars)` : JSON.stringify(failure.text);
  return `${failure.label}: ${failure.problem}\n  input: ${shown}`;
}

/** Runs one step, timing it; a throw or a slow step becomes a failure. */
function step<T>(failures: Failure[], label: string, name: string, text: string, run: () => T): T | undefined {
  const started = performance.now();
  try {
    return run();
  } catch (error) {
    failures.push({ label, problem: `${name} threw ${error instanceof Error ? error.stack ?? error.message : String(error)}`, text });
    return undefined;
  } finally {
    const elapsed = performance.now() - started;
    if (elapsed > STEP_LIMIT_MS) failures.push({ label, problem: `${name} took ${elapsed.toFixed(0)} ms (limit ${STEP_LIMIT_MS} ms)`, text });
  }
}

function checkSpans(failures: Failure[], label: string, name: string, text: string, value: unknown, within: Span = { start: 0, end: text.length }): boolean {
  for (const span of collectSpans(value)) {
    const ok = Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= within.start && span.start <= span.end && span.end <= within.end;
    if (!ok) {
      failures.push({ label, problem: `${name}: span ${span.path} = [${span.start}, ${span.end}) is outside [${within.start}, ${within.end}]`, text });
      return false; // one bad span per input is enough to see the problem
    }
  }
  return true;
}

/**
 * Every span of an entry lies inside the entry's own lines: a span mapped from the wrong stage of
 * the line (before ${VAR} expansion, relative to the requirement text) lands outside them even
 * when it happens to stay inside the document.
 */
function checkRequirementSpans(failures: Failure[], label: string, text: string, parsed: RequirementsDocument): void {
  if (!checkSpans(failures, label, 'parseRequirementsFile', text, parsed)) return;
  for (const [index, entry] of parsed.entries.entries()) {
    if (!checkSpans(failures, label, `parseRequirementsFile entries[${index}]`, text, { ...entry, span: undefined }, entry.span)) return;
  }
}

/** What pip and Python make of a text, in a form that does not depend on offsets. */
function requirementsSummary(text: string): string {
  const parsed = parseRequirementsFile(text);
  return JSON.stringify([
    parsed.entries.map((e) => [e.kind, e.line, e.lineEnd, e.text, e.rejected, e.kind === 'requirement' ? [e.name, e.specifiers.map((s) => s.text), e.hashes.map((h) => h.digest)] : null]),
    parsed.problems.map((p) => `${p.code}: ${p.message}`),
  ]);
}

function setupSummary(text: string): string {
  const analysis = analyzeSetupPy(text);
  return JSON.stringify([
    analysis.status,
    analysis.syntaxError?.message,
    // a dynamic item's value is its source text, line breaks included
    analysis.calls.map((c) => Object.values(c.keywords).map((k) => [k.status, k.items.map((i) => [i.kind, i.kind === 'dynamic' ? '' : i.value])])),
  ]);
}

/** pip (str.splitlines) and Python (universal newlines) read LF and CRLF files alike. */
function checkLineEndings(failures: Failure[], label: string, text: string): void {
  if (text.includes('\r') || !text.includes('\n') || text.length > 50_000) return;
  const crlf = text.replace(/\n/g, '\r\n');
  if (requirementsSummary(text) !== requirementsSummary(crlf)) failures.push({ label, problem: 'parseRequirementsFile reads the CRLF copy differently', text });
  if (setupSummary(text) !== setupSummary(crlf)) failures.push({ label, problem: 'analyzeSetupPy reads the CRLF copy differently', text });
}

function exercise(failures: Failure[], label: string, text: string): void {
  const parsed = step(failures, label, 'parseRequirementsFile', text, () => parseRequirementsFile(text, { env: ENV }));
  if (parsed) checkRequirementSpans(failures, label, text, parsed);
  const analysis = step(failures, label, 'analyzeSetupPy', text, () => analyzeSetupPy(text));
  if (analysis) {
    // analyzeSetupPy catches its own exceptions and reports them here: that is a crash too.
    if (analysis.internalError) failures.push({ label, problem: `analyzeSetupPy failed internally: ${analysis.internalError}`, text });
    checkSpans(failures, label, 'analyzeSetupPy', text, analysis);
  }

  const document = TextDocument.create('file:///fuzz/requirements.txt', 'pip-requirements', 1, text);
  const analyzed: AnalyzedDocument[] = [];
  if (parsed) analyzed.push({ family: 'requirements', kind: 'requirements', text, document, parsed }, { family: 'requirements', kind: 'requirements-in', text, document, parsed });
  if (analysis) analyzed.push({ family: 'manifest', kind: 'setup-py', text, document, declarations: declarationsOf(analysis) });
  for (const [kind, read] of [['setup-cfg', setupCfgDeclarations], ['pyproject-toml', pyprojectDeclarations]] as const) {
    const declarations = step(failures, label, kind, text, () => read(text));
    if (declarations && checkDeclarationSpans(failures, label, kind, text, declarations)) analyzed.push({ family: 'manifest', kind, text, document, declarations });
  }
  const includes = parsed && step(failures, label, 'resolveIncludes', text, () => resolveIncludes(parsed, '/fuzz/requirements.txt', reader, ENV));
  if (includes) checkSpans(failures, label, 'resolveIncludes', text, includes.map((include) => include.includeSpan));
  for (const item of analyzed) {
    const deps = { includes: includes ?? undefined, paths: disk };
    const findings = step(failures, label, `findingsFor(${item.kind})`, text, () => findingsFor(item, deps));
    if (findings) checkSpans(failures, label, `findingsFor(${item.kind})`, text, findings);
    const diagnostics = step(failures, label, `computeDiagnostics(${item.kind})`, text, () => computeDiagnostics(item, DEFAULT_SETTINGS, deps));
    if (diagnostics && findings && diagnostics.length !== findings.length) {
      failures.push({ label, problem: `computeDiagnostics(${item.kind}) gave ${diagnostics.length} diagnostics for ${findings.length} findings`, text });
    }
  }
}

/** Spans of declarations, and every requirement's parts placed through the string's pieces. */
function checkDeclarationSpans(failures: Failure[], label: string, name: string, text: string, declarations: Declarations): boolean {
  if (!checkSpans(failures, label, name, text, declarations)) return false;
  const placed = declarations.requirements.flatMap(({ string, parsed }) => (parsed.ok ? [declaredSpan(string, parsed.value.nameSpan)] : [declaredSpan(string, parsed.span)]));
  return checkSpans(failures, label, `${name} (placed)`, text, placed);
}

function corpusFiles(): Array<{ name: string; text: string }> {
  const dir = corpusDir();
  const files: Array<{ name: string; text: string }> = [];
  for (const folder of ['requirements', 'setup_py', 'setup_cfg', 'pyproject']) {
    for (const name of readdirSync(join(dir, folder)).sort()) {
      files.push({ name: `${folder}/${name}`, text: readFileSync(join(dir, folder, name), 'utf8') });
    }
  }
  return files;
}

function assertNoFailures(failures: readonly Failure[], what: string): void {
  if (failures.length === 0) return;
  const shown = failures.slice(0, 8).map(describeFailure).join('\n');
  assert.fail(`${failures.length} failure(s) fuzzing ${what} (seed ${SEED}):\n${shown}`);
}

test('fuzz: random texts', () => {
  const random = new Random(SEED);
  const failures: Failure[] = [];
  for (let i = 0; i < RANDOM_TEXTS; i++) {
    const text = randomText(random, i % 10 === 0 ? 300 : 40);
    exercise(failures, `random #${i}`, text);
  }
  assertNoFailures(failures, 'random texts');
});

test('fuzz: generated requirements files and setup.py files, as is and mutated', () => {
  const random = new Random(SEED ^ 0x5e7);
  const failures: Failure[] = [];
  for (let i = 0; i < RANDOM_FILES; i++) {
    const text = i % 3 === 2 ? randomSetupPy(random) : randomRequirementsFile(random, 30);
    exercise(failures, `generated #${i}`, text);
    checkLineEndings(failures, `generated #${i}`, text);
    exercise(failures, `generated #${i} mutant`, mutate(random, text, 6));
  }
  assertNoFailures(failures, 'generated files');
});

test('fuzz: every corpus file as is and mutated', () => {
  const files = corpusFiles();
  assert.ok(files.some((f) => f.name.startsWith('requirements/')) && files.some((f) => f.name.startsWith('setup_py/')), 'corpus folders are empty');
  const failures: Failure[] = [];
  files.forEach((file, index) => {
    const random = new Random(SEED + index + 1);
    exercise(failures, file.name, file.text);
    checkLineEndings(failures, file.name, file.text);
    for (let round = 0; round < ROUNDS; round++) {
      const mutant = mutate(random, file.text, 1 + round * 3);
      exercise(failures, `${file.name} mutant #${round}`, mutant);
      checkLineEndings(failures, `${file.name} mutant #${round}`, mutant);
    }
  });
  assertNoFailures(failures, 'the corpus');
});

test('fuzz: pathological shapes stay fast', () => {
  const failures: Failure[] = [];
  const random = new Random(SEED ^ 0xbad);
  const shapes = pathologicalShapes(random);
  for (const [label, text] of Object.entries(shapes)) exercise(failures, label, text);
  assertNoFailures(failures, 'pathological shapes');
});
