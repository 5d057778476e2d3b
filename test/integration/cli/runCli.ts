// Running the bundled reqguard command as users do (server/out/cli.js in a child process), in a
// throwaway workspace with an environment of its own: shared by the CLI tests.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeStoredResponse, encodeStoredResponse } from '../../../server/src/index/cache';
import { REPO_ROOT } from '../../helpers/corpus';
import { tempDir } from '../../helpers/tempDirs';

export const CLI = join(REPO_ROOT, 'server/out/cli.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Port 9 (discard) on loopback: nothing listens there, so connecting fails at once. */
const REFUSING_PROXY = 'http://127.0.0.1:9';

/**
 * The child gets an environment of its own, never this machine's: no inherited PIP_* variables,
 * an empty pip config file, and home, cache and config folders inside the workspace (`.machine`).
 * A proxy that refuses every connection stands in front of everything but loopback, so a test
 * that forgets to point reqguard at a local index fails at once instead of asking pypi.org.
 */
function childEnv(dir: string, extra: Record<string, string>): Record<string, string> {
  const machine = join(dir, '.machine');
  const pipConfig = join(machine, 'pip.conf');
  if (!existsSync(pipConfig)) {
    mkdirSync(machine, { recursive: true });
    writeFileSync(pipConfig, '');
  }
  return {
    PATH: process.env.PATH ?? '',
    HOME: join(machine, 'home'),
    XDG_CACHE_HOME: join(machine, 'cache'),
    XDG_CONFIG_HOME: join(machine, 'config'),
    PIP_CONFIG_FILE: pipConfig,
    HTTPS_PROXY: REFUSING_PROXY,
    HTTP_PROXY: REFUSING_PROXY,
    NO_PROXY: '127.0.0.1,localhost',
    ...extra,
  };
}

/** Asynchronous, so a test index served by this process can answer the child. */
export function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // The time limit also catches a process kept alive by open keep-alive connections.
    execFile(process.execPath, [CLI, ...args], { cwd, env: childEnv(cwd, env), encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => {
      if (error?.killed) return reject(new Error(`reqguard ${args.join(' ')} did not exit on its own`));
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** A fresh folder holding `files` (text is written as UTF-8; bytes as they are). */
export function workspace(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir('cli');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/**
 * Makes every answer in a cache folder look fetched a day ago, past its 10 minutes, instead of
 * waiting; returns that time.
 */
export function ageCachedAnswers(cacheDir: string): number {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    const stored = decodeStoredResponse(readFileSync(path, 'utf8'));
    if (!stored) throw new Error(`${path} is not a stored response`);
    writeFileSync(path, encodeStoredResponse({ ...stored, fetchedAt: dayAgo }));
  }
  return dayAgo;
}
