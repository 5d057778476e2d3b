// Hash-checking mode across -r includes and -c constraint files, case by case: the files, what
// pip 23.2.1 and pip 26.2.1 do with `pip install -r requirements.txt` (the real pips confirm it in
// test/integration/hashMode.pip.test.ts, against a test index serving HASH_MODE_FIXTURE), and what
// reqguard reports (test/unit/hashMode.test.ts) for each installer profile. Every verdict below was
// checked with pip 23.2.1 and 26.2.1. pip 26.1 changed one rule (pypa/pip#13887): a requirement
// with hash options, its own or a constraint's, is pinned to the version found, so only a
// requirement with no hash at all is refused; pip before 26.1 also refuses an unpinned one, and
// never takes hashes from constraints.
import type { IndexFixture } from '../support/testIndex';

/** One wheel per project: a --hash names the one file pip downloads. */
export const HASH_MODE_FIXTURE: IndexFixture = {
  projects: {
    six: { versions: { '1.16.0': { files: ['wheel'] } } },
    itsdangerous: { versions: { '2.2.0': { files: ['wheel'] } } },
    tzdata: { versions: { '2024.1': { files: ['wheel'] } } },
  },
};

export type PipVerdict = 'installs' | 'refuses';

export interface HashModeCase {
  readonly title: string;
  /** By path relative to the folder; `requirements.txt` is installed. `{six}` stands for a --hash of six's wheel. */
  readonly files: Readonly<Record<string, string>>;
  /** `pip install -r requirements.txt`: pip 23.2.1, then pip 26.2.1. */
  readonly pip: readonly [PipVerdict, PipVerdict];
  /**
   * What reqguard reports for pip 26.2 (the default profile), as `file:line code severity`, in
   * requirements.txt and (in hash mode) in the files it includes.
   */
  readonly reqguard: readonly string[];
  /** What reqguard reports for pip 23.2, where that differs. */
  readonly reqguardPip23?: readonly string[];
}

export const HASH_MODE_CASES: readonly HashModeCase[] = [
  {
    title: "the issue's example: a hashed file includes base.txt, whose pin has no hash",
    files: { 'requirements.txt': '-r base.txt\nsix==1.16.0 {six}\n', 'base.txt': 'itsdangerous==2.2.0\n' },
    pip: ['refuses', 'refuses'],
    reqguard: ['requirements.txt:1 hash-mode-include error', 'base.txt:1 unhashed error'],
  },
  {
    title: 'an unpinned entry in an include',
    files: { 'requirements.txt': '-r base.txt\nsix==1.16.0 {six}\n', 'base.txt': 'itsdangerous\n' },
    pip: ['refuses', 'refuses'],
    reqguard: ['requirements.txt:1 hash-mode-include error', 'base.txt:1 unpinned error'],
  },
  {
    title: 'an include of an include',
    files: { 'requirements.txt': '-r base.txt\nsix==1.16.0 {six}\n', 'base.txt': '-r deeper.txt\n', 'deeper.txt': 'itsdangerous==2.2.0\n' },
    pip: ['refuses', 'refuses'],
    reqguard: ['requirements.txt:1 hash-mode-include error', 'deeper.txt:1 unhashed error'],
  },
  {
    title: 'a hash two includes down switches hash mode on for the top file',
    files: { 'requirements.txt': '-r base.txt\nsix==1.16.0\n', 'base.txt': '-r deeper.txt\n', 'deeper.txt': 'itsdangerous==2.2.0 {itsdangerous}\n' },
    pip: ['refuses', 'refuses'],
    reqguard: ['requirements.txt:2 unhashed error'],
  },
  {
    title: 'every file pinned and hashed',
    files: { 'requirements.txt': '-r base.txt\nsix==1.16.0 {six}\n', 'base.txt': '-r deeper.txt\nitsdangerous==2.2.0 {itsdangerous}\n', 'deeper.txt': 'tzdata==2024.1 {tzdata}\n' },
    pip: ['installs', 'installs'],
    reqguard: [],
  },
  {
    title: 'no hash anywhere: no hash mode, only reqguard’s own warnings in the file checked',
    files: { 'requirements.txt': '-r base.txt\nsix\n', 'base.txt': 'itsdangerous\n' },
    pip: ['installs', 'installs'],
    reqguard: ['requirements.txt:2 unpinned warning'],
  },
  {
    title: 'hashes in a constraints file switch hash mode on, even for a project not installed',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0\nitsdangerous==2.2.0\n', 'constraints.txt': 'tzdata==2024.1 {tzdata}\n' },
    pip: ['refuses', 'refuses'],
    reqguard: ['requirements.txt:2 unhashed error', 'requirements.txt:3 unhashed error'],
  },
  {
    title: '--require-hashes in a constraints file switches hash mode on',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0\n', 'constraints.txt': '--require-hashes\n' },
    pip: ['refuses', 'refuses'],
    reqguard: ['requirements.txt:2 unhashed error'],
  },
  {
    title: 'a -r inside a constraints file is read as requirements: they need hashes',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0 {six}\n', 'constraints.txt': '-r more.txt\n', 'more.txt': 'itsdangerous==2.2.0\n' },
    pip: ['refuses', 'refuses'],
    reqguard: ['requirements.txt:1 hash-mode-include error', 'more.txt:1 unhashed error'],
  },
  {
    title: 'an unpinned requirement and a constraint with == and --hash: pip 26.1+ takes both',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0 {six}\nitsdangerous\n', 'constraints.txt': 'itsdangerous==2.2.0 {itsdangerous}\n' },
    pip: ['refuses', 'installs'],
    reqguard: ['requirements.txt:3 unpinned warning'],
    reqguardPip23: ['requirements.txt:3 unpinned error'],
  },
  {
    title: 'a pinned requirement without hash and a hashed constraint: pip 26.1+ takes the hash',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0 {six}\nitsdangerous==2.2.0\n', 'constraints.txt': 'itsdangerous==2.2.0 {itsdangerous}\n' },
    pip: ['refuses', 'installs'],
    reqguard: [],
    reqguardPip23: ['requirements.txt:3 unhashed error'],
  },
  {
    title: 'a hashed constraint without a pin lends its hash too',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0 {six}\nitsdangerous\n', 'constraints.txt': 'itsdangerous {itsdangerous}\n' },
    pip: ['refuses', 'installs'],
    reqguard: ['requirements.txt:3 unpinned warning'],
    reqguardPip23: ['requirements.txt:3 unpinned error'],
  },
  {
    title: 'a constraint with a false marker lends its hash all the same',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0 {six}\nitsdangerous\n', 'constraints.txt': 'itsdangerous==2.2.0 {itsdangerous} ; python_version < "3"\n' },
    pip: ['refuses', 'installs'],
    reqguard: ['requirements.txt:3 unpinned warning'],
    reqguardPip23: ['requirements.txt:3 unpinned error'],
  },
  {
    title: 'a constraint pin without a hash lends nothing',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0 {six}\nitsdangerous\n', 'constraints.txt': 'itsdangerous==2.2.0\n' },
    pip: ['refuses', 'refuses'],
    reqguard: ['requirements.txt:3 unpinned error'],
  },
  {
    title: 'two hashed constraints with no digest in common lend nothing',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0 {six}\nitsdangerous\n', 'constraints.txt': `itsdangerous==2.2.0 {itsdangerous}\nitsdangerous --hash=sha256:${'b'.repeat(64)}\n` },
    pip: ['refuses', 'refuses'],
    reqguard: ['requirements.txt:3 unpinned error'],
  },
  {
    title: 'a constraint without hashes beside a hashed one changes nothing',
    files: { 'requirements.txt': '-c constraints.txt\nsix==1.16.0 {six}\nitsdangerous\n', 'constraints.txt': 'itsdangerous==2.2.0 {itsdangerous}\nitsdangerous<3\n' },
    pip: ['refuses', 'installs'],
    reqguard: ['requirements.txt:3 unpinned warning'],
    reqguardPip23: ['requirements.txt:3 unpinned error'],
  },
  {
    title: 'an unpinned requirement with its own --hash: pip 26.1+ pins it to the release the hash matches',
    files: { 'requirements.txt': 'six==1.16.0 {six}\nitsdangerous {itsdangerous}\n' },
    pip: ['refuses', 'installs'],
    reqguard: ['requirements.txt:2 unpinned warning'],
    reqguardPip23: ['requirements.txt:2 unpinned error'],
  },
  {
    title: 'a constraint found inside an include lends its hash to a requirement of another include',
    files: { 'requirements.txt': '-r base.txt\nsix==1.16.0 {six}\n', 'base.txt': '-c constraints.txt\nitsdangerous\n', 'constraints.txt': 'itsdangerous==2.2.0 {itsdangerous}\n' },
    pip: ['refuses', 'installs'],
    reqguard: [],
    reqguardPip23: ['requirements.txt:1 hash-mode-include error', 'base.txt:2 unpinned error'],
  },
];

/** The case's files with each `{project}` replaced by `--hash=sha256:` and the digest of that project's wheel. */
export function caseFiles(files: Readonly<Record<string, string>>, digestOf: (project: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([name, text]) => [name, text.replace(/\{([a-z0-9-]+)\}/g, (_, project: string) => `--hash=sha256:${digestOf(project)}`)]));
}
