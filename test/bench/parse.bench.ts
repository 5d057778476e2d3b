// Benchmark (not a test): parse and diagnostics time for the largest corpus files, 5,000 lines of
// real pip-compile output, and a denser synthetic stress file. Prints figures; the target is
// < 5 ms to parse 5,000 lines.
//   npm run bench
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseRequirementsFile } from '../../server/src/parser/requirementsFile';
import { analyzeDocument } from '../../server/src/engine/documents';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { corpusRequirements, warehouseLines } from './benchFiles';
import { best, median } from './stats';

function measure(run: () => void, iterations: number): { median: number; best: number } {
  for (let i = 0; i < 20; i++) run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return { median: median(times), best: best(times) };
}

/** A pip-compile style file: pins with markers and several hashes each, `# via` comments. */
function generated(lines: number): string {
  const out: string[] = [];
  let i = 0;
  while (out.length < lines) {
    out.push(`package-${i}[extra]==${i % 10}.${i % 7}.${i % 13} ; python_version >= "3.8" \\`);
    for (let h = 0; h < 3; h++) out.push(`    --hash=sha256:${(i * 7 + h).toString(16).padStart(64, '0')} \\`);
    out.push(`    --hash=sha256:${(i * 7 + 3).toString(16).padStart(64, '0')}`);
    out.push('    # via');
    out.push(`    #   -r requirements.in`);
    i++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

const cases: Array<[string, string]> = [];
for (const name of ['pypi__warehouse__requirements__main.txt', 'home-assistant__core__requirements_all.txt']) cases.push([name, corpusRequirements(name)]);
// 5,000 lines of real pip-compile output: warehouse's main.txt, repeated up to an entry boundary.
cases.push(['main.txt repeated, 5,000 lines', warehouseLines(5000)]);
cases.push(['stress: every entry has extras+marker+4 hashes', generated(5000)]);

console.log('file'.padEnd(46), 'lines'.padStart(6), 'parse median'.padStart(13), 'parse best'.padStart(11), 'parse+diag median'.padStart(18));
for (const [name, text] of cases) {
  const lines = text.split('\n').length - 1;
  const parse = measure(() => parseRequirementsFile(text), 200);
  const document = TextDocument.create('file:///bench/requirements.txt', 'pip-requirements', 1, text);
  const full = measure(() => computeDiagnostics(analyzeDocument(document, '/bench/requirements.txt'), DEFAULT_SETTINGS), 100);
  console.log(
    name.padEnd(46),
    String(lines).padStart(6),
    `${parse.median.toFixed(2)} ms`.padStart(13),
    `${parse.best.toFixed(2)} ms`.padStart(11),
    `${full.median.toFixed(2)} ms`.padStart(18),
  );
}
