#!/usr/bin/env python3
"""Reference oracle for pip/specifiers.ts and pip/markers.ts: what packaging 26.2 answers.

Prints one JSON document with packaging's verdicts on a fixed list of cases (the same lists
test/unit/markers.test.ts and test/unit/specifiers.test.ts hold with these answers recorded):

    python3 test/tools/marker_oracle.py > /tmp/oracle.json

Needs packaging 26.2 importable (pip 26 vendors the same copy: pip._vendor.packaging).
"""
import json
import sys

try:
    import packaging
    from packaging.markers import Marker
    from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
except ImportError:  # pip 26's own copy
    from pip._vendor import packaging
    from pip._vendor.packaging.markers import Marker
    from pip._vendor.packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet

if packaging.__version__ != "26.2":
    sys.exit(f"packaging {packaging.__version__} found; the recorded answers are packaging 26.2's")

VERSIONS = [
    "1.0", "1.0.0", "1.0a1", "1.0b2", "1.0rc1", "1.0.dev0", "1.0.post1", "1.0.post1.dev1", "1.0+local.7",
    "1.1", "1.1a1", "1.9", "2.0", "2.0.dev1", "2.0rc1", "2.0.post2", "0.9", "1!0.5", "3.11.7", "3.11", "3.12.0b1",
    "not-a-version", "1.0-1", "V1.0", " 1.0 ",
]

SPECIFIERS = [
    "==1.0", "==1", "==1.0.*", "==1.*", "==1.0a1", "==1.0+local.7", "!=1.0", "!=1.0.*", "<2.0", "<2.0rc1", "<=1.0",
    ">1.0", ">1.0.post1", ">1.0a1", ">=1.0", ">=1.0a1", "~=1.0", "~=1.0.0", "~=1.0a1", "~=1!0.5", "===1.0",
    "===not-a-version", "===1.0.0", "==1!0.*", "<3.12", ">=3.11", "==3.11.*",
]

SETS = [
    "", ">=1.0", ">=1.0,<2.0", ">=1.0a1", "!=1.0", "<2.0rc1", "==1.0a1", "~=1.0", ">=1.0,!=2.0.post2", "===1.0", ">=2.0",
    ">=5",
]

SET_ITEMS = [
    ["1.0", "1.1a1", "2.0rc1"],
    ["1.0a1", "1.0b2"],
    ["1.0", "2.0"],
    ["2.0.dev1", "1.9"],
    ["not-a-version", "1.0"],
    ["not-a-version", "1.1a1"],
    ["2.0rc1", "2.0.post2"],
]

MARKER_ENV = {
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
    "sys_platform": "linux",
}

MARKERS = [
    'python_version >= "3.8"', 'python_version < "3.8"', 'python_version == "3.11"', 'python_version == "3.11.0"',
    'python_version ~= "3.10"', 'python_version ~= "3"', 'python_version === "3.11"', 'python_version != "3.11.*"',
    'python_version == "3.*"', 'python_version > "3.11"', 'python_full_version > "3.11"', 'python_full_version >= "3.11.7"',
    '"3.8" < python_version', '"3.11" in python_version', 'python_version in "3.10 3.11 3.12"',
    'python_version not in "3.10, 3.12"', 'python_version < "3.12.0b1"', 'python_version >= "three"',
    'sys_platform == "linux"', 'sys_platform != "win32"', 'sys_platform == "Linux"', 'sys_platform > "a"',
    'sys_platform >= "linux"', 'sys_platform <= "linux"', 'sys_platform < "z"', 'sys_platform ~= "linux"',
    'sys_platform === "linux"', '"lin" in sys_platform', 'sys_platform in "linux2 darwin"', 'os_name == "nt"',
    'platform_machine == "x86_64" and sys_platform == "linux"', 'platform_machine == "arm64" or sys_platform == "linux"',
    'platform_machine == "arm64" or sys_platform == "linux" and os_name == "nt"',
    '(platform_machine == "arm64" or sys_platform == "linux") and os_name == "nt"',
    'implementation_name == "cpython" and platform_python_implementation == "CPython"',
    'platform_release >= "5"', 'platform_release == "6.1.0-18-amd64"', 'implementation_version >= "3.11"',
    'platform_system == "Linux" and platform_version != ""', 'os.name == "posix"', 'python_implementation == "CPython"',
    'extra == "socks"', 'extra == "SOCKS"', 'extra == "Foo_Bar"', '(extra == "Foo_Bar")', '"socks" == extra',
    'extra != "socks"', 'extra == "socks" and python_version >= "3"', 'python_version >= "3" and (extra == "foo-bar")',
    '"so" in extra', 'extra in "socks,security"', 'extra == ""', 'python_version == python_full_version',
    'extra == extra', 'python_version >= "3" and (extra != "Foo_Bar")',
]

EXTRAS = ["", "socks", "Socks", "foo-bar", "Foo.Bar", "security"]

ENV_VARIANTS = [
    {},
    {"python_full_version": "3.13.0rc1", "python_version": "3.13", "implementation_version": "3.13.0rc1"},
    {"python_full_version": "3.12.1+", "python_version": "3.12"},
    {"sys_platform": "win32", "os_name": "nt", "platform_system": "Windows", "platform_machine": "AMD64", "platform_release": "10"},
]


def specifier_cases():
    out = []
    for spec in SPECIFIERS:
        try:
            parsed = Specifier(spec)
        except InvalidSpecifier:
            out.append({"spec": spec, "invalid": True})
            continue
        for version in VERSIONS:
            out.append({
                "spec": spec,
                "version": version,
                "prereleases": parsed.prereleases,
                "contains": parsed.contains(version),
                "containsPre": parsed.contains(version, prereleases=True),
                "containsFinal": parsed.contains(version, prereleases=False),
            })
    return out


def set_cases():
    out = []
    for text in SETS:
        spec = SpecifierSet(text)
        for items in SET_ITEMS:
            out.append({
                "set": text,
                "items": items,
                "filter": list(spec.filter(items)),
                "filterPre": list(spec.filter(items, prereleases=True)),
                "filterFinal": list(spec.filter(items, prereleases=False)),
            })
    return out


def marker_cases():
    out = []
    for variant_index, variant in enumerate(ENV_VARIANTS):
        env = {**MARKER_ENV, **variant}
        for text in MARKERS:
            for extra in EXTRAS:
                try:
                    value = Marker(text).evaluate({**env, "extra": extra})
                except Exception as e:  # UndefinedComparison, KeyError...
                    value = f"error:{type(e).__name__}"
                out.append({"env": variant_index, "marker": text, "extra": extra, "value": value})
    return out


json.dump({"specifiers": specifier_cases(), "sets": set_cases(), "markers": marker_cases()}, sys.stdout, indent=None)
print()
