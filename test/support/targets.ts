// Target environments for tests, described as reqguard.targets items are: `pythonTarget('3.11')`
// is any platform (only Requires-Python counts), `pythonTarget('3.11', 'win_amd64')` a Windows one.
import { describedTarget } from '../../server/src/pip/targets';
import type { TargetEnvironment } from '../../server/src/pip/environment';

export function pythonTarget(pythonVersion: string, platform?: string): TargetEnvironment {
  const described = describedTarget({ pythonVersion, ...(platform ? { platform } : {}) }, { source: 'setting', origin: 'test' });
  if (!described.ok) throw new Error(described.error);
  return described.target;
}
