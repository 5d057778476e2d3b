// System programs some tests need and a fresh clone may not have: nginx, python3, pip, openssl,
// diff and patch, git. A test that needs one declares it, `test(name, { skip: skipWithout(NGINX) },
// …)` (or on a describe): when the program is missing the test is skipped with one line saying what
// is missing and what it enables. Under CI=true nothing is skipped: the test runs, and a missing
// program fails it. No node:test import here: the e2e launcher uses the same checks.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface OptionalProgram {
  /** What is missing, as the skip line says it: `nginx`, `pip (python3 -m pip)`. */
  readonly name: string;
  /** What it enables. */
  readonly enables: string;
  /** How to get it. */
  readonly install: string;
  /** Where it is (a path, or the command that answered), or undefined when missing. Asked once. */
  locate(): string | undefined;
}

/** CI=true (or 1): a missing program is a failure, never a skip. */
export function programsRequired(): boolean {
  return /^(true|1)$/i.test(process.env.CI ?? '');
}

/** An executable named `command` in one of `dirs`, then on PATH. */
export function findExecutable(command: string, dirs: readonly string[] = []): string | undefined {
  const path = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, ...path]) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next one
    }
  }
  return undefined;
}

/** A program found by `find` (asked once). */
export function optionalProgram(name: string, enables: string, install: string, find: () => string | undefined): OptionalProgram {
  let found: { at: string | undefined } | undefined;
  return {
    name,
    enables,
    install,
    locate: () => (found ??= { at: find() }).at,
  };
}

export const NGINX = optionalProgram(
  'nginx',
  'the static-mirror tests (a PEP 503 tree served by a real web server)',
  'apt-get install -y --no-install-recommends nginx',
  () => findExecutable('nginx', ['/usr/sbin']),
);

export const PYTHON3 = optionalProgram(
  'python3',
  "the checks that Python's own zipfile, tarfile and XML parser read the test archives and pages",
  'apt-get install -y python3',
  () => findExecutable('python3'),
);

export const PIP = optionalProgram(
  'pip (python3 -m pip)',
  "the tests where the real pip parses, downloads and installs what reqguard writes and serves",
  'apt-get install -y python3-pip',
  () => {
    if (!PYTHON3.locate()) return undefined;
    const run = spawnSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PIP_CONFIG_FILE: '/dev/null' } });
    return run.status === 0 ? 'python3 -m pip' : undefined;
  },
);

/**
 * A second, modern pip (26.x: `pip lock`, pylock.toml, its current resolver) in its own venv,
 * named by REQGUARD_PIP26_PYTHON (that venv's python); `.ci/run` builds it.
 */
export const PIP26 = optionalProgram(
  'pip 26 (REQGUARD_PIP26_PYTHON)',
  "the tests that use pip 26's resolver, `pip lock` and pylock.toml as the judge",
  'python3 -m venv V && V/bin/pip install pip-26.2.1-py3-none-any.whl, then REQGUARD_PIP26_PYTHON=V/bin/python',
  () => {
    const python = process.env.REQGUARD_PIP26_PYTHON;
    if (!python) return undefined;
    const run = spawnSync(python, ['-m', 'pip', '--version'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PIP_CONFIG_FILE: '/dev/null' } });
    return run.status === 0 && /^pip 2[6-9]\./.test(run.stdout) ? python : undefined;
  },
);

export const OPENSSL = optionalProgram(
  'openssl',
  'the TLS tests (a private CA and certificates for 127.0.0.1 made by the openssl CLI)',
  'apt-get install -y openssl',
  () => findExecutable('openssl', ['/usr/bin']),
);

export const PATCH = optionalProgram(
  'diff and patch',
  "the checks that reqguard's unified diffs (`reqguard fix --dry-run`) match diff -u and that patch applies them",
  'apt-get install -y diffutils patch',
  () => (findExecutable('diff') ? findExecutable('patch') : undefined),
);

export const GIT = optionalProgram(
  'git',
  'the check that git apply accepts the unified diffs `reqguard fix --dry-run` prints',
  'apt-get install -y git',
  () => findExecutable('git'),
);

/** The one line for a missing program: what is missing, what it enables, how to get it. */
export function missingLine(program: OptionalProgram): string {
  return `${program.name} not found: it enables ${program.enables} (install: ${program.install})`;
}

/**
 * The `skip` option for a test that needs `programs`: false when all are here, else the line for the
 * first missing one. Under CI=true always false, so the test runs and the missing program fails it.
 */
export function skipWithout(...programs: OptionalProgram[]): string | false {
  const missing = programs.find((p) => !p.locate());
  if (!missing || programsRequired()) return false;
  return missingLine(missing);
}

/** The program's location; throws the missing line (saying CI=true requires it, when set) otherwise. */
export function requireProgram(program: OptionalProgram): string {
  const at = program.locate();
  if (at) return at;
  throw new Error(`${missingLine(program)}${programsRequired() ? '; CI=true: a missing program is a failure' : ''}`);
}
