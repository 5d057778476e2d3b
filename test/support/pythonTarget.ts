// The target environment of the python3 that runs pip in the tests: its marker environment
// (`packaging.markers.default_environment()`) and the wheel tags pip accepts for it
// (`pip._internal.utils.compatibility_tags.get_supported()`, most preferred first).
import type { TargetEnvironment } from '../../server/src/pip/environment';
import { python } from './pip';

const SCRIPT = [
  'import json',
  'from pip._vendor.packaging.markers import default_environment',
  'from pip._internal.utils.compatibility_tags import get_supported',
  'print(json.dumps({"markers": default_environment(), "tags": [str(t) for t in get_supported()]}))',
].join('\n');

let asked: Promise<TargetEnvironment> | undefined;

/** Asked once per test process. */
export function pipPythonTarget(): Promise<TargetEnvironment> {
  asked ??= python(['-c', SCRIPT]).then((run) => {
    if (run.status !== 0) throw new Error(`python3 could not describe itself: ${run.stderr}`);
    const { markers, tags } = JSON.parse(run.stdout) as Pick<TargetEnvironment, 'markers' | 'tags'>;
    const target: TargetEnvironment = { name: `the python3 that runs pip (${markers.python_full_version})`, label: `the python3 that runs pip (${markers.python_full_version})`, source: 'interpreter', markers, tags };
    return target;
  });
  return asked;
}
