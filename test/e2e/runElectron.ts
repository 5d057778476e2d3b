// The end-to-end launcher for a normal machine: @vscode/test-electron starts a real VS Code (a
// downloaded build, or a local one) with this checkout as the extension under development and the
// same compiled mocha suite as --extensionTestsPath. The harness part is shared with the
// code-server launcher: the loopback test index, the temp workspace and its settings.
//
// Usage: node out/test/e2e/runElectron.js        (npm run test:e2e:electron; on Linux without a
//        display: xvfb-run -a npm run test:e2e:electron)
// Environment:
//   VSCODE_EXECUTABLE      a local VS Code binary to use instead of a download
//   VSCODE_TEST_VERSION    the VS Code version to download (default 1.91.0, the engines minimum)
//   REQGUARD_E2E_REQUIRE_ELECTRON=1   fail (exit 1) instead of skipping when no VS Code is available
//   REQGUARD_E2E_GREP      run only the tests whose title contains this text
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { startTestIndex } from '../support/testIndex';
import { INDEX_FIXTURE } from './fixture';
import { createWorkspace, writeUserSettings } from './harness/workspace';
import { printResults, type SuiteResult } from './results';
import { tempDir } from '../helpers/tempDirs';

const REPO = resolve(__dirname, '..', '..', '..');
const SUITE_INDEX = join(__dirname, 'suite', 'index.js');
const DEFAULT_VERSION = '1.91.0';

async function vscodeExecutable(): Promise<string | { skip: string }> {
  const local = process.env.VSCODE_EXECUTABLE;
  if (local) return existsSync(local) ? local : { skip: `VSCODE_EXECUTABLE=${local} does not exist` };
  const version = process.env.VSCODE_TEST_VERSION || DEFAULT_VERSION;
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: join(REPO, '.vscode-test'), timeout: 20_000 });
  } catch (error) {
    return { skip: `could not download VS Code ${version} (${error instanceof Error ? error.message : String(error)})` };
  }
}

async function main(): Promise<number> {
  const executable = await vscodeExecutable();
  if (typeof executable !== 'string') {
    const required = process.env.REQGUARD_E2E_REQUIRE_ELECTRON === '1';
    console.log(
      `${required ? 'FAILED' : 'SKIPPED'}: the test-electron e2e run needs VS Code: ${executable.skip}.\n` +
        'Set VSCODE_EXECUTABLE to a local VS Code binary, or run where update.code.visualstudio.com is reachable; ' +
        'without either, `npm run test:e2e` runs the same suite in code-server.',
    );
    return required ? 1 : 0;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log('note: no DISPLAY; VS Code needs one on Linux (xvfb-run -a npm run test:e2e:electron)');
  }

  const temp = tempDir('e2e-electron');
  const index = await startTestIndex(INDEX_FIXTURE);
  const resultFile = join(temp, 'result.json');
  let ok = false;
  try {
    const workspace = createWorkspace(join(temp, 'workspace'), index.simpleUrl);
    const userDataDir = join(temp, 'user-data');
    writeUserSettings(userDataDir);
    let exitCode: number;
    try {
      exitCode = await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: REPO,
        extensionTestsPath: SUITE_INDEX,
        extensionTestsEnv: { REQGUARD_E2E_RESULT: resultFile, REQGUARD_E2E_GREP: process.env.REQGUARD_E2E_GREP },
        // runTests adds --no-sandbox, --disable-updates, --skip-welcome, --disable-workspace-trust.
        launchArgs: [
          workspace,
          '--disable-extensions', // other installed extensions; reqguard (development) and built-ins stay
          '--disable-gpu',
          `--user-data-dir=${userDataDir}`,
          `--extensions-dir=${join(temp, 'extensions')}`,
        ],
      });
    } catch (error) {
      // runTests rejects (TestRunFailedError) when VS Code exits non-zero: a test failed or it could not start.
      console.error(error instanceof Error ? error.message : String(error));
      exitCode = 1;
    }
    if (existsSync(resultFile)) ok = printResults(JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult) && exitCode === 0;
    else console.error('the suite wrote no results (VS Code did not start, or the extension host failed before the suite)');
  } finally {
    await index.close();
    if (ok) rmSync(temp, { recursive: true, force: true });
    else console.log(`kept ${temp}`);
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
