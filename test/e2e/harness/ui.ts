// UI-level checks in the browser, against the code-server window the suite just ran in: what a
// user sees and does. Each step leaves a screenshot (1280×720) in the run's screenshot folder.
import type { Locator, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipInstallDryRun } from '../../support/pip';
import { EXPECTED, UI_FILE, UI_UNPINNED_LINE, WORKSPACE_FILES } from '../fixture';
import type { TestResult } from '../results';

export interface UiContext {
  page: Page;
  workspace: string;
  indexSimpleUrl: string;
  /** Screenshots of this run go here, one per step (`NN-name.png`). */
  screenshotDir: string;
}

const STEP_TIMEOUT = 30_000;

/** The steps, in order; each leaves `NN-name.png`. */
export const UI_STEPS = ['quick-open', 'squiggle', 'hover', 'quick-fix-menu', 'quick-fix-applied', 'pin-and-hash-all', 'saved'] as const;
export type UiStep = (typeof UI_STEPS)[number];
export const screenshotName = (step: UiStep): string => `${String(UI_STEPS.indexOf(step) + 1).padStart(2, '0')}-${step}.png`;
const PIN_AND_HASH = `Pin to ${EXPECTED.flaskLatest} and add hashes`;
const UNPINNED_TEXT = WORKSPACE_FILES[UI_FILE].split('\n')[UI_UNPINNED_LINE];

/** The editor showing the UI file in the active group. */
const editorOf = (page: Page): Locator => page.locator(`.editor-group-container.active .monaco-editor[data-uri$="${UI_FILE}"]`).first();

/** The editor's rendered lines in order (only what is on screen, which is the whole small file). */
async function editorLines(page: Page): Promise<string[]> {
  return editorOf(page)
    .locator('.view-lines')
    .evaluate((root) =>
      [...root.querySelectorAll<HTMLElement>('.view-line')]
        .map((line) => ({ top: parseFloat(line.style.top || '0'), text: (line.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text),
    );
}

async function waitForText(page: Page, what: string, accept: (lines: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + STEP_TIMEOUT;
  let lines: string[] = [];
  while (Date.now() < deadline) {
    lines = await editorLines(page).catch(() => []);
    if (accept(lines)) return lines;
    await page.waitForTimeout(100); // a poll with a deadline, not a fixed wait
  }
  throw new Error(`timed out waiting for ${what}; editor shows:\n${lines.join('\n')}`);
}

/** The bounding box of the rendered line that starts with `text`. */
async function lineBox(page: Page, text: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await editorOf(page)
    .locator('.view-lines')
    .evaluate((root, wanted) => {
      const line = [...root.querySelectorAll<HTMLElement>('.view-line')].find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').startsWith(wanted));
      const span = line?.querySelector('span');
      if (!line || !span) return undefined;
      const text = span.getBoundingClientRect();
      return { x: text.x, y: text.y, width: text.width, height: text.height };
    }, text);
  if (!box) throw new Error(`no rendered line starts with ${JSON.stringify(text)}`);
  return box;
}

/** What the workbench shows, for a failure message: editor tabs, the quick input, notifications, dialogs. */
async function describeWorkbench(page: Page): Promise<string> {
  const texts = (selector: string) => page.locator(selector).allInnerTexts().catch(() => [] as string[]);
  const [tabs, activeTabs, quickInput, notifications, dialogs] = await Promise.all([
    texts('.tabs-container .tab'),
    texts('.editor-group-container.active .tab.active'),
    texts('.quick-input-widget:visible .monaco-list-row'),
    texts('.notification-toast'),
    texts('.monaco-dialog-box'),
  ]);
  const focused = await page.evaluate(() => document.activeElement?.className ?? '(none)').catch(() => '(unknown)');
  const one = (list: string[]) => (list.length ? list.map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ') : '(none)');
  return [`tabs: ${one(tabs)}`, `active tab: ${one(activeTabs)}`, `quick open rows: ${one(quickInput)}`, `notifications: ${one(notifications)}`, `dialogs: ${one(dialogs)}`, `focus: ${focused}`].join('\n');
}

/**
 * Ctrl+P, the file name, a click on its row. Tried three times: focus can move while the quick
 * input fills (a notification, the file search finishing), and a lost Enter opens nothing.
 */
async function quickOpen(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await input.fill(UI_FILE);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: UI_FILE }).first();
    await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await row.click();
    try {
      await editorOf(page).waitFor({ state: 'visible', timeout: STEP_TIMEOUT / 3 });
      return;
    } catch (error) {
      if (attempt === 3) throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await describeWorkbench(page)}`, { cause: error });
    }
  }
}

export async function runUiChecks(context: UiContext): Promise<TestResult[]> {
  const { page, screenshotDir } = context;
  const results: TestResult[] = [];
  let failed = false;
  const step = async (title: string, name: UiStep, body: () => Promise<void>) => {
    const fullTitle = `UI ${title}`;
    if (failed) {
      results.push({ title: fullTitle, state: 'pending', durationMs: 0, error: 'not run: an earlier UI step failed' });
      return;
    }
    const started = Date.now();
    const file = join(screenshotDir, screenshotName(name));
    try {
      await body();
      await page.screenshot({ path: file });
      results.push({ title: fullTitle, state: 'passed', durationMs: Date.now() - started });
    } catch (error) {
      failed = true;
      await page.screenshot({ path: file.replace(/\.png$/, '-failed.png') }).catch(() => undefined);
      results.push({ title: fullTitle, state: 'failed', durationMs: Date.now() - started, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  };

  await step(`opens ${UI_FILE} with Ctrl+P`, 'quick-open', async () => {
    await page.keyboard.press('Escape');
    // More room for the editor in the screenshots: hide the side bar (Ctrl+B).
    if (await page.locator('.part.sidebar').isVisible()) {
      await page.keyboard.press('Control+B');
      await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
    }
    await quickOpen(page);
    await waitForText(page, 'the file in the editor', (lines) => lines.includes(UNPINNED_TEXT));
  });

  await step('renders a warning squiggle on the unpinned line', 'squiggle', async () => {
    await editorOf(page).locator('.squiggly-warning').first().waitFor({ state: 'attached', timeout: STEP_TIMEOUT });
    const line = await lineBox(page, UNPINNED_TEXT);
    const squiggles = await editorOf(page)
      .locator('.squiggly-warning')
      .evaluateAll((elements) => elements.map((e) => e.getBoundingClientRect()).map((r) => ({ y: r.y, height: r.height, x: r.x, width: r.width })));
    const onLine = squiggles.filter((s) => s.y + s.height / 2 >= line.y && s.y + s.height / 2 <= line.y + line.height);
    if (onLine.length === 0) throw new Error(`no warning squiggle on line ${UI_UNPINNED_LINE + 1} (line at y=${line.y}; squiggles at ${JSON.stringify(squiggles)})`);
    if (!onLine.some((s) => s.x <= line.x + 2 && s.x + s.width >= line.x + line.width - 2)) {
      throw new Error(`the squiggle does not cover ${UNPINNED_TEXT}: ${JSON.stringify(onLine)} vs ${JSON.stringify(line)}`);
    }
  });

  await step('hover shows the versions from the index', 'hover', async () => {
    const line = await lineBox(page, UNPINNED_TEXT);
    await page.mouse.move(line.x + 12, line.y + line.height / 2, { steps: 4 });
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: EXPECTED.flaskLatest }).first();
    await hover.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    const text = await hover.innerText();
    for (const version of EXPECTED.flaskVersions) if (!text.includes(version)) throw new Error(`${version} is not in the hover:\n${text}`);
  });

  await step(`Ctrl+. lists "${PIN_AND_HASH}"`, 'quick-fix-menu', async () => {
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    const line = await lineBox(page, UNPINNED_TEXT);
    await page.mouse.click(line.x + line.width - 2, line.y + line.height / 2);
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget .monaco-list-row', { hasText: PIN_AND_HASH }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  });

  await step('applying it rewrites the entry with its pin and hashes', 'quick-fix-applied', async () => {
    await page.locator('.action-widget .monaco-list-row', { hasText: PIN_AND_HASH }).first().click();
    await waitForText(
      page,
      'the pinned, hashed entry',
      (lines) => lines.includes(`flask==${EXPECTED.flaskLatest} \\`) && lines.filter((l) => /^ {4}--hash=sha256:[0-9a-f]{64}( \\)?$/.test(l)).length === 2,
    );
    // In hash mode now: the pinned but unhashed urllib3 becomes an error.
    await editorOf(page).locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: STEP_TIMEOUT });
  });

  await step('"reqguard: Pin and hash all" from the command palette fixes the rest', 'pin-and-hash-all', async () => {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await page.keyboard.type('reqguard: Pin and hash all');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Pin and hash all' }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await page.keyboard.press('Enter');
    await waitForText(page, 'urllib3 hashed', (lines) => lines.includes(`urllib3==${EXPECTED.urllib3Latest} \\`) && lines.filter((l) => l.includes('--hash=sha256:')).length === 4);
    await page.keyboard.press('Control+End'); // no selection left in the screenshot
    await editorOf(page).locator('.squiggly-error, .squiggly-warning').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
    // The progress notification closes when the edit is applied.
    await page.locator('.notification-toast', { hasText: 'pinning and hashing' }).first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
  });

  await step('Ctrl+S saves a file pip installs with --require-hashes', 'saved', async () => {
    await editorOf(page).click({ position: { x: 200, y: 10 } });
    await page.keyboard.press('Control+S');
    const path = join(context.workspace, UI_FILE);
    const deadline = Date.now() + STEP_TIMEOUT;
    while (!readFileSync(path, 'utf8').includes(`urllib3==${EXPECTED.urllib3Latest} \\`)) {
      if (Date.now() > deadline) throw new Error(`${UI_FILE} was not saved:\n${readFileSync(path, 'utf8')}`);
      await page.waitForTimeout(100);
    }
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
    const pip = await pipInstallDryRun(path, context.indexSimpleUrl);
    if (pip.status !== 0) throw new Error(`pip refused the saved file:\n${pip.stdout}\n${pip.stderr}`);
  });

  return results;
}
