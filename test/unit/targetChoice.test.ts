// Which targets the editor and the CLI choose, on a described machine: its interpreters answer as
// the real ones do (reportedTarget of the JSON pythonEnvironment.ts's script prints), one of them
// is broken, and its platform is glibc 2.36 on x86_64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTargets, describedTargets, editorTargets, interpreterTargets, type PythonEnvironments } from '../../server/src/engine/targets';
import { reportedTarget, type TargetResult } from '../../server/src/pip/targets';
import { normalizeSettings } from '../../server/src/settings';

const markers = (version: string) => ({
  implementation_name: 'cpython',
  implementation_version: `${version}.1`,
  os_name: 'posix',
  platform_machine: 'x86_64',
  platform_release: '6.1.0',
  platform_system: 'Linux',
  platform_version: '#1 SMP',
  python_full_version: `${version}.1`,
  platform_python_implementation: 'CPython',
  python_version: version,
  sys_platform: 'linux',
});

/** What each interpreter of the machine prints; the broken one is a Python 2. */
const ANSWERS: Record<string, unknown> = {
  '/usr/bin/python3': { markers: markers('3.11'), executable: '/usr/bin/python3.11' },
  '/opt/venv/bin/python': { markers: markers('3.12'), executable: '/opt/venv/bin/python' },
  '/usr/bin/python': { error: 'Python 2.7.18 is not Python 3' },
};

/** `host` null: a machine whose platform cannot be told. */
function machine(onPath: readonly string[], host: string | null = 'manylinux_2_36_x86_64'): PythonEnvironments & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async ask(path, from): Promise<TargetResult> {
      asked.push(path);
      const answer = ANSWERS[path];
      if (answer === undefined) return { ok: false, error: `${path}: no such file` };
      const result = reportedTarget(answer, path, from);
      return result.ok ? result : { ok: false, error: `${path}: ${result.error}` };
    },
    sysPath: async (path) => ({ ok: false, error: `${path}: not asked for sys.path here` }),
    defaultInterpreters: () => [...onPath],
    hostPlatform: () => host ?? undefined,
  };
}

const labels = (choice: { targets: readonly { label: string; origin?: string }[] }) => choice.targets.map((target) => `${target.label} | ${target.origin}`);

test('the default: python3 on PATH, else python; a broken one is a note, not a target', async () => {
  assert.deepEqual(labels(await defaultTargets(machine(['/usr/bin/python3', '/usr/bin/python']))), ['CPython 3.11 on Linux x86_64 (/usr/bin/python3) | python3 on PATH']);
  const broken = await defaultTargets(machine(['/usr/bin/python']));
  assert.deepEqual(broken, { targets: [], notes: ['/usr/bin/python: Python 2.7.18 is not Python 3'] });
  assert.deepEqual(await defaultTargets(machine([])), { targets: [], notes: [] });
});

test('the editor: reqguard.targets, else the Python extension\'s interpreter, else PATH, else reqguard.pythonVersion (on this machine\'s platform)', async () => {
  const described = normalizeSettings({ targets: [{ pythonVersion: '3.12', platform: 'win_amd64' }, { pythonVersion: '3.11' }], pythonVersion: '3.9' });
  const box = machine(['/usr/bin/python3']);
  assert.deepEqual(labels(await editorTargets(described, '/opt/venv/bin/python', box)), [
    'CPython 3.12 on Windows AMD64 (win_amd64) | reqguard.targets',
    'CPython 3.11 on Linux x86_64 (manylinux_2_36_x86_64) | reqguard.targets',
  ]);
  assert.deepEqual(box.asked, [], 'described targets ask no interpreter');

  const plain = normalizeSettings({ pythonVersion: '3.9' });
  assert.deepEqual(labels(await editorTargets(plain, '/opt/venv/bin/python', box)), ['CPython 3.12 on Linux x86_64 (/opt/venv/bin/python) | the Python extension']);
  const missing = await editorTargets(plain, '/gone/python', box);
  assert.deepEqual(labels(missing), ['CPython 3.11 on Linux x86_64 (/usr/bin/python3) | python3 on PATH']);
  assert.deepEqual(missing.notes, ['/gone/python: no such file']);

  const bare = await editorTargets(plain, undefined, machine([]));
  assert.deepEqual(labels(bare), ['CPython 3.9 on Linux x86_64 (manylinux_2_36_x86_64) | reqguard.pythonVersion']);
  assert.equal(bare.targets[0].tags?.[0], 'cp39-cp39-manylinux_2_36_x86_64');
  assert.deepEqual(labels(await editorTargets(plain, undefined, machine([], null))), ['CPython 3.9 | reqguard.pythonVersion'], 'a platform that cannot be told: any');
  assert.deepEqual(await editorTargets(normalizeSettings({}), undefined, machine([])), { targets: [], notes: [] });
  // No way to ask interpreters (a server without one): the settings alone.
  assert.deepEqual(labels(await editorTargets(plain, '/opt/venv/bin/python', undefined)), ['CPython 3.9 | reqguard.pythonVersion']);
});

test('bad reqguard.targets items are notes; the good ones are the targets; none good falls through', async () => {
  const box = machine(['/usr/bin/python3']);
  const mixed = await editorTargets(normalizeSettings({ targets: [{ pythonVersion: '3.11', platform: 'macosx_11_0_universal2' }, { pythonVersion: '3.12', platform: 'win_amd64' }] }), undefined, box);
  assert.deepEqual(labels(mixed), ['CPython 3.12 on Windows AMD64 (win_amd64) | reqguard.targets']);
  assert.deepEqual(mixed.notes, ['reqguard.targets: macosx_11_0_universal2: universal2 is a wheel format, not a machine: name the Mac\'s architecture (arm64 or x86_64)']);
  const allBad = await editorTargets(normalizeSettings({ targets: [{ pythonVersion: '2.7' }] }), undefined, box);
  assert.deepEqual(labels(allBad), ['CPython 3.11 on Linux x86_64 (/usr/bin/python3) | python3 on PATH']);
  assert.match(allBad.notes[0], /^reqguard\.targets: "2\.7" is not a Python version/);
});

test('interpreters named explicitly are each asked once; described targets take this machine\'s platform when they name none', async () => {
  const box = machine([]);
  const asked = await interpreterTargets(['/usr/bin/python3', '/usr/bin/python3', '/usr/bin/python'], { source: 'flag', origin: '--python' }, box);
  assert.deepEqual(box.asked, ['/usr/bin/python3', '/usr/bin/python']);
  assert.deepEqual(labels(asked), ['CPython 3.11 on Linux x86_64 (/usr/bin/python3) | --python']);
  assert.deepEqual(asked.notes, ['/usr/bin/python: Python 2.7.18 is not Python 3']);
  const described = describedTargets([{ pythonVersion: '3.13' }, { pythonVersion: '3.13', platform: 'win32' }], { source: 'flag', origin: '--python-version' }, box);
  assert.deepEqual(labels(described), ['CPython 3.13 on Linux x86_64 (manylinux_2_36_x86_64) | --python-version', 'CPython 3.13 on Windows x86 (win32) | --python-version']);
});
