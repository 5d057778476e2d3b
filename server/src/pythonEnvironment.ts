// Asking real Python interpreters what they are (the only place reqguard runs one): `PYTHON -I -c
// SCRIPT` prints the PEP 508 marker values and `packaging.tags.sys_tags()` (pip's vendored copy
// when packaging is not installed; none when neither is) and the version of its pip (the default
// installer profile), which become a TargetEnvironment. Each
// answer is kept per path, size and modification time. Also this machine's platform tag, for a
// Python version given without one.
import { execFile, type ExecFileException } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { PythonEnvironments, SysPathResult } from './engine/targets';
import type { TargetEnvironment } from './pip/environment';
import { reportedTarget, type TargetResult } from './pip/targets';

/**
 * What the interpreter runs: standard library only, and Python 2 syntax too, so that a Python 2
 * says what it is instead of failing to compile. `-I` keeps the workspace (the current folder,
 * PYTHON* variables, user site-packages) out of what it imports.
 */
export const PROBE_SCRIPT = `
import json, os, platform, sys
def report():
    if sys.version_info[0] < 3:
        return {"error": "Python %s is not Python 3" % platform.python_version()}
    info = sys.implementation.version
    version = "%d.%d.%d" % (info.major, info.minor, info.micro)
    if info.releaselevel != "final":
        version += info.releaselevel[0] + str(info.serial)
    markers = {
        "implementation_name": sys.implementation.name,
        "implementation_version": version,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }
    answer = {"markers": markers, "executable": sys.executable}
    for module in ("packaging.tags", "pip._vendor.packaging.tags"):
        try:
            tags = __import__(module, fromlist=["sys_tags"])
            answer["tags"] = [str(tag) for tag in tags.sys_tags()]
            answer["tagsFrom"] = module
            break
        except Exception:
            pass
    try:
        from importlib.metadata import version as installed_version
        answer["pip"] = installed_version("pip")
    except Exception:
        pass
    return answer
sys.stdout.write(json.dumps(report()))
`;

/** An interpreter that starts through a pyenv shim or conda takes a few hundred milliseconds; ten seconds is a hang. */
export const PROBE_TIMEOUT_MS = 10_000;
/** The answer is about 40 KB (900 tags); a megabyte is something else talking. */
export const PROBE_MAX_OUTPUT = 1024 * 1024;

export interface InterpreterProbeOptions {
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
  /** The environment the interpreter runs in, and whose PATH commands are looked up on (default: this process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where relative paths are resolved (default: this process's working folder). */
  readonly cwd?: string;
}

/** An executable file named `command` on PATH (with Windows' extensions there), as an absolute path. */
export function findOnPath(command: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE').split(';').filter(Boolean) : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = join(dir, command + extension);
      try {
        accessSync(candidate, constants.X_OK);
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Why a run failed, in words. */
function failure(path: string, error: ExecFileException, stderr: string, timeoutMs: number, maxOutput: number): string {
  if (error.code === 'ENOENT') return `${path}: no such file`;
  if (error.code === 'EACCES') return `${path}: permission denied (not an executable)`;
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return `${path} answered more than ${Math.round(maxOutput / 1024)} KB: not the answer of a Python interpreter`;
  if (error.killed) return `${path} did not answer within ${timeoutMs / 1000} s`;
  const lastLine = stderr.trim().split('\n').at(-1)?.slice(0, 300);
  const status = typeof error.code === 'number' ? `exit status ${error.code}` : error.signal ? `signal ${error.signal}` : error.message;
  return `${path} failed (${status})${lastLine ? `: ${lastLine}` : ''}`;
}

/** Runs `PYTHON FLAGS -c SCRIPT` in a neutral folder and hands its stdout to `read`; failures in words. */
function runScript<T>(path: string, flags: readonly string[], script: string, options: Required<InterpreterProbeOptions>, read: (stdout: string) => T | { ok: false; error: string }): Promise<T | { ok: false; error: string }> {
  return new Promise((done) => {
    execFile(
      path,
      [...flags, '-c', script],
      // A neutral folder: nothing of the workspace is importable even by an interpreter that ignores -I.
      { cwd: tmpdir(), env: options.env, encoding: 'utf8', timeout: options.timeoutMs, maxBuffer: options.maxOutputBytes, windowsHide: true },
      (error, stdout, stderr) => done(error ? { ok: false, error: failure(path, error, stderr, options.timeoutMs, options.maxOutputBytes) } : read(stdout)),
    );
  });
}

/** The JSON an interpreter printed, or why it is not an answer. */
function answerOf(path: string, stdout: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(stdout) };
  } catch {
    return { ok: false, error: `${path} did not answer as a Python interpreter does: ${JSON.stringify(stdout.slice(0, 100))}` };
  }
}

/** Runs the probe once (no cache): the interpreter's answer as a target, or why there is none. */
function runProbe(path: string, from: Pick<TargetEnvironment, 'source' | 'origin'>, options: Required<InterpreterProbeOptions>): Promise<TargetResult> {
  return runScript(path, ['-I'], PROBE_SCRIPT, options, (stdout): TargetResult => {
    const answer = answerOf(path, stdout);
    if (!answer.ok) return answer;
    const target = reportedTarget(answer.value, path, from);
    return target.ok ? target : { ok: false, error: `${path}: ${target.error}` };
  });
}

/**
 * Prints sys.path as `python -m pip freeze` sees it: with the user's site-packages (no -s) but
 * without PYTHON* variables (-E) and without the current folder (the script's '' entry, dropped).
 */
export const SYS_PATH_SCRIPT = 'import json, sys; sys.stdout.write(json.dumps([entry for entry in sys.path if entry]))';

function runSysPath(path: string, options: Required<InterpreterProbeOptions>): Promise<SysPathResult> {
  return runScript(path, ['-E'], SYS_PATH_SCRIPT, options, (stdout): SysPathResult => {
    const answer = answerOf(path, stdout);
    if (!answer.ok) return answer;
    const paths = answer.value;
    if (!Array.isArray(paths) || !paths.every((entry) => typeof entry === 'string')) return { ok: false, error: `${path} did not answer with a list of folders` };
    return { ok: true, paths };
  });
}

/**
 * The interpreters of this machine: answers kept per path, size and modification time (an
 * upgraded interpreter is asked again), a timeout (which may pass) never kept. Every caller waits
 * for the one run, which its time limit bounds.
 */
export function createPythonEnvironments(options: InterpreterProbeOptions = {}): PythonEnvironments {
  const settled: Required<InterpreterProbeOptions> = {
    timeoutMs: options.timeoutMs ?? PROBE_TIMEOUT_MS,
    maxOutputBytes: options.maxOutputBytes ?? PROBE_MAX_OUTPUT,
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
  };
  const answers = new Map<string, Promise<TargetResult>>();
  let host: { tag: string | undefined } | undefined;
  const locate = (path: string) => (isAbsolute(path) || /[\\/]/.test(path) ? resolve(settled.cwd, path) : findOnPath(path, settled.env));
  return {
    ask(path, from) {
      const located = locate(path);
      if (!located) return Promise.resolve({ ok: false, error: `${path}: not found on PATH` });
      let stamp: string;
      try {
        const stats = statSync(located);
        stamp = `${stats.size}:${stats.mtimeMs}`;
      } catch {
        return Promise.resolve({ ok: false, error: `${located}: no such file` });
      }
      // The origin is part of the key: the same interpreter chosen two ways is labelled two ways.
      const key = JSON.stringify([located, stamp, from.source, from.origin]);
      let answer = answers.get(key);
      if (!answer) {
        answer = runProbe(located, from, settled);
        answers.set(key, answer);
        void answer.then((result) => {
          if (!result.ok && result.error.includes(' did not answer within ')) answers.delete(key);
        });
      }
      return answer;
    },
    sysPath(path) {
      const located = locate(path);
      return located ? runSysPath(located, settled) : Promise.resolve({ ok: false, error: `${path}: not found on PATH` });
    },
    defaultInterpreters() {
      return ['python3', 'python'].map((command) => findOnPath(command, settled.env)).filter((path): path is string => path !== undefined);
    },
    hostPlatform: () => (host ??= { tag: hostPlatformTag() }).tag,
  };
}

/** Node's names for Linux architectures, as Python's `platform.machine()` says them. */
const LINUX_MACHINES: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', arm: 'armv7l', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loongarch64' };
const WINDOWS_PLATFORMS: Readonly<Record<string, string>> = { x64: 'win_amd64', ia32: 'win32', arm64: 'win_arm64' };
const MAC_MACHINES: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'arm64' };

/**
 * This machine's platform tag, as pip on it would name the platform: the glibc version Node runs
 * on, the macOS version from the Darwin kernel's, or the Windows architecture.
 */
export function hostPlatformTag(): string | undefined {
  if (process.platform === 'win32') return WINDOWS_PLATFORMS[process.arch];
  if (process.platform === 'darwin') {
    const darwin = Number(release().split('.')[0]);
    const machine = MAC_MACHINES[process.arch];
    if (!machine || !Number.isInteger(darwin)) return undefined;
    // Darwin 20 is macOS 11; before it, Darwin N was macOS 10.(N-4).
    return darwin >= 20 ? `macosx_${darwin - 9}_0_${machine}` : `macosx_10_${darwin - 4}_${machine}`;
  }
  if (process.platform === 'linux') {
    const machine = LINUX_MACHINES[process.arch];
    const glibc = glibcVersion();
    const version = glibc && /^2\.(\d+)/.exec(glibc);
    // Without glibc (musl, whose version Node does not tell) only linux_<arch> is certain.
    return machine && (version ? `manylinux_2_${version[1]}_${machine}` : `linux_${machine}`);
  }
  return undefined;
}

/**
 * The glibc version Node runs on (its diagnostic report's header), without the report's look at
 * network handles, which may wait on name lookups.
 */
function glibcVersion(): string | undefined {
  const report = process.report as (NodeJS.ProcessReport & { excludeNetwork?: boolean }) | undefined;
  if (!report) return undefined;
  const excluded = report.excludeNetwork;
  report.excludeNetwork = true;
  try {
    return (report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime;
  } finally {
    report.excludeNetwork = excluded;
  }
}
