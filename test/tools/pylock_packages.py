#!/usr/bin/env python3
"""What packaging.pylock (packaging >= 25) reads in pylock.toml files, for the export tests.

For each FILE it checks the file name (packaging.pylock.is_valid_pylock_path), reads it with
Python's tomllib and validates it with Pylock.from_dict, the reference reader of PEP 751.
Writes one JSON document (stdout): {"packaging": version, "files": [{"path", "valid_name",
"error" (null when valid), "packages": [{"name", "version", "marker", "index", "sdist",
"wheels", "vcs", "directory", "archive"}]}]}, each file an object with url, size,
upload_time and hashes.  Exit status 0 when every file is valid, 1 otherwise.  No network.
"""

import json
import sys
import tomllib
from pathlib import Path

import packaging
from packaging.pylock import Pylock, PylockValidationError, is_valid_pylock_path


def file_entry(item):
    if item is None:
        return None
    entry = {"hashes": dict(item.hashes)}
    for key in ("name", "url", "path", "size", "subdirectory"):
        value = getattr(item, key, None)
        if value is not None:
            entry[key] = value
    upload_time = getattr(item, "upload_time", None)
    if upload_time is not None:
        entry["upload_time"] = upload_time.isoformat()
    return entry


def package_entry(package):
    vcs = package.vcs
    directory = package.directory
    return {
        "name": package.name,
        "version": str(package.version) if package.version is not None else None,
        "marker": str(package.marker) if package.marker is not None else None,
        "index": package.index,
        "sdist": file_entry(package.sdist),
        "wheels": [file_entry(wheel) for wheel in package.wheels or []],
        "vcs": None if vcs is None else {"type": vcs.type, "url": vcs.url, "commit_id": vcs.commit_id, "requested_revision": vcs.requested_revision, "subdirectory": vcs.subdirectory},
        "directory": None if directory is None else {"path": directory.path, "editable": directory.editable, "subdirectory": directory.subdirectory},
        "archive": file_entry(package.archive),
    }


def check(path):
    result = {"path": path, "valid_name": is_valid_pylock_path(Path(path)), "error": None, "packages": []}
    try:
        with open(path, "rb") as f:
            lock = Pylock.from_dict(tomllib.load(f))
    except (PylockValidationError, tomllib.TOMLDecodeError) as error:
        result["error"] = f"{type(error).__name__}: {error}"
        return result
    result["requires_python"] = str(lock.requires_python) if lock.requires_python is not None else None
    result["created_by"] = lock.created_by
    result["packages"] = [package_entry(package) for package in lock.packages]
    return result


def main():
    files = [check(path) for path in sys.argv[1:]]
    json.dump({"packaging": packaging.__version__, "files": files}, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0 if all(f["valid_name"] and f["error"] is None for f in files) else 1


if __name__ == "__main__":
    sys.exit(main())
