#!/usr/bin/env python3
"""Reference oracle for parser/pylock.ts: packaging.pylock's verdict on each pylock file.

    python3 test/tools/pylock_oracle.py test/corpus/pylock/*.toml > test/corpus/expected/pylock.json

Prints one JSON object: file name -> {"valid": bool, "error": str or null, "newer": bool}, where
`error` is packaging's first refusal (tomllib's, for a TOML error) and `newer` says packaging
warned about a lock-version newer than 1.0. Needs Python 3.11+ and packaging 26.2 (pip 26's
vendored copy will do).
"""
import json
import logging
import os
import sys
import tomllib

try:
    import packaging
    from packaging.pylock import Pylock, PylockValidationError
except ImportError:  # pip 26's own copy
    from pip._vendor import packaging
    from pip._vendor.packaging.pylock import Pylock, PylockValidationError

if packaging.__version__ != "26.2":
    sys.exit(f"packaging {packaging.__version__} found; the recorded answers are packaging 26.2's")


class Warnings(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


def verdict(path):
    warnings = Warnings()
    logger = logging.getLogger(Pylock.__module__)
    logger.addHandler(warnings)
    logger.propagate = False
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
        Pylock.from_dict(data)
        return {"valid": True, "error": None, "newer": bool(warnings.records)}
    except tomllib.TOMLDecodeError as e:
        return {"valid": False, "error": f"TOML: {e}", "newer": False}
    except PylockValidationError as e:
        return {"valid": False, "error": str(e), "newer": False}
    finally:
        logger.removeHandler(warnings)


print(json.dumps({os.path.basename(p): verdict(p) for p in sorted(sys.argv[1:])}, indent=1, sort_keys=True))
