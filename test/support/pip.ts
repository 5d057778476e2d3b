// The real pip, for tests that prove an index or a requirements file works with it. python3 and
// pip are optional: tests using them declare `{ skip: skipWithout(PIP) }` (support/optionalProgram).
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PIP26, PYTHON3, requireProgram } from './optionalProgram';
import { tempDir } from '../helpers/tempDirs';

export interface PythonRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * python3 with nothing from this machine's pip configuration (PIP_FIND_LINKS and friends),
 * proxies or CA bundle variables (requests prefers REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE to pip's
 * `--cert`); asynchronous, because the index pip talks to runs in the test's own process.
 */
export async function python(args: string[], interpreter = 'python3'): Promise<PythonRun> {
  if (interpreter === 'python3') requireProgram(PYTHON3);
  const env: Record<string, string> = { PIP_CONFIG_FILE: '/dev/null' };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^pip_/i.test(key) && !/_proxy$/i.test(key) && !/^(requests|curl)_ca_bundle$/i.test(key)) env[key] = value;
  }
  return new Promise((resolve) => {
    execFile(interpreter, args, { encoding: 'utf8', env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The `X.Y` of the python3 pip runs on, so picks honour requires-python exactly as pip will. */
export async function pipPythonVersion(): Promise<string> {
  return (await python(['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
}

/**
 * `pip install --dry-run --require-hashes -r FILE` from one index: pip resolves the whole file,
 * dependencies included, and checks every hash, as a deployment would; nothing is installed.
 * `--ignore-installed`, so a project already on this machine is still downloaded and checked.
 */
export function pipInstallDryRun(requirementsFile: string, indexUrl: string, ...extra: string[]): Promise<PythonRun> {
  return python(['-m', 'pip', '--isolated', '--no-cache-dir', 'install', '--dry-run', '--ignore-installed', '--require-hashes', '-r', requirementsFile, '--index-url', indexUrl, ...extra]);
}

/**
 * `pip download --no-deps --require-hashes -r FILE` from one index into `dest`: what pip makes of
 * a pinned and hashed file, without installing anything.
 */
export function pipDownload(requirementsFile: string, indexUrl: string, dest: string, ...extra: string[]): Promise<PythonRun> {
  return python(['-m', 'pip', '--isolated', '--no-cache-dir', 'download', '--no-deps', '--require-hashes', '-r', requirementsFile, '--index-url', indexUrl, '-d', dest, ...extra]);
}

/** Which pip judges: this machine's (23.2.1 here) or the modern one in its venv (PIP26). */
export type PipVersion = 'system' | 'pip26';

/** `python -m pip --isolated ARGS` with the chosen pip (nothing from this machine's pip configuration). */
export function runPip(which: PipVersion, args: string[]): Promise<PythonRun> {
  const interpreter = which === 'pip26' ? requireProgram(PIP26) : 'python3';
  return python(['-m', 'pip', '--isolated', '--no-cache-dir', ...args], interpreter);
}

export interface PipResolution {
  readonly status: number;
  /** `name==version` of everything pip would install (names PEP 503 normalized), sorted; empty when pip failed. */
  readonly picks: string[];
  readonly stderr: string;
}

/**
 * What pip's resolver picks for a requirements file: `pip install --dry-run --ignore-installed
 * --report` (nothing is installed; the report lists every distribution pip would install).
 */
export async function pipResolution(which: PipVersion, requirementsFile: string, indexUrl: string, ...extra: string[]): Promise<PipResolution> {
  const dir = tempDir('pip-report');
  const report = join(dir, 'report.json');
  try {
    const run = await runPip(which, ['install', '--dry-run', '--ignore-installed', '--quiet', '--report', report, '-r', requirementsFile, '--index-url', indexUrl, ...extra]);
    if (run.status !== 0) return { status: run.status, picks: [], stderr: run.stderr };
    const installs = (JSON.parse(readFileSync(report, 'utf8')) as { install: { metadata: { name: string; version: string } }[] }).install;
    const picks = installs.map(({ metadata }) => `${metadata.name.toLowerCase().replace(/[-_.]+/g, '-')}==${metadata.version}`).sort();
    return { status: 0, picks, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
