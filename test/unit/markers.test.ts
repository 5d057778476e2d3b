// Marker evaluation as packaging 26.2 does it (pip/markers.ts). The cases are those of
// test/tools/marker_oracle.py; the answers were recorded from it (packaging 26.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarker, parseRequirement } from '../../server/src/parser/pep508';
import type { MarkerEnvironment } from '../../server/src/pip/environment';
import { dependencyMarkerApplies, evaluateMarker } from '../../server/src/pip/markers';

const LINUX: MarkerEnvironment = {
  "implementation_name": "cpython",
  "implementation_version": "3.11.7",
  "os_name": "posix",
  "platform_machine": "x86_64",
  "platform_release": "6.1.0-18-amd64",
  "platform_system": "Linux",
  "platform_version": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
  "python_full_version": "3.11.7",
  "platform_python_implementation": "CPython",
  "python_version": "3.11",
  "sys_platform": "linux"
};

const ENV_VARIANTS: Partial<MarkerEnvironment>[] = [
  {},
  {
    "python_full_version": "3.13.0rc1",
    "python_version": "3.13",
    "implementation_version": "3.13.0rc1"
  },
  {
    "python_full_version": "3.12.1+",
    "python_version": "3.12"
  },
  {
    "sys_platform": "win32",
    "os_name": "nt",
    "platform_system": "Windows",
    "platform_machine": "AMD64",
    "platform_release": "10"
  }
];

const MARKERS = [
  "python_version >= \"3.8\"", "python_version < \"3.8\"",
  "python_version == \"3.11\"", "python_version == \"3.11.0\"",
  "python_version ~= \"3.10\"", "python_version ~= \"3\"",
  "python_version === \"3.11\"", "python_version != \"3.11.*\"",
  "python_version == \"3.*\"", "python_version > \"3.11\"",
  "python_full_version > \"3.11\"", "python_full_version >= \"3.11.7\"",
  "\"3.8\" < python_version", "\"3.11\" in python_version",
  "python_version in \"3.10 3.11 3.12\"", "python_version not in \"3.10, 3.12\"",
  "python_version < \"3.12.0b1\"", "python_version >= \"three\"",
  "sys_platform == \"linux\"", "sys_platform != \"win32\"",
  "sys_platform == \"Linux\"", "sys_platform > \"a\"",
  "sys_platform >= \"linux\"", "sys_platform <= \"linux\"",
  "sys_platform < \"z\"", "sys_platform ~= \"linux\"",
  "sys_platform === \"linux\"", "\"lin\" in sys_platform",
  "sys_platform in \"linux2 darwin\"", "os_name == \"nt\"",
  "platform_machine == \"x86_64\" and sys_platform == \"linux\"", "platform_machine == \"arm64\" or sys_platform == \"linux\"",
  "platform_machine == \"arm64\" or sys_platform == \"linux\" and os_name == \"nt\"", "(platform_machine == \"arm64\" or sys_platform == \"linux\") and os_name == \"nt\"",
  "implementation_name == \"cpython\" and platform_python_implementation == \"CPython\"", "platform_release >= \"5\"",
  "platform_release == \"6.1.0-18-amd64\"", "implementation_version >= \"3.11\"",
  "platform_system == \"Linux\" and platform_version != \"\"", "os.name == \"posix\"",
  "python_implementation == \"CPython\"", "extra == \"socks\"",
  "extra == \"SOCKS\"", "extra == \"Foo_Bar\"",
  "(extra == \"Foo_Bar\")", "\"socks\" == extra",
  "extra != \"socks\"", "extra == \"socks\" and python_version >= \"3\"",
  "python_version >= \"3\" and (extra == \"foo-bar\")", "\"so\" in extra",
  "extra in \"socks,security\"", "extra == \"\"",
  "python_version == python_full_version", "extra == extra",
  "python_version >= \"3\" and (extra != \"Foo_Bar\")",
];

const EXTRAS = [
  "", "socks", "Socks", "foo-bar", "Foo.Bar", "security",
];

/** Per environment variant, per marker: the verdict for each extra (T, F, E = packaging raises). */
const MARKER_ANSWERS: string[][] = [
  ['TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'EEEEEE', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'EEEEEE', 'EEEEEE', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'FTTFFF', 'FTTFFF', 'FFFTTF', 'FFFFFF', 'FTTFFF', 'TFFTTT', 'FTTFFF', 'FFFTTF', 'FTTFFF', 'TTTFFT', 'TFFFFF', 'FFFFFF', 'FFFFFF', 'TTTTTT'],
  ['TTTTTT', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'EEEEEE', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'EEEEEE', 'EEEEEE', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'FTTFFF', 'FTTFFF', 'FFFTTF', 'FFFFFF', 'FTTFFF', 'TFFTTT', 'FTTFFF', 'FFFTTF', 'FTTFFF', 'TTTFFT', 'TFFFFF', 'FFFFFF', 'FFFFFF', 'TTTTTT'],
  ['TTTTTT', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'EEEEEE', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'EEEEEE', 'EEEEEE', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'FTTFFF', 'FTTFFF', 'FFFTTF', 'FFFFFF', 'FTTFFF', 'TFFTTT', 'FTTFFF', 'FFFTTF', 'FTTFFF', 'TTTFFT', 'TFFFFF', 'FFFFFF', 'FFFFFF', 'TTTTTT'],
  ['TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'EEEEEE', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'EEEEEE', 'EEEEEE', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'TTTTTT', 'FFFFFF', 'TTTTTT', 'FFFFFF', 'FFFFFF', 'TTTTTT', 'FTTFFF', 'FTTFFF', 'FFFTTF', 'FFFFFF', 'FTTFFF', 'TFFTTT', 'FTTFFF', 'FFFTTF', 'FTTFFF', 'TTTFFT', 'TFFFFF', 'FFFFFF', 'FFFFFF', 'TTTTTT'],
];

test('markers evaluate as packaging evaluates them, for every environment and extra', () => {
  ENV_VARIANTS.forEach((variant, envIndex) => {
    const environment = { ...LINUX, ...variant };
    MARKERS.forEach((text, markerIndex) => {
      const marker = markerOf(text);
      const actual = EXTRAS.map((extra) => {
        const result = evaluateMarker(marker, environment, extra);
        return result.ok ? (result.value ? 'T' : 'F') : 'E';
      }).join('');
      assert.equal(actual, MARKER_ANSWERS[envIndex][markerIndex], `${text} in environment ${envIndex} (extras ${EXTRAS.join('|')})`);
    });
  });
});

/** A marker parsed, as the parser gives it. */
function markerOf(text: string) {
  const parsed = parseMarker(text);
  assert.ok(parsed.ok, text);
  return parsed.value;
}

test('an undefined comparison or variable is reported, not thrown', () => {
  assert.deepEqual(evaluateMarker(markerOf('sys_platform ~= "linux"'), LINUX), { ok: false, message: "the marker operator '~=' is undefined for 'linux' and 'linux'" });
  assert.deepEqual(evaluateMarker(markerOf('"socks" in extras'), LINUX), { ok: false, message: "the marker variable 'extras' is not defined when installing (it exists only in lock files)" });
});

test('a dependency marker is judged as written and as pip prints it again', () => {
  const marker = (text: string) => {
    const parsed = parseRequirement(`dep; ${text}`);
    assert.ok(parsed.ok && parsed.value.marker);
    return parsed.value.marker;
  };
  // Inside parentheses packaging does not normalize the extra: as written it never matches...
  assert.deepEqual(dependencyMarkerApplies(marker('python_version >= "3" and (extra == "Foo_Bar")'), LINUX, ['foo-bar']), { ok: true, value: false });
  // ...and `!=` matches as written but not once printed (str() lifts it to the top level).
  assert.deepEqual(dependencyMarkerApplies(marker('python_version >= "3" and (extra != "Foo_Bar")'), LINUX, ['foo-bar']), { ok: true, value: false });
  assert.deepEqual(dependencyMarkerApplies(marker('extra == "Foo_Bar"'), LINUX, ['security', 'foo-bar']), { ok: true, value: true });
  assert.deepEqual(dependencyMarkerApplies(marker('extra == "socks"'), LINUX, []), { ok: true, value: false });
  assert.deepEqual(dependencyMarkerApplies(marker('sys_platform == "win32"'), LINUX, []), { ok: true, value: false });
  assert.deepEqual(dependencyMarkerApplies(marker('python_version >= "3"'), LINUX, ['socks']), { ok: true, value: true });
});
