// The `reqguard` command's usage texts, in a module of their own: server/out/cli.js answers
// --help from them without loading the engine (server/out/main.js), and each command's parser
// quotes its own part.

const CHECK_USAGE = `check   reports unpinned and unhashed requirements, pip syntax errors and unsafe index settings
        in requirements files, the library rules in setup.py, setup.cfg and pyproject.toml and
        PEP 751's in pylock.toml,
        then asks each file's own index (its --index-url and includes win over the flags, as in
        pip) about unknown projects and versions, yanked releases, wrong hashes, known
        vulnerabilities and releases a target cannot install (the text output names the
        targets first). In hash-checking mode, what pip refuses in the files a FILE includes
        is reported there too, under their own paths.
          --format text|json|sarif   output (sarif: SARIF 2.1.0 for code scanning)
          --fail-on error|warning    what makes the exit status 1 (default: error)
          --osv, --osv-url URL       also ask OSV (osv.dev, or URL) about vulnerabilities
          --minimum-release-age AGE  a cooldown ("7 days", "12 hours", P7D): report pins to
                                     releases uploaded more recently (too-new)
          --no-index-checks          offline findings only: no index is asked
        Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2 for usage
        errors, files that cannot be read, or an index that could not be asked (said on
        stderr; everything else is still reported).`;

const FIX_USAGE = `fix     pins each requirement of each FILE to the release pip would install on every target
        and adds the sha256 of every file of that release (the editor's "Pin and hash all").
        Entries that cannot be fixed are listed on stderr and left as they are. Files are
        written atomically, only when they change, each listed on stdout. In hash-checking mode (once
        hashed) the files a FILE includes with -r are fixed too, since pip refuses their
        unpinned or unhashed entries as well; otherwise they are left as they are. The
        file is completed as well: the dependencies pip installs that no file of its set
        pins are added, pinned (and hashed in hash-checking mode) with # via comments,
        sorted into place when the file is sorted, else appended; a conflict or an index
        failure is said on stderr and nothing is added.
          --dry-run                  write nothing; print the change as a unified diff
          --no-add-missing           do not add missing dependencies
          --pin-only, --hash-only    only pin (hashes already written follow a new pin), or
                                     only hash the pins as written
          --upgrade-vulnerable       only move each pin with known vulnerabilities to the
                                     nearest release known to fix them all (the editor's
                                     "Upgrade to X" quick fix; hashes follow the new pin);
                                     with --osv or --osv-url URL, OSV is asked too
          --minimum-release-age AGE  pick only releases uploaded at least AGE ago ("7 days",
                                     "12 hours", P7D), as pip --uploaded-prior-to does
          --hash-python X.Y          hash only wheels for these Pythons (repeatable; sdists stay)
          --hash-platform TAG        hash only wheels for these platforms, such as manylinux or
                                     win_amd64 (repeatable; any-platform wheels and sdists stay)
        Exit status: 0 when every entry is pinned and hashed (or already was; with
        --upgrade-vulnerable: when no pin is left vulnerable), 1 when an entry was left as it
        is (the index failed, no release fits, no fixed release is known, a URL…) or FILE is a
        library manifest (setup.py, setup.cfg, pyproject.toml), a lock file (pylock.toml) or a
        pip-compile input (*.in), 2
        for usage errors and files that cannot be read or written (files that are not UTF-8 are
        never written).`;

const INDEX_USAGE = `Index options (check, fix, lock, freeze, export, show):
  --index-url URL        the index to use unless a requirements file names its own (as in pip)
  --extra-index-url URL  another index searched as well (repeatable)
  --isolated             ignore PIP_* variables and pip's user config files, as pip --isolated does
  --offline              never touch the network: cached answers and local indexes only
  --cache-dir DIR        where answers are kept (default: $XDG_CACHE_HOME/reqguard, else ~/.cache/reqguard)
  --no-cache             keep answers in memory only, for this run
  --timeout SECONDS      time allowed for one request, 1 to 600 (default 10)
`;

const LOCK_USAGE = `lock    resolves the requirements of a pip-compile input (requirements.in: ranges allowed, with
        its -r/-c files and index lines) to the complete set pip would install, every package
        pinned and hashed with # via comments (pip-compile's layout), and writes it to OUTPUT
        (default: the input with .txt for .in). Pins already in OUTPUT are kept while they
        still satisfy every requirement, so a lock changes only what it must.
        FILE may also be a manifest: pyproject.toml ([project] dependencies), setup.cfg or
        setup.py (install_requires, read statically; OUTPUT defaults to requirements.txt beside it).
          -o, --output-file OUTPUT   where to write
          --extra NAME               add this extra's optional dependencies (repeatable)
          --all-extras               add every extra
          --group NAME               add this PEP 735 dependency group, with its includes
                                     (pyproject.toml; repeatable)
          --only-group NAME          lock the named groups alone, without the dependencies
          --dry-run                  write nothing; print the change as a unified diff
          -U, --upgrade              move every pin to the newest release that fits
          -P, --upgrade-package NAME move this project's pin (repeatable)
          --python PATH              resolve for this interpreter's environment (repeatable:
                                     one target each; default python3 on PATH)
          --hash-python X.Y, --hash-platform TAG   as for fix
        Exit status: 0 when OUTPUT is written or already up to date, 1 when the requirements
        conflict (the reason on stderr), 2 for usage errors, bad input, and an index that
        could not be read.`;

const FREEZE_USAGE = `freeze  writes the packages installed for one Python (--python PATH, else python3 or python on
        PATH) as a requirements file: the set and versions \`pip freeze\` lists, each pinned and
        hashed with every file of that release on the index, in pip-compile's layout. The
        interpreter runs once, to print its sys.path; the *.dist-info and *.egg-info metadata
        there is read. Archive URLs installed with a recorded sha256 are written as pip freeze
        writes them; editable installs, local folders, VCS checkouts and versions the index
        lacks are listed as comments (and on stderr) with the reason. The hashes are the
        index's: the installed files (their RECORD) are not compared with them.
          --python PATH              the environment's interpreter
          --all                      also pip, and setuptools, distribute and wheel (pip freeze
                                     leaves them out: setuptools and wheel on Python < 3.12 only)
          -o, --output-file OUTPUT   write there (atomically; default: stdout)
          --hash-python X.Y, --hash-platform TAG   as for fix
        Exit status: 0 when every package was written, 1 when some were left out (named on
        stderr), 2 for usage errors, an interpreter that cannot be asked, and an index that
        could not be read (nothing is written then).`;
const EXPORT_USAGE = `export  writes FILE (a hashed requirements file, Pipfile.lock, uv.lock or pylock.toml) as
        requirements.txt (pip-compile's layout) or pylock.toml (PEP 751), keeping every
        package, version, marker, extra and hash. A pylock names each file: hashes alone (a
        Pipfile.lock, a requirements file) are matched with the files on the index; a
        requirements.txt needs no network. What cannot carry over is an error naming the
        entry, and nothing is written.
          --format requirements.txt|pylock.toml   the output format (required)
          -o, --output-file OUT      where to write (default: stdout); a pylock is named
                                     pylock.toml or pylock.NAME.toml
          --dev                      Pipfile.lock: add "develop"; uv.lock: add the dev group
        Exit status: 0 when exported, 1 when an entry cannot carry over (each named on
        stderr), 2 for usage errors, files that cannot be read or written.`;

const TARGET_USAGE = `Target options (check, fix, show): where the files are installed. Pins go to the release pip
there would install; Requires-Python and wheel tags are checked for each target. Default: the
Python on PATH (python3, else python); none when there is neither.
  --python PATH          ask this interpreter (repeatable: one target each)
  --python-version X.Y   describe a target instead: this Python (X.Y or X.Y.Z)…
  --platform TAG         …on this platform, a pip --platform tag naming the machine:
                         manylinux_2_28_x86_64 (glibc 2.28, which installs manylinux_2_17 wheels
                         too), manylinux2014_aarch64, musllinux_1_2_x86_64, win_amd64, win32,
                         macosx_11_0_arm64 (default: this machine's). Both repeatable or
                         comma-separated: every version on every platform is a target.
  --implementation NAME  cpython (default) or pypy, for the described targets
`;

const INSTALLER_USAGE = `Installer option (check, fix, lock, freeze): the installer the verdicts and hashes are for.
  --installer NAME       pip (default: the pip of the target interpreter, else the latest rules
                         reqguard knows, pip 26.2), pip@26.1 (a pip version, 23.0 or newer), uv
                         or uv@0.12. Messages that depend on it say which installer they are for.
`;

export const USAGE = `Usage:
  reqguard check [--format text|json|sarif] [--fail-on error|warning] [--osv] [--osv-url URL]
                 [--minimum-release-age AGE] [--no-index-checks] [target options]
                 [index options] FILE...
  reqguard fix [--dry-run] [--no-add-missing] [--pin-only|--hash-only|--upgrade-vulnerable [--osv] [--osv-url URL]]
               [--hash-python X.Y]... [--hash-platform TAG]... [--minimum-release-age AGE]
               [target options] [index options] FILE...
  reqguard lock [--dry-run] [-o OUTPUT] [-U | -P NAME...] [target options] [index options] FILE.in
  reqguard lock [--extra NAME | --all-extras] [--group NAME | --only-group NAME]... [options] pyproject.toml
  reqguard freeze [--python PATH] [--all] [-o OUTPUT] [--installer NAME] [--hash-python X.Y]... [--hash-platform TAG]...
                  [index options]
  reqguard export --format requirements.txt|pylock.toml [-o OUT] [--dev] [index options] FILE
  reqguard show [--json] [-r FILE] [target options] [index options] PROJECT...
  reqguard parse --json FILE

${CHECK_USAGE}
${FIX_USAGE}
${LOCK_USAGE}
${FREEZE_USAGE}
${EXPORT_USAGE}
show    prints the index each PROJECT comes from and its versions there, newest first, with
        yanked ones marked. -r FILE takes the index from that requirements file (its options
        and includes win over --index-url, as in pip). Exit status: 0 when every project was
        found, 1 when one was not (or its index failed), 2 for usage or file errors.
parse   prints what pip reads in a requirements file (or a setup.py, setup.cfg,
        pyproject.toml or pylock.toml), as JSON.

${TARGET_USAGE}
${INSTALLER_USAGE}
${INDEX_USAGE}`;

/** An answer of the command's: what to print where, and the exit status. */
export interface QuickAnswer {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  readonly status: number;
}

/**
 * What the command answers without its engine: the usage (for no command, on stderr, and for
 * --help) and the version; undefined for every other command line.
 */
export function answerWithoutEngine(argv: readonly string[], version: () => string): QuickAnswer | undefined {
  const [command] = argv;
  if (command === undefined) return { stream: 'stderr', text: USAGE, status: 2 };
  if (command === '--help' || command === '-h' || command === 'help') return { stream: 'stdout', text: USAGE, status: 0 };
  if (command === '--version' || command === '-V') return { stream: 'stdout', text: `reqguard ${version()}\n`, status: 0 };
  return undefined;
}
