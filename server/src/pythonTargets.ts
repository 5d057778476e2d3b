// The target environments `lock` resolves for, until the shared target choice (--python,
// --python-version × --platform, reqguard.targets) lands in engine/: one target per interpreter
// named with --python, else python3 (then python) on PATH, each asked for its marker environment
// and the wheel tags its pip accepts. One function (`lockTargets`), so it can be swapped whole.
import { execFile } from 'node:child_process';
import type { TargetEnvironment } from './pip/environment';

/** Asks the interpreter what pip there would use: packaging's marker environment and pip's tags. */
const PROBE = [
  'import json',
  'from pip._vendor.packaging.markers import default_environment',
  'from pip._internal.utils.compatibility_tags import get_supported',
  'print(json.dumps({"markers": default_environment(), "tags": [str(t) for t in get_supported()]}))',
].join('\n');

const PROBE_TIMEOUT_MS = 20_000;
const PROBE_MAX_OUTPUT = 4 * 1024 * 1024;

export type TargetsResult = { readonly ok: true; readonly targets: readonly TargetEnvironment[] } | { readonly ok: false; readonly message: string };

function probe(interpreter: string, env: Readonly<Record<string, string | undefined>>): Promise<TargetEnvironment | string> {
  return new Promise((resolve) => {
    // PIP_* variables must not change what pip reports about the interpreter.
    const clean = Object.fromEntries(Object.entries(env).filter(([key]) => !/^pip_/i.test(key)));
    execFile(interpreter, ['-c', PROBE], { env: clean, encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, maxBuffer: PROBE_MAX_OUTPUT }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return resolve(code === 'ENOENT' ? `${interpreter} was not found` : `${interpreter} could not describe itself (it needs pip): ${(stderr || error.message).trim().split('\n').at(-1)}`);
      }
      try {
        const { markers, tags } = JSON.parse(stdout) as Pick<TargetEnvironment, 'markers' | 'tags'>;
        resolve({ label: `${markers.platform_python_implementation} ${markers.python_version} on ${markers.platform_system} ${markers.platform_machine} (${interpreter})`, source: 'interpreter', markers, tags });
      } catch {
        resolve(`${interpreter} answered something that is not a description of itself`);
      }
    });
  });
}

/** The targets: each --python interpreter, else python3 (then python) on PATH. */
export async function lockTargets(interpreters: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<TargetsResult> {
  if (interpreters.length === 0) {
    const first = await probe('python3', env);
    const found = typeof first === 'string' ? await probe('python', env) : first;
    if (typeof found === 'string') return { ok: false, message: `no target Python: ${typeof first === 'string' ? first : ''}; ${found}; name one with --python PATH` };
    return { ok: true, targets: [found] };
  }
  const targets: TargetEnvironment[] = [];
  for (const interpreter of interpreters) {
    const found = await probe(interpreter, env);
    if (typeof found === 'string') return { ok: false, message: found };
    targets.push(found);
  }
  return { ok: true, targets };
}
