// The environment a file is installed into, for markers and Requires-Python in dependency checks
// and completions. For now one target built from `reqguard.pythonVersion` (CLI `--python-version`):
// CPython on Linux x86_64, every wheel considered. Choosing the interpreter and several targets
// replaces this one function.
import type { TargetEnvironment } from '../pip/environment';
import type { ReqguardSettings } from '../settings';

/** The Python assumed when none is set: a current CPython. */
export const DEFAULT_TARGET_PYTHON = '3.12';

export function fileTarget(settings: Pick<ReqguardSettings, 'pythonVersion'>): TargetEnvironment {
  const given = settings.pythonVersion;
  const parts = (given ?? DEFAULT_TARGET_PYTHON).split('.');
  const minor = `${parts[0]}.${parts[1] ?? '0'}`;
  const full = `${minor}.${parts[2] ?? '0'}`;
  return {
    label: `CPython ${minor} on Linux x86_64${given ? '' : ' (reqguard.pythonVersion is not set)'}`,
    source: given ? 'setting' : 'default',
    markers: {
      implementation_name: 'cpython',
      implementation_version: full,
      os_name: 'posix',
      platform_machine: 'x86_64',
      platform_release: '',
      platform_system: 'Linux',
      platform_version: '',
      python_full_version: full,
      platform_python_implementation: 'CPython',
      python_version: minor,
      sys_platform: 'linux',
    },
  };
}
