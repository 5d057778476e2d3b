#!/usr/bin/env python3
"""Regenerates test/corpus/expected/*.json by running both oracles over the corpus.

From the repository root (the corpus is found next to this script, wherever it is run from):

    python3 test/tools/make_expected.py            # rewrite every expected file
    python3 test/tools/make_expected.py --check    # only report files whose output changed

Requirements files go through pip_oracle.py (with the manifest, so that
-r/-c includes between corpus files are followed); setup.py, setup.cfg and
pyproject.toml files go through setup_oracle.py.  Each oracle runs in its
own process with a fixed hash seed, so the output does not depend on the order
of runs or on the machine.
"""

import argparse
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# The repository's copy of the corpus: test/corpus beside test/tools.
DEFAULT_CORPUS = os.path.normpath(os.path.join(HERE, "..", "corpus"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="corpus folder (default: test/corpus)")
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args(argv)

    corpus = args.corpus
    manifest = os.path.join(corpus, "MANIFEST.tsv")
    expected_dir = os.path.join(corpus, "expected")
    os.makedirs(expected_dir, exist_ok=True)
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")

    changed = 0
    with open(manifest, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        rel = row["file"]
        path = os.path.join(corpus, rel)
        if rel.startswith("requirements/"):
            cmd = [sys.executable, os.path.join(HERE, "pip_oracle.py"), "--manifest", manifest, path]
        else:
            cmd = [sys.executable, os.path.join(HERE, "setup_oracle.py"), "--label", rel, path]
        done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env)
        if done.returncode != 0:
            sys.stderr.write(f"oracle failed on {rel}:\n{done.stderr}\n")
            return 1
        target = os.path.join(expected_dir, os.path.basename(rel) + ".json")
        old = None
        if os.path.exists(target):
            with open(target, encoding="utf-8") as fh:
                old = fh.read()
        if old != done.stdout:
            changed += 1
            if args.check:
                print(f"differs: {target}")
            else:
                with open(target, "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(done.stdout)
    print(f"{len(rows)} files, {changed} {'differ' if args.check else 'written or updated'}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
