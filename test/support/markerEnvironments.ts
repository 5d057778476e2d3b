// A marker environment as `packaging.markers.default_environment()` reports it for CPython 3.11.7
// on Linux x86_64, for tests that need a fixed one.
import type { MarkerEnvironment } from '../../server/src/pip/environment';

export const LINUX_CPYTHON_311: MarkerEnvironment = {
  implementation_name: 'cpython',
  implementation_version: '3.11.7',
  os_name: 'posix',
  platform_machine: 'x86_64',
  platform_release: '6.1.0',
  platform_system: 'Linux',
  platform_version: '#1 SMP',
  python_full_version: '3.11.7',
  platform_python_implementation: 'CPython',
  python_version: '3.11',
  sys_platform: 'linux',
};
