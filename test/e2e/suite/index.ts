// Entry point of the end-to-end suite, loaded inside a VS Code extension host by either launcher:
// - @vscode/test-electron (runElectron.ts) calls `run()` through --extensionTestsPath;
// - the code-server harness (runCodeServer.ts) generates a small extension that calls `runSuite()`.
// Both run the same mocha files (*.test.js next to this one) against the real `vscode` API and, when
// asked, write a JSON result file (results.ts) that the launcher prints.
import * as vscode from 'vscode';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SuiteResult, TestResult } from '../results';

export interface RunOptions {
  /** Where to write the JSON results (written once, atomically, when the run ends). */
  resultFile?: string;
  /** Only tests whose full title contains this text. */
  grep?: string;
}

/** Called by VS Code's test runner (--extensionTestsPath); rejects when a test fails. */
export async function run(): Promise<void> {
  const result = await runSuite({ resultFile: process.env.REQGUARD_E2E_RESULT || undefined, grep: process.env.REQGUARD_E2E_GREP || undefined });
  if (result.fatal) throw new Error(result.fatal);
  if (result.failed > 0) throw new Error(`${result.failed} end-to-end test(s) failed`);
}

/** Runs the suite and resolves with its results; never rejects (a failure to run is `fatal`). */
export async function runSuite(options: RunOptions = {}): Promise<SuiteResult> {
  const started = Date.now();
  const tests: TestResult[] = [];
  const result = (fatal?: string): SuiteResult => ({
    vscodeVersion: vscode.version,
    nodeVersion: process.version,
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    durationMs: Date.now() - started,
    tests,
    ...(fatal ? { fatal } : {}),
  });
  let outcome: SuiteResult;
  try {
    const MochaClass = loadMocha();
    const mocha = new MochaClass({ ui: 'bdd', timeout: 90_000, color: false, reporter: 'spec', ...(options.grep ? { grep: options.grep } : {}) });
    for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, file));
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
      runner.on('pending', (test) => tests.push({ title: test.fullTitle(), state: 'pending', durationMs: 0 }));
      runner.on('fail', (test, error: unknown) =>
        tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: describeError(error) }),
      );
    });
    outcome = result();
  } catch (error) {
    outcome = result(describeError(error));
  }
  if (options.resultFile) {
    writeFileSync(`${options.resultFile}.tmp`, JSON.stringify(outcome, null, 2));
    renameSync(`${options.resultFile}.tmp`, options.resultFile);
  }
  return outcome;
}

/** mocha 11 is CommonJS: it loads in every extension host from VS Code 1.91 (Node 20.9) on. */
function loadMocha(): typeof Mocha {
  const loaded = require('mocha') as { default?: typeof Mocha; Mocha?: typeof Mocha };
  const constructor = loaded.default ?? loaded.Mocha ?? (loaded as unknown as typeof Mocha);
  if (typeof constructor !== 'function') throw new Error('mocha did not export its Mocha class');
  return constructor;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
