// analyzeSetupPy against the reference oracle (test/tools/setup_oracle.py) on every corpus
// setup.py: same calls, statuses, items, kinds, conditions and ranges (compared in LSP form).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeSetupPy, SETUP_KEYWORDS, type SetupItem, type SetupKeywordResult } from '../../server/src/parser/setupPy';
import { corpusPath, Lines, type LspRange } from '../helpers/corpus';

const corpus = corpusPath();
const setupDir = path.join(corpus, 'setup_py');
const expectedDir = path.join(corpus, 'expected');

// The oracle's JSON, as far as this test reads it.
interface OracleRange {
  lsp: LspRange;
}
interface OracleItem {
  value: string | null;
  kind: string;
  reason?: string;
  source?: string;
  range: OracleRange | null;
  content_range: OracleRange | null;
  conditional: boolean;
  condition_lines?: number[];
}
interface OracleKey {
  status: string;
  expression_range?: OracleRange;
  items?: OracleItem[];
  extras?: Record<string, { status: string; key_range?: OracleRange; key_marker?: string | null; items: OracleItem[] }>;
  reason?: string;
  notes?: string[];
}
interface OracleCall {
  line: number;
  in_function: string;
  conditional: boolean;
  range: OracleRange;
  unresolved_kwargs?: string[];
  [key: string]: unknown;
}
interface OracleResult {
  setup_calls: OracleCall[];
  syntax_error?: { message: string; line: number; offset: number };
  install_requires: { status: string };
  static: boolean;
}

function expectedItem(e: OracleItem): object {
  return {
    value: e.value,
    source: e.kind === 'dynamic' ? e.source : undefined,
    kind: e.kind,
    conditional: e.conditional,
    conditionLines: e.condition_lines,
    reason: e.reason,
    range: e.range ? e.range.lsp : null,
    contentRange: e.content_range ? e.content_range.lsp : null,
  };
}

function actualItem(a: SetupItem, lines: Lines): object {
  return {
    // A dynamic item's value is the expression's source text; the oracle reports it as `source`.
    value: a.kind === 'dynamic' ? null : a.value,
    source: a.kind === 'dynamic' ? a.value : undefined,
    kind: a.kind,
    conditional: a.conditional,
    conditionLines: a.conditionLines,
    reason: a.reason,
    range: a.spanIsApproximate ? null : lines.range(a.span),
    contentRange: a.contentSpan ? lines.range(a.contentSpan) : null,
  };
}

function expectedKey(e: OracleKey): object {
  return {
    status: e.status,
    expressionRange: e.expression_range?.lsp,
    items: e.items?.map(expectedItem),
    extras: e.extras
      ? Object.entries(e.extras).map(([name, x]) => ({
          name,
          status: x.status,
          keyRange: x.key_range?.lsp,
          marker: x.key_marker,
          items: x.items.map(expectedItem),
        }))
      : undefined,
    reason: e.reason,
    notes: e.notes,
  };
}

function actualKey(a: SetupKeywordResult, lines: Lines, shape: OracleKey): object {
  return {
    status: a.status,
    expressionRange: a.expressionSpan ? lines.range(a.expressionSpan) : undefined,
    // The oracle lists extras per key instead of a flat item list.
    items: shape.items ? a.items.map((i) => actualItem(i, lines)) : undefined,
    extras: shape.extras
      ? a.extras?.map((x) => ({
          name: x.name,
          status: x.status,
          keyRange: x.keySpan ? lines.range(x.keySpan) : undefined,
          marker: x.marker,
          items: x.items.map((i) => actualItem(i, lines)),
        }))
      : undefined,
    reason: a.reason,
    notes: a.notes,
  };
}

const files = fs.existsSync(setupDir) ? fs.readdirSync(setupDir).filter((f) => f.endsWith('.py')).sort() : [];

test('the setup.py corpus is present', () => {
  assert.ok(files.length >= 21, `expected the setup.py corpus in ${setupDir} (set REQGUARD_CORPUS to override)`);
});

for (const file of files) {
  test(`setup.py corpus: ${file}`, () => {
    let text = fs.readFileSync(path.join(setupDir, file), 'utf8');
    // The oracle drops a byte order mark before computing positions; so do editors.
    if (text.startsWith('\ufeff')) text = text.slice(1);
    const expected = JSON.parse(fs.readFileSync(path.join(expectedDir, `${file}.json`), 'utf8')) as OracleResult;
    const lines = new Lines(text);
    const actual = analyzeSetupPy(text);

    assert.equal(actual.internalError, undefined);
    assert.equal(actual.calls.length, expected.setup_calls.length, 'number of setup() calls');
    assert.equal(actual.status, expected.install_requires.status, 'install_requires status of the last call');
    assert.equal(actual.static, expected.static, 'static');

    if (expected.syntax_error) {
      assert.ok(actual.syntaxError, 'a syntax error is reported');
      assert.equal(lines.position(actual.syntaxError.span.start).line + 1, expected.syntax_error.line, 'syntax error line');
      assert.equal(lines.position(actual.syntaxError.span.start).character + 1, expected.syntax_error.offset, 'syntax error column');
    } else {
      assert.equal(actual.syntaxError, undefined);
    }

    expected.setup_calls.forEach((call, k) => {
      const got = actual.calls[k]!;
      assert.deepEqual(
        { line: got.line, inFunction: got.inFunction, conditional: got.conditional, range: lines.range(got.span), unresolvedKwargs: got.unresolvedKwargs },
        { line: call.line, inFunction: call.in_function, conditional: call.conditional, range: call.range.lsp, unresolvedKwargs: call.unresolved_kwargs },
        `call ${k}`,
      );
      for (const keyword of SETUP_KEYWORDS) {
        const shape = call[keyword] as OracleKey;
        assert.deepEqual(actualKey(got.keywords[keyword], lines, shape), expectedKey(shape), `call ${k}: ${keyword}`);
      }
    });
  });
}
