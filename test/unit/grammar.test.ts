// Tests for the TextMate grammar syntaxes/pip-requirements.tmLanguage.json, in process.
//  1. The vscode-tmgrammar-test assertion files in test/grammar/*.txt are run by the tool itself, a
//     child process: test/integration/grammar.assertions.test.ts.
//  2. Structural facts checked by tokenizing real corpus files with vscode-textmate + vscode-oniguruma:
//     hashed entries stay one requirement across "\" lines, "# via" lines are comments, "invalid" scopes
//     appear only on lines pip really rejects, and names/hashes/markers agree with pip's own reading
//     (the corpus's expected/*.json), also with CRLF line endings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { corpusPath } from '../helpers/corpus';
import { decodeRequirementsBytes } from '../../server/src/parser/pyText';

// Compiled to out/test/unit/, so the repository root is three levels up.
const root = path.resolve(__dirname, '../../..');
const GRAMMAR = path.join(root, 'syntaxes', 'pip-requirements.tmLanguage.json');
const SCOPE = 'source.pip-requirements';

/** Full scope name, e.g. s('entity.name.package') === 'entity.name.package.pip-requirements'. */
const s = (name: string): string => `${name}.pip-requirements`;

// ---------------------------------------------------------------------------------------------------
// 2. Tokenizing real files with vscode-textmate
// ---------------------------------------------------------------------------------------------------

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(path.join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(new Uint8Array(wasm).buffer);
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === SCOPE ? vsctm.parseRawGrammar(readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
    });
    const grammar = await registry.loadGrammar(SCOPE);
    assert.ok(grammar, `could not load ${SCOPE} from ${GRAMMAR}`);
    return grammar;
  })();
  return grammarPromise;
}

interface Token {
  readonly text: string;
  readonly start: number;
  readonly scopes: readonly string[];
}

interface TokenizedLine {
  /** 1-based line number. */
  readonly number: number;
  readonly text: string;
  readonly tokens: readonly Token[];
  /** Rule-stack depth at the end of the line: 1 means back at the top level (no open requirement). */
  readonly depthAfter: number;
}

/** Tokenizes a whole file; `lineBreak` decides whether a CR stays at the end of each line. */
function tokenize(grammar: vsctm.IGrammar, text: string, lineBreak: RegExp | string = /\r?\n/): TokenizedLine[] {
  let state = vsctm.INITIAL;
  return text.split(lineBreak).map((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    assert.ok(!result.stoppedEarly, `tokenizing stopped early on line ${index + 1}`);
    state = result.ruleStack;
    const tokens = result.tokens.map((t) => ({
      text: line.slice(t.startIndex, t.endIndex),
      start: t.startIndex,
      scopes: t.scopes,
    }));
    return { number: index + 1, text: line, tokens, depthAfter: state.depth };
  });
}

const has = (token: Token, name: string): boolean => token.scopes.includes(s(name));
const hasPrefix = (token: Token, prefix: string): boolean => token.scopes.some((scope) => scope.startsWith(prefix));
const solid = (line: TokenizedLine): Token[] => line.tokens.filter((t) => t.text.trim() !== '');
const show = (line: TokenizedLine): string =>
  `line ${line.number} ${JSON.stringify(line.text)}\n` +
  line.tokens.map((t) => `    ${JSON.stringify(t.text)}: ${t.scopes.join(' ')}`).join('\n');

function findCorpus(): string | undefined {
  const dir = corpusPath();
  return existsSync(path.join(dir, 'requirements')) ? dir : undefined;
}

const corpus = findCorpus();
const skipCorpus = corpus ? false : 'corpus not found: set REQGUARD_CORPUS to the folder holding requirements/';
const corpusFile = (name: string): string => path.join(corpus!, 'requirements', name);
/** A corpus file as an editor shows it: decoded by its byte order mark (one is UTF-16), else UTF-8. */
const readCorpusText = (name: string): string => decodeRequirementsBytes(readFileSync(corpusFile(name))).text;
const WAREHOUSE = 'pypi__warehouse__requirements__main.txt';

interface HashedEntry {
  readonly lines: TokenizedLine[];
  readonly name: string;
}

/** `name==version \` followed by indented `--hash=` lines, the last one without a backslash. */
function hashedEntries(lines: TokenizedLine[]): HashedEntry[] {
  const entries: HashedEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+ \\$/.exec(lines[i].text);
    if (!head) continue;
    let j = i + 1;
    while (j < lines.length && /^\s+--hash=\S+ \\$/.test(lines[j].text)) j++;
    if (j < lines.length && /^\s+--hash=\S+$/.test(lines[j].text)) {
      entries.push({ lines: lines.slice(i, j + 1), name: head[1] });
      i = j;
    }
  }
  return entries;
}

test('a hashed multi-line entry of warehouse main.txt is one meta.requirement', { skip: skipCorpus }, async () => {
  const grammar = await loadGrammar();
  const lines = tokenize(grammar, readFileSync(corpusFile(WAREHOUSE), 'utf8'));
  const entries = hashedEntries(lines);
  assert.ok(entries.length > 100, `expected many hashed entries in ${WAREHOUSE}, found ${entries.length}`);

  for (const entry of entries) {
    const last = entry.lines[entry.lines.length - 1];
    for (const line of entry.lines) {
      for (const token of line.tokens) {
        assert.ok(has(token, 'meta.requirement'), `not inside meta.requirement:\n${show(line)}`);
        assert.ok(!hasPrefix(token, 'meta.option-line'), `continuation line restarted as an option line:\n${show(line)}`);
      }
      if (line !== last) {
        assert.ok(line.depthAfter > 1, `requirement closed before its continuation:\n${show(line)}`);
        const backslash = line.tokens[line.tokens.length - 1];
        assert.equal(backslash.text, '\\');
        assert.ok(has(backslash, 'constant.character.escape.line-continuation'), show(line));
      }
    }
    assert.equal(last.depthAfter, 1, `requirement still open after its last --hash line:\n${show(last)}`);
    const names = entry.lines.flatMap((line) => line.tokens.filter((t) => has(t, 'entity.name.package')));
    assert.deepEqual(
      names.map((t) => t.text),
      [entry.name],
      `one package name per entry:\n${entry.lines.map(show).join('\n')}`,
    );
    assert.ok(has(entry.lines[0].tokens[0], 'entity.name.package'), show(entry.lines[0]));
  }
});

test('--hash=sha256:... continuation lines are hash options, not package names', { skip: skipCorpus }, async () => {
  const grammar = await loadGrammar();
  const lines = tokenize(grammar, readFileSync(corpusFile(WAREHOUSE), 'utf8'));
  const hashLines = lines.filter((line) => /^\s+--hash=/.test(line.text));
  assert.ok(hashLines.length > 500, `expected many --hash lines, found ${hashLines.length}`);
  for (const line of hashLines) {
    const tokens = solid(line);
    assert.ok(tokens.every((t) => !has(t, 'entity.name.package')), `package name on a hash line:\n${show(line)}`);
    assert.ok(tokens.every((t) => !hasPrefix(t, 'invalid.')), `invalid scope on a hash line:\n${show(line)}`);
    const [flag, equals, algorithm, colon, digest] = tokens;
    assert.equal(flag.text, '--hash', show(line));
    assert.ok(has(flag, 'meta.option.hash') && has(flag, 'entity.other.attribute-name.option'), show(line));
    assert.ok(equals.text === '=' && has(equals, 'keyword.operator.assignment'), show(line));
    assert.ok(algorithm.text === 'sha256' && has(algorithm, 'support.type.hash-algorithm'), show(line));
    assert.ok(colon.text === ':' && has(colon, 'punctuation.separator.hash'), show(line));
    assert.match(digest.text, /^[0-9a-f]{64}$/, show(line));
    assert.ok(has(digest, 'constant.other.digest') && has(digest, 'meta.option.hash'), show(line));
  }
});

test('"# via" annotation lines are comments outside any requirement', { skip: skipCorpus }, async () => {
  const grammar = await loadGrammar();
  const lines = tokenize(grammar, readFileSync(corpusFile(WAREHOUSE), 'utf8'));
  const viaLines = lines.filter((line) => /^\s+#/.test(line.text));
  assert.ok(viaLines.some((line) => /^\s+# via\b/.test(line.text)), 'no "# via" lines found');
  for (const line of viaLines) {
    for (const token of solid(line)) {
      assert.ok(has(token, 'comment.line.number-sign'), `not a comment:\n${show(line)}`);
      assert.ok(!has(token, 'meta.requirement'), `comment inside a requirement:\n${show(line)}`);
      assert.ok(!has(token, 'entity.name.package'), `package name in a comment:\n${show(line)}`);
    }
    assert.equal(line.depthAfter, 1, `comment line left a rule open:\n${show(line)}`);
  }
});

/**
 * Every line of the corpus that carries an invalid.* scope, with why pip (modern pip, as the corpus
 * README asks) rejects it. Lines pip merely warns about (unknown `--use-feature` values of old pip,
 * ignored positional arguments, missing include targets, paths that do not exist) are not invalid.
 */
const EXPECTED_INVALID: Record<string, string> = {
  'microsoft__vscode-python__src__test__pipRequirements__example-requirements.txt:25': 'unknown option --no-links',
  'microsoft__vscode-python__src__test__pipRequirements__example-requirements.txt:30':
    '--global-option (removed in pip 25.3)',
  'openstack__requirements__global-requirements.txt:549': 'sushy!=1.9.0<3.0.0: clauses need a comma',
  'pypa__pip__tests__data__reqfiles__supported_options.txt:2': 'unknown option --no-use-wheel',
  'scrapy__scrapy__tests__requirements-py2.txt:14': 'merge conflict marker',
  'scrapy__scrapy__tests__requirements-py2.txt:16': 'merge conflict marker',
  'scrapy__scrapy__tests__requirements-py2.txt:18': 'merge conflict marker',
};

test('corpus: invalid scopes appear only on lines pip really rejects', { skip: skipCorpus }, async () => {
  const grammar = await loadGrammar();
  const files = readdirSync(path.join(corpus!, 'requirements')).sort();
  assert.ok(files.length >= 40, `expected the corpus requirements files, found ${files.length}`);
  const found: Record<string, string> = {};
  for (const file of files) {
    for (const line of tokenize(grammar, readCorpusText(file))) {
      const bad = line.tokens.filter((t) => hasPrefix(t, 'invalid.'));
      if (bad.length) found[`${file}:${line.number}`] = show(line);
    }
  }
  const unexpected = Object.keys(found).filter((key) => !(key in EXPECTED_INVALID));
  assert.deepEqual(unexpected, [], `invalid scopes on lines pip accepts:\n${unexpected.map((k) => `${k}\n${found[k]}`).join('\n')}`);
  const missing = Object.keys(EXPECTED_INVALID).filter((key) => !(key in found));
  assert.deepEqual(missing, [], `lines pip rejects without an invalid scope: ${missing.map((k) => `${k} (${EXPECTED_INVALID[k]})`).join(', ')}`);
});

interface ExpectedRequirement {
  /** Corpus-relative file the line is in (includes of other corpus files are reported too). */
  readonly file: string;
  readonly line: number;
  readonly line_end: number;
  readonly text: string;
  readonly name: string | null;
  readonly editable: boolean;
  /** false for lines pip could not read as a requirement (those are checked by the invalid-scope test). */
  readonly valid: boolean;
  readonly marker: string | null;
  readonly hashes: Record<string, string[]>;
}

interface ExpectedOptionLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

interface ExpectedFile {
  readonly requirements: ExpectedRequirement[];
  readonly option_lines: ExpectedOptionLine[];
  readonly includes: ExpectedOptionLine[];
}

test("corpus: names, markers, hashes and options agree with pip's reading (expected/*.json)", { skip: skipCorpus }, async () => {
  const grammar = await loadGrammar();
  let checkedNames = 0;
  let checkedHashes = 0;
  for (const file of readdirSync(path.join(corpus!, 'requirements')).sort()) {
    const expectedPath = path.join(corpus!, 'expected', `${file}.json`);
    if (!existsSync(expectedPath)) continue;
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as ExpectedFile;
    const lines = tokenize(grammar, readCorpusText(file));
    // pip follows includes into other corpus files; keep the lines of this file only.
    const own = <T extends { readonly file: string }>(items: readonly T[]): T[] =>
      items.filter((item) => item.file === `requirements/${file}`);

    for (const req of own(expected.requirements).filter((r) => r.valid)) {
      const where = `${file}:${req.line} ${JSON.stringify(req.text)}`;
      const first = lines[req.line - 1];
      const span = lines.slice(req.line - 1, req.line_end);
      const head = solid(first)[0];
      if (req.editable) {
        assert.ok(has(head, 'meta.requirement.editable') && has(head, 'entity.other.attribute-name.option'), `${where}\n${show(first)}`);
      } else {
        assert.ok(has(head, 'meta.requirement'), `${where}\n${show(first)}`);
      }
      if (req.name && !req.editable && req.text.startsWith(req.name)) {
        assert.ok(has(head, 'entity.name.package') && head.text === req.name, `${where}: name\n${show(first)}`);
        checkedNames++;
      }
      const egg = /#egg=([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9])/.exec(req.text);
      if (egg && req.name === egg[1]) {
        const names = first.tokens.filter((t) => has(t, 'entity.name.package')).map((t) => t.text);
        assert.ok(names.includes(egg[1]), `${where}: #egg name\n${show(first)}`);
      }
      if (req.marker) {
        assert.ok(span.some((line) => line.tokens.some((t) => has(t, 'meta.marker'))), `${where}: marker\n${show(first)}`);
      }
      const digests = span.flatMap((line) => line.tokens.filter((t) => has(t, 'constant.other.digest')).map((t) => t.text));
      const hashes = Object.values(req.hashes ?? {}).flat();
      assert.deepEqual([...digests].sort(), [...hashes].sort(), `${where}: hashes`);
      checkedHashes += hashes.length;
      for (const line of span.slice(1)) {
        assert.ok(line.tokens.every((t) => has(t, 'meta.requirement')), `${where}: continuation outside the requirement\n${show(line)}`);
      }
    }
    for (const option of [...own(expected.option_lines), ...own(expected.includes)]) {
      const line = lines[option.line - 1];
      const head = solid(line)[0];
      assert.ok(
        has(head, 'meta.option-line') && has(head, 'entity.other.attribute-name.option'),
        `${file}:${option.line} option line ${JSON.stringify(option.text)}\n${show(line)}`,
      );
    }
  }
  assert.ok(checkedNames > 1000, `only ${checkedNames} names checked`);
  assert.ok(checkedHashes > 1000, `only ${checkedHashes} hashes checked`);
});

test('CRLF line endings: same scopes as LF, continuations still work', { skip: skipCorpus }, async () => {
  const grammar = await loadGrammar();
  const crlfFiles = readdirSync(path.join(corpus!, 'requirements')).filter((file) =>
    readCorpusText(file).includes('\r\n'),
  );
  assert.ok(crlfFiles.length >= 1, 'no CRLF file in the corpus');
  // Editors strip the CR, but other consumers split on "\n" only and hand the grammar a trailing "\r".
  const synthetic =
    'alembic==1.18.5 \\\r\n' +
    '    --hash=sha256:06d8ba9d04558022f5395e9317de03d270f3dced49cee01f89fe7a13c26f14bc \\\r\n' +
    '    --hash=sha256:1554982221dd17e9a749b53902407578eb305e453f71999e8c7f0a48389fff8e\r\n' +
    '    # via -r requirements/main.in\r\n' +
    "torch==2.5.1+rocm6.2; sys_platform == 'linux'\r\n" +
    '--index-url https://download.pytorch.org/whl/rocm6.2\r\n';
  const texts: [string, string][] = [
    ...crlfFiles.map((file): [string, string] => [file, readCorpusText(file)]),
    ['synthetic', synthetic],
  ];
  for (const [name, text] of texts) {
    const lf = tokenize(grammar, text, /\r?\n/);
    const cr = tokenize(grammar, text, '\n');
    assert.equal(cr.length, lf.length);
    for (let i = 0; i < lf.length; i++) {
      const scopesAt = (line: TokenizedLine, column: number): string =>
        line.tokens.find((t) => t.start <= column && column < t.start + t.text.length)!.scopes.join(' ');
      for (let column = 0; column < lf[i].text.length; column++) {
        if (/\s/.test(lf[i].text[column])) continue;
        assert.equal(scopesAt(cr[i], column), scopesAt(lf[i], column), `${name}:${i + 1} column ${column}\n${show(cr[i])}`);
      }
      assert.equal(cr[i].depthAfter, lf[i].depthAfter, `${name}:${i + 1} rule stack\n${show(cr[i])}`);
      assert.ok(cr[i].tokens.every((t) => !hasPrefix(t, 'invalid.')), `${name}:${i + 1}\n${show(cr[i])}`);
    }
  }
  const lines = tokenize(grammar, synthetic, '\n');
  assert.ok(lines[0].depthAfter > 1 && lines[1].depthAfter > 1, `continuation lost with CRLF:\n${show(lines[0])}`);
  assert.ok(solid(lines[1]).every((t) => has(t, 'meta.requirement')), show(lines[1]));
  assert.ok(solid(lines[3]).every((t) => has(t, 'comment.line.number-sign') && !has(t, 'meta.requirement')), show(lines[3]));
  const url = lines[5].tokens.find((t) => has(t, 'string.unquoted.url'));
  assert.equal(url?.text, 'https://download.pytorch.org/whl/rocm6.2', show(lines[5]));
});
