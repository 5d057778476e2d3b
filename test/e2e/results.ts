// The result file the suite writes inside the extension host and the launchers read and print.

export interface TestResult {
  /** "suite title › test title". */
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export interface SuiteResult {
  /** `vscode.version` of the host that ran the suite. */
  vscodeVersion: string;
  /** `process.version` of the extension host. */
  nodeVersion: string;
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: TestResult[];
  /** Set when the suite could not run at all (mocha failed to load, a hook threw outside a test…). */
  fatal?: string;
}

/** Prints the results as a spec-like list; returns true when everything passed. */
export function printResults(result: SuiteResult, heading = 'e2e suite', print: (line: string) => void = (line) => console.log(line)): boolean {
  print(`${heading} in VS Code ${result.vscodeVersion} (extension host Node ${result.nodeVersion})`);
  for (const test of result.tests) {
    const mark = test.state === 'passed' ? '✔' : test.state === 'failed' ? '✖' : '-';
    print(`  ${mark} ${test.title} (${test.durationMs} ms)`);
    if (test.error) print(test.error.replace(/^/gm, '      '));
  }
  print(`${result.passed} passing, ${result.failed} failing, ${result.pending} pending (${(result.durationMs / 1000).toFixed(1)} s)`);
  if (result.fatal) print(`fatal: ${result.fatal}`);
  return result.failed === 0 && !result.fatal && result.passed > 0;
}
