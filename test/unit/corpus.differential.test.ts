// Differential test: every requirements file of the corpus (test/corpus), parsed by reqguard, must agree
// entry by entry with what pip's own parser made of it (expected/*.json, from test/tools/pip_oracle.py).
// Includes are followed through the manifest as the oracle does; local paths are judged against an
// empty working directory, which is where the oracle ran pip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { decodeRequirementsBytes } from '../../server/src/parser/pyText';
import { hashesByAlgorithm, optionValues, parseRequirementsFile, type Entry, type RequirementEntry } from '../../server/src/parser/requirementsFile';
import { applyFormatControl } from '../../server/src/parser/pipOptions';
import { canonicalizeName } from '../../server/src/parser/pep508';
import { localPathProblem, type PathProbe } from '../../server/src/pip/localPaths';
import { corpusDir, readExpected, readManifest, type ManifestRow } from '../helpers/corpus';

const dir = corpusDir();
const manifest = readManifest(dir);
const byOrigin = new Map(manifest.map((row) => [`${row.repo}\u0000${posix.normalize(row.path)}`, row]));

/** The oracle's working directory: an empty folder. */
const emptyWorkingDirectory: PathProbe = {
  kind: (path) => (['.', './', ''].includes(path) ? 'directory' : 'missing'),
  isInstallableDirectory: () => false,
};

interface Visited {
  row: ManifestRow;
  entry: Entry;
}

function parseWithIncludes(row: ManifestRow, constraint: boolean, stack: string[], out: Visited[]): void {
  const text = decodeRequirementsBytes(readFileSync(join(dir, row.file))).text;
  const document = parseRequirementsFile(text, { constraint });
  for (const entry of document.entries) {
    out.push({ row, entry });
    if (entry.kind !== 'include' || entry.rejected) continue;
    const joined = posix.normalize(posix.join(posix.dirname(row.path), entry.target));
    const child = byOrigin.get(`${row.repo}\u0000${joined}`);
    if (!child || stack.includes(child.file)) continue;
    parseWithIncludes(child, entry.includeKind === '-c', [...stack, child.file], out);
  }
}

function problemsOnLine(row: ManifestRow, line: number): { code: string; message: string }[] {
  const text = decodeRequirementsBytes(readFileSync(join(dir, row.file))).text;
  const document = parseRequirementsFile(text);
  const entry = document.entries.find((e) => e.line === line);
  if (!entry) return [];
  return document.problems.filter((p) => p.span.start >= entry.span.start && p.span.end <= entry.span.end);
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

function describeOptions(entry: Entry): Record<string, unknown> {
  const seen: Record<string, unknown> = {};
  const values = (dest: Parameters<typeof optionValues>[1]) => optionValues(entry, dest);
  const index = values('index_url');
  if (index.length) seen.index_url = index[index.length - 1];
  if (values('extra_index_urls').length) seen.extra_index_urls = values('extra_index_urls');
  if (entry.options.some((o) => o.spec.dest === 'no_index')) seen.no_index = true;
  if (values('find_links').length) seen.find_links = values('find_links');
  const noBinary = new Set<string>();
  const onlyBinary = new Set<string>();
  for (const option of entry.options) {
    if (option.spec.dest === 'no_binary') applyFormatControl(option.value ?? '', noBinary, onlyBinary, canonicalizeName);
    if (option.spec.dest === 'only_binary') applyFormatControl(option.value ?? '', onlyBinary, noBinary, canonicalizeName);
  }
  if (noBinary.size || onlyBinary.size) {
    seen.no_binary = sorted(noBinary);
    seen.only_binary = sorted(onlyBinary);
  }
  if (entry.options.some((o) => o.spec.dest === 'prefer_binary')) seen.prefer_binary = true;
  if (entry.options.some((o) => o.spec.dest === 'require_hashes')) seen.require_hashes = true;
  if (entry.options.some((o) => o.spec.dest === 'pre')) seen.pre = true;
  if (values('trusted_hosts').length) seen.trusted_hosts = values('trusted_hosts');
  if (values('features_enabled').length) seen.use_feature = values('features_enabled');
  return seen;
}

function compareRequirement(where: string, ours: RequirementEntry, expected: any, ourProblems: () => { code: string; message: string }[]): void {
  assert.equal(ours.editable, expected.editable, `${where}: editable`);
  assert.equal(ours.constraint, expected.is_constraint, `${where}: constraint`);
  const pathProblem = localPathProblem(ours, emptyWorkingDirectory);
  // The oracle is pip 23.2.1: modern pip also rejects legacy versions (marked by the oracle; lines
  // with --global-option are handled by the caller), see the corpus README, "pip 23.2.1 versus modern pip".
  const modernPipRejects = expected.modern_pip_rejects;
  const pipAccepts = expected.valid && !modernPipRejects;
  const weAccept = !ours.rejected && !(pathProblem && pathProblem.code === 'syntax');
  // The problems are looked up only to explain a failure (they need the file parsed again).
  if (weAccept !== pipAccepts) {
    assert.fail(`${where}: accepted? ours=${weAccept} (${JSON.stringify(ourProblems())} ${pathProblem?.message ?? ''}) pip=${pipAccepts} (${expected.error ?? modernPipRejects ?? ''})`);
  }
  if (!pipAccepts) return;
  assert.equal(ours.normalizedName ?? null, expected.normalized_name, `${where}: name`);
  assert.deepEqual(sorted(ours.extras.map((e) => e.name)), sorted(expected.extras), `${where}: extras`);
  assert.deepEqual(sorted(ours.specifiers.map((s) => s.text)), sorted(expected.specifiers), `${where}: specifiers`);
  assert.equal(ours.marker?.normalized ?? null, expected.marker, `${where}: marker`);
  const ourUrl = ours.form === 'named' ? ours.url?.value ?? null : null;
  assert.equal(ourUrl, expected.url, `${where}: url`);
  assert.deepEqual(hashesByAlgorithm(ours), expected.hashes, `${where}: hashes`);
  if (expected.link && ours.form !== 'path') {
    assert.ok(ours.link, `${where}: link`);
    assert.equal(ours.link.url, expected.link.url, `${where}: link url`);
    assert.equal(ours.link.isVcs, expected.link.is_vcs, `${where}: is_vcs`);
    assert.equal(ours.link.isWheel, expected.link.is_wheel, `${where}: is_wheel`);
    assert.equal(ours.link.eggFragment ?? null, expected.link.egg_fragment, `${where}: egg fragment`);
    assert.equal(ours.link.subdirectoryFragment ?? null, expected.link.subdirectory_fragment, `${where}: subdirectory`);
  }
  if (!expected.link) assert.ok(ours.form === 'named' && !ours.url, `${where}: pip saw no link`);
}

const requirementFiles = manifest.filter((row) => row.file.startsWith('requirements/'));

test('the corpus has requirements files to compare', () => {
  assert.ok(requirementFiles.length >= 50, `only ${requirementFiles.length} requirements files found`);
});

for (const row of requirementFiles) {
  test(`agrees with pip: ${row.file}`, () => {
    const expected = readExpected(dir, row.file);
    const visited: Visited[] = [];
    parseWithIncludes(row, false, [row.file], visited);
    const labelFor = (file: string) => file;
    const key = (file: string, line: number) => `${file}:${line}`;
    const ours = new Map(visited.map((v) => [key(labelFor(v.row.file), v.entry.line), v]));
    const accounted = new Set<string>();

    for (const req of expected.requirements) {
      const k = key(req.file, req.line);
      const found = ours.get(k);
      assert.ok(found, `${k}: pip read a requirement here (${req.text}); we have no entry`);
      accounted.add(k);
      assert.equal(found.entry.lineEnd, req.line_end, `${k}: last line`);
      if ((req.global_options ?? []).length > 0) {
        // pip 23.2.1 took --global-option; pip 25.3+ has no such option, so optparse rejects the
        // line before a requirement is read (see the corpus README, "pip 23.2.1 versus modern pip").
        assert.ok(found.entry.kind === 'options' && found.entry.rejected, `${k}: modern pip rejects --global-option (${req.text})`);
        continue;
      }
      assert.equal(found.entry.kind, 'requirement', `${k}: kind (${req.text})`);
      compareRequirement(k, found.entry as RequirementEntry, req, () => problemsOnLine(found.row, req.line));
      assert.deepEqual(found.entry.ignoredArgs.map((a) => a.text), req.ignored_args ?? [], `${k}: ignored args`);
    }
    for (const optionLine of expected.option_lines) {
      const k = key(optionLine.file, optionLine.line);
      const found = ours.get(k);
      assert.ok(found, `${k}: pip read an option line here; we have no entry`);
      accounted.add(k);
      assert.equal(found.entry.kind, 'options', `${k}: kind`);
      assert.deepEqual(describeOptions(found.entry), optionLine.options, `${k}: options`);
      assert.deepEqual(found.entry.ignoredArgs.map((a) => a.text), optionLine.ignored_args ?? [], `${k}: ignored args`);
    }
    for (const include of expected.includes) {
      const k = key(include.file, include.line);
      const found = ours.get(k);
      assert.ok(found && found.entry.kind === 'include', `${k}: pip read an include here`);
      accounted.add(k);
      assert.equal(found.entry.includeKind, include.kind, `${k}: include kind`);
      assert.equal(found.entry.target, include.target, `${k}: include target`);
    }
    for (const error of expected.errors) {
      if (error.kind !== 'option_parse_error') continue;
      const k = key(error.file, error.line);
      const found = ours.get(k);
      assert.ok(found, `${k}: pip rejected a line here; we have no entry`);
      accounted.add(k);
      assert.ok(found.entry.rejected, `${k}: pip rejects '${error.text}' (${error.message.trim()}) but we accept it`);
    }
    for (const [k] of ours) assert.ok(accounted.has(k), `${k}: we found an entry pip did not`);
  });
}
