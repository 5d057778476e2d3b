// Workspace trust end to end, in a second code-server window with VS Code's workspace trust on:
// an untrusted folder whose requirements.txt names a loopback "evil" index. In Restricted Mode
// reqguard checks the file against the user-level index, the evil index receives no request at
// all, and the status bar says Restricted Mode with "Trust to use this file's index"; one click
// on it and the Trust button later, the file's own index is used and the diagnostics refresh.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestIndex, type IndexFixture, type TestIndex } from '../../support/testIndex';
import type { TestResult } from '../results';
import { installExtensions, type CodeServerTools, type ReqguardPackage } from './extensions';
import { freePort, startCodeServer, type RunningCodeServer } from './processes';
import { editorOf, quickOpen, STEP_TIMEOUT, uiSteps } from './ui';
import { writeUserSettings } from './workspace';

/** What the evil index has: a release the user-level index does not, so its answers are told apart. */
const EVIL_FIXTURE: IndexFixture = { projects: { flask: { versions: { '9.9.9': {} } } } };
const FILE = 'requirements.txt';

export const TRUST_STEPS = ['restricted', 'status-tooltip', 'trust-editor', 'trusted'] as const;
type TrustStep = (typeof TRUST_STEPS)[number];
export const trustScreenshotName = (step: TrustStep): string => `trust-${String(TRUST_STEPS.indexOf(step) + 1).padStart(2, '0')}-${step}.png`;

export interface TrustContext {
  readonly tools: CodeServerTools;
  readonly pkg: ReqguardPackage;
  readonly browser: Browser;
  /** The loopback index of the user settings (the suite's). */
  readonly userIndexUrl: string;
  /** A flask version of the user index (not of the evil one), which the Restricted Mode diagnostics name. */
  readonly userIndexNewest: string;
  readonly temp: string;
  readonly screenshotDir: string;
  readonly chromiumViewport: { width: number; height: number };
}

/** The Problems panel's text once it contains `wanted` (the panel is opened first). */
async function problemsText(page: Page, wanted: string): Promise<string> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  const deadline = Date.now() + STEP_TIMEOUT;
  let text = '';
  while (Date.now() < deadline) {
    text = await panel.innerText().catch(() => '');
    if (text.includes(wanted)) return text;
    await page.waitForTimeout(100); // a poll with a deadline, not a fixed wait
  }
  throw new Error(`the Problems panel does not say ${JSON.stringify(wanted)}:\n${text}`);
}

export async function runTrustChecks(context: TrustContext): Promise<TestResult[]> {
  const evil: TestIndex = await startTestIndex(EVIL_FIXTURE);
  let server: RunningCodeServer | undefined;
  const folder = join(context.temp, 'trust');
  const workspace = join(folder, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, FILE), `--index-url ${evil.simpleUrl}\nflask==1.0\n`);
  const userDataDir = join(folder, 'user-data');
  const extensionsDir = join(folder, 'extensions');
  // Restricted Mode reads reqguard.index.* from the user's settings only, so the user-level index is set there.
  writeUserSettings(userDataDir, {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'reqguard.index.url': context.userIndexUrl,
    'reqguard.index.isolated': true,
  });
  mkdirSync(extensionsDir, { recursive: true });
  const page = await context.browser.newPage({ viewport: context.chromiumViewport });
  const { step, results } = uiSteps<TrustStep>(page, 'Trust', (name) => join(context.screenshotDir, trustScreenshotName(name)));
  try {
    await installExtensions(context.tools, context.pkg, { extensionsDir, userDataDir }, ['reqguard.reqguard']);
    server = await startCodeServer(context.tools, {
      port: await freePort(),
      userDataDir,
      extensionsDir,
      workspace,
      configFile: join(folder, 'config.yaml'),
      logFile: join(folder, 'code-server.log'),
      workspaceTrust: true,
    });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const status = page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).filter({ hasText: '127.0.0.1' }).first();

    await step('an untrusted folder: the file is checked against the user-level index; the evil index gets no request', 'restricted', async () => {
      await quickOpen(page, FILE);
      await editorOf(page, FILE).waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      await status.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      const shown = await status.innerText();
      if (!shown.includes(new URL(context.userIndexUrl).host)) throw new Error(`the status bar names ${shown}, not the user-level index`);
      await problemsText(page, context.userIndexNewest);
      if (evil.requests.length > 0) throw new Error(`the evil index was asked: ${evil.requests.map((r) => r.path).join(', ')}`);
    });

    await step('the status bar item says Restricted Mode, with "Trust to use this file\'s index"', 'status-tooltip', async () => {
      await status.hover();
      const tooltip = page.locator('.monaco-hover:not(.hidden)', { hasText: "Trust to use this file's index" }).first();
      await tooltip.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      const text = await tooltip.innerText();
      if (!text.includes(`--index-url ${evil.simpleUrl}`)) throw new Error(`the tooltip does not name the file's index option:\n${text}`);
      await page.mouse.move(0, 0);
    });

    await step('one click on it opens the Workspace Trust editor, which trusts the folder', 'trust-editor', async () => {
      await status.click();
      const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust/ }).first();
      await trust.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      await trust.click();
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
    });

    await step('trusted: the file\'s own index is used at once and the diagnostics refresh', 'trusted', async () => {
      await quickOpen(page, FILE);
      await page.locator('.statusbar-item', { hasText: new URL(evil.simpleUrl).host }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      await problemsText(page, '9.9.9');
      if (evil.requests.length === 0) throw new Error('the file\'s index was not asked after the folder was trusted');
    });
  } catch (error) {
    results.push({ title: 'Trust setup', state: 'failed', durationMs: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    await page.close().catch(() => undefined);
    await server?.stop();
    await evil.close();
  }
  return results;
}
