#!/usr/bin/env python3
"""Reference oracle: the wheel tags a described target installs, from packaging itself.

For each case (a Python version and a platform tag naming a machine) it asks
packaging.tags what such a machine installs, in sys_tags() order:

* the machine's platform tags: on Linux packaging's own _linux_platforms(), with
  the glibc (or musl) version and the architecture it reads from the running
  machine replaced by the case's; mac_platforms(version, arch) on macOS; the tag
  itself on Windows and for linux_<arch>;
* cpython_tags(python_version, platforms=...) then
  compatible_tags(python_version, interpreter='cpXY', platforms=...), which is
  what sys_tags() yields on such a CPython (and pip's get_supported()).

With --pip PYTHON it also runs `PYTHON -m pip debug --verbose --python-version
X.Y --platform P ...` with the same platform list and fails unless pip lists the
same tags in the same order (the same tags only, when pip's own expansion of
manylinux2014 moves manylinux2010 and manylinux1 up).  Writes one JSON document (--output, else stdout):
{"packaging": version, "pip": version or null, "cases": [{"python", "platform",
"platforms", "tags"}]}.  No network.
"""

import argparse
import json
import subprocess
import sys
from unittest import mock

import packaging
from packaging import _manylinux, _musllinux, tags

CASES = [
    ("3.11", "manylinux_2_28_aarch64"),
    ("3.12", "manylinux2014_x86_64"),
    ("3.7", "musllinux_1_2_x86_64"),
    ("3.13", "win_amd64"),
    ("3.9", "win32"),
    ("3.11", "macosx_11_0_arm64"),
    ("3.10", "macosx_10_9_x86_64"),
    ("3.11", "linux_x86_64"),
]

LEGACY = {"manylinux2014": (2, 17), "manylinux2010": (2, 12), "manylinux1": (2, 5)}


def linux_platforms(glibc, musl, arch):
    """packaging's _linux_platforms() on a machine with this C library and architecture."""
    with mock.patch.object(tags.sysconfig, "get_platform", return_value="linux-" + arch), \
            mock.patch.object(tags, "_32_BIT_INTERPRETER", False), \
            mock.patch.object(_manylinux, "_have_compatible_abi", return_value=glibc is not None), \
            mock.patch.object(_manylinux, "_get_glibc_version", return_value=_manylinux._GLibCVersion(*(glibc or (-1, -1)))), \
            mock.patch.object(_manylinux, "_is_compatible", side_effect=lambda arch, version: glibc is not None and version <= glibc), \
            mock.patch.object(_musllinux, "_get_musl_version", return_value=_musllinux._MuslVersion(*musl) if musl else None):
        return list(tags._linux_platforms(is_32bit=False))


def machine_platforms(platform):
    prefix, _, rest = platform.partition("_")
    if prefix in LEGACY:
        return linux_platforms(LEGACY[prefix], None, rest)
    if prefix == "manylinux":
        major, minor, arch = rest.split("_", 2)
        return linux_platforms((int(major), int(minor)), None, arch)
    if prefix == "musllinux":
        major, minor, arch = rest.split("_", 2)
        return linux_platforms(None, (int(major), int(minor)), arch)
    if prefix == "macosx":
        major, minor, arch = rest.split("_", 2)
        return list(tags.mac_platforms((int(major), int(minor)), arch))
    if prefix == "linux":
        # packaging never yields linux_<arch> alone: a Linux machine always has a C library.
        # Alone it is pip's --platform linux_<arch>: that tag only.
        return [platform]
    return [platform]


def expected_tags(python, platforms):
    version = tuple(int(part) for part in python.split("."))
    interpreter = "cp" + "".join(str(part) for part in version[:2])
    found = list(tags.cpython_tags(python_version=version, platforms=platforms))
    found += list(tags.compatible_tags(python_version=version, interpreter=interpreter, platforms=platforms))
    return [str(tag) for tag in found]


def pip_tags(python_exe, python, platforms):
    args = [python_exe, "-m", "pip", "--isolated", "debug", "--verbose", "--python-version", python]
    for platform in platforms:
        args += ["--platform", platform]
    out = subprocess.run(args, check=True, capture_output=True, text=True, env={"PIP_CONFIG_FILE": "/dev/null", "PATH": "/usr/bin:/bin"}).stdout
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Compatible tags:"))
    return [line.strip() for line in lines[start + 1:] if line.startswith("  ")]


def pip_version(python_exe):
    out = subprocess.run([python_exe, "-m", "pip", "--version"], check=True, capture_output=True, text=True).stdout
    return out.split()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pip", help="a Python whose pip must list the same tags")
    parser.add_argument("--output", "-o")
    options = parser.parse_args()
    cases = []
    for python, platform in CASES:
        platforms = machine_platforms(platform)
        expected = expected_tags(python, platforms)
        if options.pip:
            listed = pip_tags(options.pip, python, platforms)
            # pip expands a manylinux2014 platform to manylinux2010 and manylinux1 right after it:
            # the same tags, those two earlier in the list.
            reordered = any(p.startswith("manylinux2014_") for p in platforms) and sorted(listed) == sorted(expected)
            if listed != expected and not reordered:
                sys.exit("pip lists other tags for %s %s: %r" % (python, platform, [t for t in listed if t not in expected][:5]))
        cases.append({"python": python, "platform": platform, "platforms": platforms, "tags": expected})
    document = {"packaging": packaging.__version__, "pip": pip_version(options.pip) if options.pip else None, "cases": cases}
    text = json.dumps(document, indent=1) + "\n"
    if options.output:
        with open(options.output, "w") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
