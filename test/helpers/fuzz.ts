// Deterministic fuzzing helpers: a seeded PRNG, random texts built from the pieces pip and Python
// care about, mutations of real files, and a walk that finds every span in a result.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Fragments that steer the parsers into their special cases. */
export const PIECES: readonly string[] = [
  // line structure
  '\\', '\\\n', '\\\r\n', '\n', '\r\n', '\r', ' ', '  ', '\t', '\f', '\v', '\x1c', '\x85', '\u2028', '\u2029',
  '#', ' #', '# comment', '\\\n# comment\n',
  // options
  '-', '--', ' -', ' --', '--hash=', '--hash=sha256:', `--hash=sha256:${'a'.repeat(64)}`, '--hash=md5:', ' --hash sha512:ff',
  '-r ', '-r base.txt', '-c ', '-e ', '-e .', '-i ', '--index-url=', '--extra-index-url ', '-f ', '--trusted-host ',
  '--require-hashes', '--no-require-hashes', '--pre', '--global-option=', '-C', '--config-settings=k=v',
  '--use-feature=fast-deps', '--no-binary :all:', '--only-binary=', '--requ', '--no-such',
  // requirement syntax
  'pkg', 'Foo_Bar', 'six', '==', '===', '>=', '~=', '!=', '<', '1.0', '1.*', '.*', ',', '[', ']', '[extra]', '(', ')',
  ';', '; ', ' ; python_version < "3.8"', ' and ', ' or ', 'extra == "x"', '@', ' @ ', 'https://', 'http://localhost/',
  'git+https://x/y.git', '#egg=', '#egg=name[extra]', '#sha256=', 'file:///', './', '../', '.tar.gz', '.whl',
  '-1.0-py3-none-any.whl', '${X}', '${', '}', '$', '${PATH}',
  // quoting (shlex and Python)
  "'", '"', '"""', "'''", '\\"', "\\'", 'r"', 'b"', 'f"', 'u"', 'rb"', '\\x3d', '\\N{EQUALS SIGN}', '\\u00e9', '\\',
  // Python structure
  'setup(', 'setuptools.setup(', 'install_requires=', 'extras_require=', 'tests_require=', 'setup_requires=',
  '[', '{', '}', ':', '=', '+', '+=', '.split()', '.splitlines()', '.append(', '.extend(', '**kw', 'if x:\n    ',
  'def f():\n    ', 'for a in b:\n    ', 'lambda: ', 'import os\n', 'open("r.txt").read()', '"a>=1"', "'b==2'",
  // unicode: accents, astral (surrogate pairs), lone surrogates, BOM, NUL, zero-width
  'é', 'ß', '€', '𝔘', '😀', '\ud800', '\udc00', '\udbff\udfff', '\ufeff', '\0', '\u200b', '\u00a0', 'İ', 'ǅ',
];

/** A random UTF-16 code unit, often ASCII, sometimes a surrogate half. */
function randomChar(random: Random): string {
  const roll = random.int(10);
  if (roll < 6) return String.fromCharCode(0x20 + random.int(0x5f));
  if (roll < 7) return String.fromCharCode(random.int(0x20));
  if (roll < 8) return String.fromCharCode(0xd800 + random.int(0x800));
  return String.fromCharCode(random.int(0x10000));
}

/** A random text of pieces and characters, up to `maxPieces` of them. */
export function randomText(random: Random, maxPieces: number): string {
  const count = random.int(maxPieces + 1);
  let text = '';
  for (let i = 0; i < count; i++) text += random.chance(0.7) ? random.pick(PIECES) : randomChar(random);
  return text;
}

/** Applies 1 to `maxSteps` random edits: delete, insert, duplicate or splice characters and lines. */
export function mutate(random: Random, text: string, maxSteps: number): string {
  const steps = 1 + random.int(maxSteps);
  for (let step = 0; step < steps; step++) text = mutateOnce(random, text);
  return text;
}

function mutateOnce(random: Random, text: string): string {
  const at = random.int(text.length + 1);
  const length = 1 + random.int(random.chance(0.8) ? 8 : 200);
  switch (random.int(10)) {
    case 0: // delete characters (may split a surrogate pair)
      return text.slice(0, at) + text.slice(at + length);
    case 1: // insert a piece
    case 2:
      return text.slice(0, at) + random.pick(PIECES) + text.slice(at);
    case 3: // insert random code units
      return text.slice(0, at) + Array.from({ length: 1 + random.int(4) }, () => randomChar(random)).join('') + text.slice(at);
    case 4: // duplicate a run of characters
      return text.slice(0, at + length) + text.slice(at, at + length) + text.slice(at + length);
    case 5: // replace one character
      return text.slice(0, at) + randomChar(random) + text.slice(at + 1);
    default:
      return mutateLines(random, text);
  }
}

function mutateLines(random: Random, text: string): string {
  const lines = text.split('\n');
  const i = random.int(lines.length);
  switch (random.int(6)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[random.int(lines.length)]);
      break;
    case 2: {
      const j = random.int(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      break;
    }
    case 3:
      lines[i] = lines[i] + random.pick(['\\', ' \\', ' #', ' ;', ' @', ' --hash=', '\r', '"', "'", ' ${X}', '"""', '(', '[']);
      break;
    case 4:
      lines.splice(i, 0, randomText(random, 6));
      break;
    default:
      return lines.join('\r\n');
  }
  return lines.join('\n');
}

export interface SpanLike {
  readonly start: number;
  readonly end: number;
  /** Where in the result it was found, e.g. `entries[3].hashes[0].digestSpan`. */
  readonly path: string;
}

/**
 * Every `{ start, end }` object (numbers both) anywhere inside `value`. A walk with a list of its
 * own, not recursion: a marker nested 5,000 parentheses deep is deeper than a worker's stack.
 */
export function collectSpans(value: unknown, path = ''): SpanLike[] {
  const found: SpanLike[] = [];
  const seen = new Set<object>();
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length > 0) {
    const [next, where] = pending.pop()!;
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    if (Array.isArray(next)) {
      for (let i = next.length - 1; i >= 0; i--) pending.push([next[i], `${where}[${i}]`]);
      continue;
    }
    const record = next as Record<string, unknown>;
    if (typeof record.start === 'number' && typeof record.end === 'number') found.push({ start: record.start, end: record.end, path: where });
    const children = Object.entries(record);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i];
      if (typeof child === 'object' && child !== null) pending.push([child, where ? `${where}.${key}` : key]);
    }
  }
  return found;
}

const NAMES = ['six', 'Django', 'foo_bar', 'Foo-Bar', 'requests', 'a', 'zope.interface', 'x1'];
const SPECIFIERS = ['', '==1.0', '===1.0', '==1.*', '>=2', '>=1,<2', '~=1.4', '==1.0,!=1.1', '!=3', '==1.0+cpu', '== 2'];
const MARKERS = ['', ' ; python_version < "3.8"', '; sys_platform == "win32"', ' ; extra == "x" and os_name != "nt"', ' ; os_name == "${X}"'];
const HASHES = [`sha256:${'a'.repeat(64)}`, `sha384:${'b'.repeat(96)}`, `sha512:${'c'.repeat(128)}`, 'sha256:abc', 'md5:0', `sha256:${'g'.repeat(64)}`, 'sha256:'];
const URLS = [
  'https://x.example/p/pkg-1.0.tar.gz', 'https://x.example/w/pkg-1.0-py3-none-any.whl', 'git+https://x.example/r.git#egg=r',
  'git+https://x.example/r.git@v1#egg=r[x]', `https://x.example/p/pkg-1.0.zip#sha256=${'d'.repeat(64)}`, 'file:///srv/proj',
  './dist/pkg-1.0.tar.gz', './local/project', '.', '../sibling',
];
const OPTION_LINES = [
  '--require-hashes', '--no-require-hashes', '-i https://mirror.example/simple', '--index-url http://mirror.example/simple',
  '--extra-index-url https://corp.example/simple', '-f http://localhost/links', '--trusted-host mirror.example',
  '-r base.txt', '-c constraints.txt', '-r ../other.txt', '-r https://x.example/r.txt', '--pre', '--no-index',
  '--only-binary :all:', '-e .', '-e ./local/project', '-e git+https://x.example/r.git#egg=r',
];

/** One plausible requirements line (a requirement with options, an option line, a comment). */
export function randomRequirementLine(random: Random): string {
  const roll = random.int(10);
  if (roll < 2) return random.pick(OPTION_LINES);
  if (roll < 3) return random.pick(['# comment', '', '   ', '\\']);
  const name = random.pick(NAMES);
  let line = roll < 4 ? (random.chance(0.5) ? `${name} @ ${random.pick(URLS)}` : random.pick(URLS)) : `${name}${random.chance(0.2) ? '[extra]' : ''}${random.pick(SPECIFIERS)}`;
  line += random.pick(MARKERS);
  const hashes = random.int(4);
  for (let i = 0; i < hashes; i++) line += random.chance(0.3) ? ` \\\n    --hash=${random.pick(HASHES)}` : ` --hash=${random.pick(HASHES)}`;
  if (random.chance(0.1)) line += ` ${random.pick(OPTION_LINES)}`;
  if (random.chance(0.1)) line += '  # trailing comment';
  return line;
}

/** A plausible requirements file: random lines, some repeated, LF or CRLF. */
export function randomRequirementsFile(random: Random, maxLines: number): string {
  const lines = Array.from({ length: random.int(maxLines + 1) }, () => randomRequirementLine(random));
  return lines.join(random.chance(0.2) ? '\r\n' : '\n') + (random.chance(0.8) ? '\n' : '');
}

/** A plausible setup.py whose dependency lists hold random requirement strings. */
export function randomSetupPy(random: Random): string {
  const item = () => {
    let line = randomRequirementLine(random).replace(/\\\n\s*/g, '').replace(/["\\]/g, '');
    if (random.chance(0.7)) line = line.split(' -')[0]; // mostly requirement strings, as setup.py has them
    return random.chance(0.1) ? `"""${line}\n${line}"""` : `"${line}"`;
  };
  const list = () => `[${Array.from({ length: random.int(5) }, item).join(', ')}]`;
  const keywords = [
    `install_requires=${random.chance(0.2) ? 'reqs' : list()}`,
    `extras_require={"dev": ${list()}, ":python_version<'3'": ${list()}}`,
    `tests_require=${random.chance(0.3) ? 'read_requirements()' : list()}`,
    `setup_requires=${list()}`,
  ].filter(() => random.chance(0.7));
  const prelude = random.chance(0.5) ? `reqs = ${list()}\nif x:\n    reqs.append(${item()})\n` : '';
  return `from setuptools import setup\n${prelude}setup(\n    name="x",\n    ${keywords.join(',\n    ')},\n)\n`;
}

/** Inputs that once made a parser quadratic or worse, or that no real file has: each must stay fast. */
export function pathologicalShapes(random: Random): Record<string, string> {
  return {
    'backslashes': '\\'.repeat(20000),
    'continued lines': 'pkg \\\n'.repeat(5000),
    'comment continuations': '# x \\\n'.repeat(5000),
    'spaces': ' '.repeat(20000) + 'x',
    // A pip.conf option line: blanks and no delimiter were quadratic in its reader.
    'blanks without a delimiter': '[global]\na' + ' '.repeat(50000) + 'b\n',
    'dashes': ' -'.repeat(10000),
    'option without value': '-r'.repeat(5000),
    // `name[` runs are quadratic in the parser's extras regex (reported): kept short here.
    'brackets': 'a' + '['.repeat(4000),
    'closed brackets': 'a[' + 'x,'.repeat(10000) + ']',
    'parentheses': 'x; ' + '('.repeat(5000) + 'os_name == "a"' + ')'.repeat(5000),
    'marker chain': 'x; ' + 'os_name == "a" and '.repeat(1500) + 'os_name == "a"',
    'specifier chain': 'x' + '>=1,'.repeat(5000) + '<2',
    'long version': 'x==' + '1.'.repeat(10000) + '1',
    'long name': 'a'.repeat(50000),
    'name dashes': 'a' + '-_.'.repeat(10000),
    'variables': '${X}'.repeat(5000),
    'unterminated variables': '${'.repeat(10000),
    'quotes': 'x --hash "'.repeat(3000),
    'single quotes': "-i '".repeat(5000),
    'hashes': 'x==1' + ` --hash=sha256:${'a'.repeat(64)}`.repeat(2000),
    'at signs': 'x @ '.repeat(5000),
    'url': 'x @ https://' + 'a/'.repeat(10000),
    'egg fragments': 'git+https://x/y.git' + '#egg=a'.repeat(3000),
    'hash lines': Array.from({ length: 2000 }, (_, i) => `pkg${i}==1.${i} --hash=sha256:${'0'.repeat(64)}`).join('\n'),
    'duplicates': 'six==1\n'.repeat(5000),
    'duplicates with markers': Array.from({ length: 1500 }, (_, i) => `six==1 ; python_version == "3.${i}"`).join('\n'),
    'includes': Array.from({ length: 3000 }, (_, i) => `-r f${i}.txt`).join('\n'),
    'nested python parentheses': 'setup(install_requires=' + '('.repeat(3000) + '"a"' + ')'.repeat(3000) + ')',
    'nested python lists': 'setup(install_requires=' + '['.repeat(3000) + '"a"' + ']'.repeat(3000) + ')',
    'nested python calls': 'x = ' + 'f('.repeat(3000) + ')'.repeat(3000) + '\nsetup(install_requires=x)',
    'deep indentation': Array.from({ length: 500 }, (_, i) => ' '.repeat(i) + 'if x:').join('\n') + '\n' + ' '.repeat(500) + 'setup()',
    'long binary expression': 'setup(install_requires=' + '["a"] + '.repeat(5000) + '["b"])',
    'many string parts': 'setup(install_requires=["' + 'a" "'.repeat(10000) + '"])',
    'many appends': 'r = []\n' + 'r.append("a>=1")\n'.repeat(2000) + 'setup(install_requires=r)',
    'unterminated triple quote': 'setup(install_requires="""' + 'x\n'.repeat(10000),
    'unterminated string lines': '"\n'.repeat(10000),
    'surrogates': '\ud800'.repeat(5000) + '\udc00'.repeat(5000),
    'unicode names': 'setup(install_requires=["\\N{' + 'LATIN SMALL LETTER A'.repeat(500) + '}"])',
    'variables on continued lines': '${X} \\\n'.repeat(50_000) + 'x',
    'variables in a marker': 'x; os_name == "' + '${X}'.repeat(2000) + '"',
    'variables before a marker': '${X}'.repeat(2000) + ' @ https://x/y ; os_name == "a"',
    'number prefixes at the end': 'setup()\nx = 0x',
    'spaces inside a setup.py string': 'setup(install_requires="a' + ' '.repeat(100_000) + 'b")',
    'doubled setup.py list': 'r = ["a"]\n' + 'r = r + r\n'.repeat(26) + 'setup(install_requires=r)\n',
    'conditions piling up': 'r = ["a"]\n' + 'if x:\n    r = r\n'.repeat(5000) + 'setup(install_requires=r)\n',
    'a setup.py string of 90,000 requirement lines': 'setup(install_requires="""' + 'a\\n'.repeat(90_000) + '""")',
    'pyproject.toml: 5,000 dependency groups, each including the next': '[dependency-groups]\n' + Array.from({ length: 5_000 }, (_, i) => `g${i} = ["a>=1", {include-group = "g${(i + 1) % 5_000}"}]`).join('\n'),
    'pyproject.toml: arrays nested 30,000 deep': 'a = ' + '['.repeat(30_000) + ']'.repeat(30_000),
    'pyproject.toml: a string of 60,000 escapes': '[project]\ndependencies = ["' + '\\u0061'.repeat(60_000) + '"]',
    'setup.cfg: 30,000 continuation lines': '[options]\ninstall_requires =\n' + '    a>=1 # c\n'.repeat(30_000),
    'setup.cfg: a line of 100,000 %%': '[options]\ninstall_requires = a' + '%%'.repeat(100_000) + ';b',
    'random long': randomText(random, 5000),
  };
}
