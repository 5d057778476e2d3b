// The `reqguard` command's usage texts, in a module of their own: server/out/cli.js answers
// --help from them without loading the engine (server/out/main.js), and each command's parser
// quotes its own part.

const CHECK_USAGE = `check   reports unpinned and unhashed requirements, pip syntax errors and unsafe index settings
        in requirements files and setup.py, then asks each file's own index (its --index-url
        and includes win over the flags, as in pip) about unknown projects and versions,
        yanked releases, wrong hashes and known vulnerabilities.
          --format text|json|sarif   output (sarif: SARIF 2.1.0 for code scanning)
          --fail-on error|warning    what makes the exit status 1 (default: error)
          --python-version X.Y       the target Python, checked against requires-python
          --osv, --osv-url URL       also ask OSV (osv.dev, or URL) about vulnerabilities
          --no-index-checks          offline findings only: no index is asked
        Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2 for usage
        errors, files that cannot be read, or an index that could not be asked (said on
        stderr; everything else is still reported).`;

const FIX_USAGE = `fix     pins each requirement of each FILE to the release pip would install and adds the
        sha256 of every file of that release (the editor's "Pin and hash all"). Entries that
        cannot be fixed are listed on stderr and left as they are. Only the named files are
        written (atomically, only when they change), never the files they include.
          --dry-run                  write nothing; print the change as a unified diff
          --pin-only, --hash-only    only pin (hashes already written follow a new pin), or
                                     only hash the pins as written
          --python-version X.Y       pick releases that support this Python
          --hash-python X.Y          hash only wheels for these Pythons (repeatable; sdists stay)
          --hash-platform TAG        hash only wheels for these platforms, such as manylinux or
                                     win_amd64 (repeatable; any-platform wheels and sdists stay)
        Exit status: 0 when every entry is pinned and hashed (or already was), 1 when an entry
        was left as it is (the index failed, no release fits, a URL…) or FILE is setup.py or a
        pip-compile input (*.in), 2 for usage errors and files that cannot be read or written
        (files that are not UTF-8 are never written).`;

const INDEX_USAGE = `Index options (check, fix, show):
  --index-url URL        the index to use unless a requirements file names its own (as in pip)
  --extra-index-url URL  another index searched as well (repeatable)
  --isolated             ignore PIP_* variables and pip's user config files, as pip --isolated does
  --offline              never touch the network: cached answers and local indexes only
  --cache-dir DIR        where answers are kept (default: $XDG_CACHE_HOME/reqguard, else ~/.cache/reqguard)
  --no-cache             keep answers in memory only, for this run
  --timeout SECONDS      time allowed for one request, 1 to 600 (default 10)
`;

export const USAGE = `Usage:
  reqguard check [--format text|json|sarif] [--fail-on error|warning] [--python-version X.Y]
                 [--osv] [--osv-url URL] [--no-index-checks] [index options] FILE...
  reqguard fix [--dry-run] [--pin-only|--hash-only] [--python-version X.Y] [--hash-python X.Y]...
               [--hash-platform TAG]... [index options] FILE...
  reqguard show [--json] [-r FILE] [index options] PROJECT...
  reqguard parse --json FILE

${CHECK_USAGE}
${FIX_USAGE}
show    prints the index each PROJECT comes from and its versions there, newest first, with
        yanked ones marked. -r FILE takes the index from that requirements file (its options
        and includes win over --index-url, as in pip). Exit status: 0 when every project was
        found, 1 when one was not (or its index failed), 2 for usage or file errors.
parse   prints what pip reads in a requirements file (or setup.py), as JSON.

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
