// The vscode-tmgrammar-test assertion files in test/grammar/*.txt (caret assertions), run by the tool
// in a child process against syntaxes/pip-requirements.tmLanguage.json. The tokenizing tests of the
// same grammar: test/unit/grammar.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/tempDirs';

// Compiled to out/test/integration/, so the repository root is three levels up.
const root = path.resolve(__dirname, '../../..');
const GRAMMAR = path.join(root, 'syntaxes', 'pip-requirements.tmLanguage.json');

test('grammar assertion files (vscode-tmgrammar-test) pass', () => {
  const dir = path.join(root, 'test', 'grammar');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => path.join('test', 'grammar', name));
  assert.ok(files.length >= 4, `expected at least 4 grammar test files in ${dir}, found ${files.length}`);
  for (const file of files) {
    const header = readFileSync(path.join(root, file), 'utf8').split(/\r?\n/, 1)[0];
    assert.match(header, /^# SYNTAX TEST "source\.pip-requirements" "[^"]+"$/, `${file}: header`);
  }

  const toolDir = path.join(root, 'node_modules', 'vscode-tmgrammar-test');
  const toolPackage = JSON.parse(readFileSync(path.join(toolDir, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };
  const unitBin = path.join(toolDir, toolPackage.bin['vscode-tmgrammar-test']);

  // Without --config the tool also loads the grammars contributed by ./package.json, and those replace
  // the -g grammar of the same scope. An empty configuration keeps the run about this grammar file only.
  const tmp = tempDir('grammar');
  try {
    const config = path.join(tmp, 'config.json');
    writeFileSync(config, '{}\n');
    const result = spawnSync(
      process.execPath,
      [unitBin, '--config', config, '-g', path.relative(root, GRAMMAR), ...files],
      { cwd: root, encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
    assert.equal(result.status, 0, `vscode-tmgrammar-test failed (exit ${result.status}):\n${output}`);
    for (const file of files) {
      assert.ok(output.includes(`${file} run successfuly`), `no success line for ${file}:\n${output}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
