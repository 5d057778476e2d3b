// The end-to-end launcher for machines without a downloadable VS Code: the suite runs inside the
// extension host of code-server (VS Code served to a browser), opened in headless Chromium, and
// the UI checks then drive the same window. One run:
//   test index on 127.0.0.1 → temp workspace (+ .vscode/settings.json pointing at it) → fresh
//   extensions folder (test runner + reqguard from dist/*.vsix, else the built folder) →
//   code-server → Chromium → the runner extension runs the mocha suite and writes result.json →
//   UI checks with screenshots → everything stopped → exit 1 on any failure.
//
//   Then the workspace trust checks, in a second code-server window with trust on (harness/trust.ts).
//
// Usage: node out/test/e2e/runCodeServer.js [--keep] [--no-ui] [--no-trust] [--update-screenshots]
// Environment:
//   REQGUARD_E2E_CACHE        where .ci/run installs Node 24 and code-server (~/.cache/reqguard-e2e)
//   REQGUARD_E2E_NODE         a Node 24 binary            (default $CACHE/node24/bin/node)
//   REQGUARD_E2E_CODE_SERVER  the code-server executable  (default $CACHE/code-server/node_modules/.bin/code-server)
//   REQGUARD_E2E_CHROMIUM     Chromium                    (default /usr/bin/chromium)
//   REQGUARD_E2E_INSTALL      vsix | folder: force how reqguard is installed
//   REQGUARD_E2E_VSIX         install this .vsix (default: dist/reqguard-<version>.vsix when current)
//   REQGUARD_E2E_GREP         run only the suite's tests whose title contains this text
//   REQGUARD_E2E_TIMEOUT      seconds allowed for the suite (default 600)
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser } from 'playwright-core';
import { missingLine, optionalProgram, PIP, programsRequired } from '../support/optionalProgram';
import { startTestIndex, type TestIndex } from '../support/testIndex';
import { EXPECTED, INDEX_FIXTURE } from './fixture';
import { chooseReqguardPackage, installExtensions, writeRunnerExtension, type CodeServerTools } from './harness/extensions';
import { freePort, startCodeServer, tail, type RunningCodeServer } from './harness/processes';
import { runTrustChecks } from './harness/trust';
import { runUiChecks, screenshotName, type UiStep } from './harness/ui';
import { createWorkspace, writeUserSettings } from './harness/workspace';
import { printResults, type SuiteResult, type TestResult } from './results';
import { tempDir } from '../helpers/tempDirs';

const REPO = resolve(__dirname, '..', '..', '..');
const SUITE_INDEX = join(__dirname, 'suite', 'index.js');
const SCREENSHOTS = join(REPO, 'test', 'e2e', 'screenshots');
/** The steps whose screenshots are kept in the repository (README), by step name. */
const KEPT_SCREENSHOTS: UiStep[] = ['squiggle', 'hover', 'quick-fix-menu', 'pin-and-hash-all'];
const VIEWPORT = { width: 1280, height: 720 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** The programs the run needs, or the one line saying which is missing (optional programs, as in the unit tests). */
function tools(): (CodeServerTools & { chromium: string }) | { missing: string } {
  const cache = process.env.REQGUARD_E2E_CACHE || join(homedir(), '.cache', 'reqguard-e2e');
  const node = process.env.REQGUARD_E2E_NODE || join(cache, 'node24', 'bin', 'node');
  const codeServer = process.env.REQGUARD_E2E_CODE_SERVER || join(cache, 'code-server', 'node_modules', '.bin', 'code-server');
  const chromiumPath = process.env.REQGUARD_E2E_CHROMIUM || '/usr/bin/chromium';
  const enables = 'the end-to-end tests in code-server (npm run test:e2e)';
  const install = `.ci/run installs it into ${cache}; see "End-to-end tests" in the README`;
  const at = (path: string) => () => (existsSync(path) ? path : undefined);
  const needed = [
    optionalProgram(`Node 24 at ${node} (REQGUARD_E2E_NODE)`, enables, install, at(node)),
    optionalProgram(`code-server at ${codeServer} (REQGUARD_E2E_CODE_SERVER)`, enables, install, at(codeServer)),
    optionalProgram(`Chromium at ${chromiumPath} (REQGUARD_E2E_CHROMIUM)`, enables, 'apt-get install -y chromium', at(chromiumPath)),
    PIP,
  ];
  const missing = needed.find((program) => !program.locate());
  if (missing) return { missing: missingLine(missing) };
  return { nodeBinDir: dirname(node), codeServer, chromium: chromiumPath };
}

async function waitForResult(file: string, server: RunningCodeServer, timeoutMs: number, log: string): Promise<SuiteResult> {
  const start = Date.now();
  const deadline = start + timeoutMs;
  // The runner marks its activation: without it after two minutes, the extension host never ran it.
  const startDeadline = start + Math.min(timeoutMs, 120_000);
  for (;;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SuiteResult;
    const exit = server.exited();
    if (exit) throw new Error(`code-server exited (${exit.code ?? exit.signal}) before the suite finished:\n${tail(log)}`);
    if (!existsSync(`${file}.started`) && Date.now() > startDeadline) {
      throw new Error(`the test-runner extension was not activated within ${(startDeadline - start) / 1000} s. code-server log:\n${tail(log)}`);
    }
    if (Date.now() > deadline) throw new Error(`no result from the suite after ${timeoutMs / 1000} s. code-server log:\n${tail(log)}`);
    await sleep(250);
  }
}

async function main(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  const started = Date.now();
  const found = tools();
  // A missing program skips the run with one line, except under CI=true, where it is a failure.
  if ('missing' in found) {
    const required = programsRequired();
    console.log(`${required ? 'FAILED (CI=true)' : 'SKIPPED'}: ${found.missing}`);
    return required ? 1 : 0;
  }
  const temp = tempDir('e2e');
  const runShots = join(SCREENSHOTS, 'latest');
  rmSync(runShots, { recursive: true, force: true });
  mkdirSync(runShots, { recursive: true });
  const log = join(temp, 'code-server.log');
  const timing: string[] = [];
  const mark = (what: string, since: number) => timing.push(`${what} ${((Date.now() - since) / 1000).toFixed(1)} s`);

  let index: TestIndex | undefined;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let ok = false;
  // code-server runs in its own process group, out of reach of the terminal's Ctrl+C: stop it here.
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping code-server (pid ${server?.pid ?? '-'}) and the test index`);
    void Promise.allSettled([browser?.close(), server?.stop(), index?.close()]).then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    index = await startTestIndex(INDEX_FIXTURE);
    const workspace = createWorkspace(join(temp, 'workspace'), index.simpleUrl);
    const userDataDir = join(temp, 'user-data');
    const extensionsDir = join(temp, 'extensions');
    const resultFile = join(temp, 'result.json');
    writeUserSettings(userDataDir);
    mkdirSync(extensionsDir, { recursive: true });
    writeRunnerExtension(extensionsDir, SUITE_INDEX, resultFile);
    const pkg = chooseReqguardPackage(REPO);
    console.log(`reqguard from ${pkg.kind === 'vsix' ? pkg.path : `the built folder ${pkg.path}`}${pkg.note ? ` (${pkg.note})` : ''}`);
    let since = Date.now();
    const installed = await installExtensions(found, pkg, { extensionsDir, userDataDir });
    mark('install', since);
    console.log(`extensions: ${installed.join(', ')}`);

    since = Date.now();
    const port = await freePort();
    server = await startCodeServer(found, { port, userDataDir, extensionsDir, workspace, configFile: join(temp, 'config.yaml'), logFile: log });
    mark('code-server up', since);
    console.log(`code-server ${server.url} (pid ${server.pid}), index ${index.simpleUrl}, workspace ${workspace}`);

    since = Date.now();
    browser = await chromium.launch({ executablePath: found.chromium, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (error) => console.log(`[browser] ${error.message}`));
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    mark('workbench', since);

    since = Date.now();
    const timeoutMs = Number(process.env.REQGUARD_E2E_TIMEOUT || 600) * 1000;
    const result = await waitForResult(resultFile, server, timeoutMs, log);
    mark('suite', since);
    let passed = printResults(result);
    if (!result.fatal && !args.has('--no-ui')) {
      since = Date.now();
      const ui: TestResult[] = await runUiChecks({ page, workspace, indexSimpleUrl: index.simpleUrl, screenshotDir: runShots });
      mark('UI checks', since);
      const uiResult = { ...result, tests: ui, passed: count(ui, 'passed'), failed: count(ui, 'failed'), pending: count(ui, 'pending'), durationMs: Date.now() - since };
      passed = printResults(uiResult, 'UI checks (Playwright, Chromium)') && passed;
      console.log(`screenshots: ${runShots}`);
      if (args.has('--update-screenshots') && passed) {
        for (const name of KEPT_SCREENSHOTS) {
          const source = join(runShots, screenshotName(name));
          if (existsSync(source)) copyFileSync(source, join(SCREENSHOTS, `${name}.png`));
        }
        console.log(`kept screenshots updated in ${SCREENSHOTS}`);
      }
    }
    if (!result.fatal && !args.has('--no-trust')) {
      since = Date.now();
      await page.close();
      const trust = await runTrustChecks({ tools: found, pkg, browser, userIndexUrl: index.simpleUrl, userIndexNewest: EXPECTED.flaskLatest, temp, screenshotDir: runShots, chromiumViewport: VIEWPORT });
      mark('trust checks', since);
      const trustResult = { ...result, tests: trust, passed: count(trust, 'passed'), failed: count(trust, 'failed'), pending: count(trust, 'pending'), durationMs: Date.now() - since };
      passed = printResults(trustResult, 'Workspace trust (code-server with trust on, Playwright, Chromium)') && passed;
    }
    ok = passed;
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await index?.close();
    if (ok && !args.has('--keep')) rmSync(temp, { recursive: true, force: true });
    else console.log(`kept ${temp} (workspace, code-server.log, user-data/logs)`);
  }
  mark('total', started);
  console.log(`timing: ${timing.join(', ')}`);
  return ok ? 0 : 1;
}

const count = (tests: TestResult[], state: TestResult['state']) => tests.filter((t) => t.state === state).length;

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
