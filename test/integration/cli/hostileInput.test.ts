// Files written to attack whoever reads reqguard's output: binary files, terminal escapes and bidi
// controls in lines, credentials in URLs. Every output format (text, JSON, SARIF, parse --json)
// must show them harmlessly; and parse --json must report what check reports without an index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { run, workspace } from './runCli';

/** What a terminal acts on or a viewer reorders (C0 but tab and newline, DEL, C1, bidi controls, line separators). */
const UNSAFE_OUTPUT = /(?![\t\n])[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

const FORMATS = [['--format', 'text'], ['--format', 'json'], ['--format', 'sarif']];

/** The start of an executable: an ELF header, NULs, a screen-clearing escape and undecodable bytes. */
function executableBytes(): Uint8Array {
  const head = [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0xd0, 0xe8, 0xff, 0x9c];
  const body = Buffer.from('\x1b[2J\x1b]0;owned\x07 = = =\nrequests==\x00\n'.repeat(400), 'latin1');
  return Buffer.concat([Buffer.from(head), body]);
}

test('check: a binary file is one binary-file error in every format, with no NUL or escape reaching stdout', async () => {
  const dir = workspace({ program: executableBytes() });
  for (const format of FORMATS) {
    const result = await run(['check', '--no-index-checks', ...format, 'program'], dir);
    assert.equal(result.status, 1, result.stderr);
    assert.doesNotMatch(result.stdout, UNSAFE_OUTPUT, format[1]);
    assert.doesNotMatch(result.stderr, UNSAFE_OUTPUT, format[1]);
    if (format[1] === 'json') {
      assert.deepEqual(JSON.parse(result.stdout).map((r: { line: number; code: string; severity: string }) => [r.line, r.code, r.severity]), [[1, 'binary-file', 'error']]);
    }
  }
  const text = await run(['check', '--no-index-checks', 'program'], dir);
  assert.match(text.stdout, /^program:1:8: error \[binary-file\] /m);
  assert.match(text.stdout, /\n\n1 error\n$/);
});

test('check: control characters and bidi controls in a line are escaped in text, JSON and SARIF', async () => {
  const dir = workspace({ 'requirements.txt': 'flask=1.0\x1b[2J\u202e\x9b\x7f\n# ok\nsix==1.0 \u2066\n' });
  for (const format of FORMATS) {
    const result = await run(['check', '--no-index-checks', ...format, 'requirements.txt'], dir);
    assert.equal(result.status, 1, result.stderr);
    assert.doesNotMatch(result.stdout, UNSAFE_OUTPUT, format[1]);
    assert.ok(result.stdout.includes(format[1] === 'text' ? String.raw`flask=1.0\x1b[2J\u202e\x9b\x7f` : String.raw`flask=1.0\\x1b[2J\\u202e\\x9b\\x7f`), result.stdout);
  }
});

test('check and parse --json: a file name with escapes is shown escaped, on stdout and stderr', async () => {
  const name = 'req\x1b[2J\u202e.txt';
  const dir = workspace({ [name]: 'flask\n' });
  const result = await run(['check', '--no-index-checks', name], dir);
  assert.doesNotMatch(result.stdout, UNSAFE_OUTPUT);
  assert.match(result.stdout, /^req\\x1b\[2J\\u202e\.txt:1:1: warning \[unpinned\]/m);
  const missing = await run(['check', '--no-index-checks', `gone${name}`], dir);
  assert.equal(missing.status, 2);
  assert.doesNotMatch(missing.stderr, UNSAFE_OUTPUT);
  assert.match(missing.stderr, /cannot read gonereq\\x1b\[2J\\u202e\.txt: no such file/);
  for (const args of [['check', '--no-index-checks', '--format', 'json', name], ['check', '--no-index-checks', '--format', 'sarif', name], ['parse', '--json', name]]) {
    assert.doesNotMatch((await run(args, dir)).stdout, UNSAFE_OUTPUT, args.join(' '));
  }
  // JSON escapes the characters and keeps the value: the name reads back exactly.
  assert.equal(JSON.parse((await run(['check', '--no-index-checks', '--format', 'json', name], dir)).stdout)[0].file, name);
  assert.equal(JSON.parse((await run(['parse', '--json', name], dir)).stdout).file, name);
});

test('credentials in URLs never reach check\'s text, JSON or SARIF, nor parse --json', async () => {
  const text = [
    '--index-url https://user:secret@mirror.example/simple',
    'https://user:secret@host.example/pkg-1.0.tar.gz',
    'https://user:secret@host.example/wheel-1.0-py3-none-any.whl',
    'name @ https://user:secret@host.example/x y.whl',
    'other @ https://user:secret@host.example/other-1.0.tar.gz',
    '-e https://user:secret@host.example/pkg.tar.gz',
    '-r https://user:secret@host.example/more.txt',
    '',
  ].join('\n');
  const dir = workspace({ 'requirements.txt': text });
  for (const args of [...FORMATS.map((format) => ['check', '--no-index-checks', ...format, 'requirements.txt']), ['parse', '--json', 'requirements.txt']]) {
    const result = await run(args, dir);
    assert.ok(result.stdout.length > 0, result.stderr);
    assert.doesNotMatch(result.stdout, /secret/, args.join(' '));
    assert.doesNotMatch(result.stderr, /secret/, args.join(' '));
    assert.match(result.stdout, /user:\*\*\*\*@host\.example/, args.join(' '));
  }
  const report = JSON.parse((await run(['parse', '--json', 'requirements.txt'], dir)).stdout);
  assert.deepEqual(report.options, [{ line: 1, option: '--index-url', value: 'https://user:****@mirror.example/simple' }]);
  assert.equal(report.requirements[0].url, 'https://user:****@host.example/pkg-1.0.tar.gz');
  assert.equal(report.includes[0].target, 'https://user:****@host.example/more.txt');
});

test('parse --json reports the problems check --no-index-checks finds: same codes, lines, severities and messages', async () => {
  const files = {
    'missing.txt': '-r not-there.txt\n',
    'self.txt': 'six==1.16.0\n-r self.txt\n',
    'scp.txt': 'git+git@host.example:a/c.git\n',
    'editable.txt': '-e https://host.example/pkg.tar.gz\n',
    'space.txt': 'name @ https://host.example/x y.whl\n',
    'all.txt': 'requests>=2\n-r not-there.txt\n-r all.txt\ngit+git@host.example:a/c.git\n-e https://host.example/pkg.tar.gz\nname @ https://host.example/x y.whl\nbad==\n',
    'setup.py': 'from setuptools import setup\nsetup(install_requires=["pytz==2018.4", "requests", "bad=="])\n',
  };
  const dir = workspace(files);
  for (const file of Object.keys(files)) {
    const checked = await run(['check', '--no-index-checks', '--format', 'json', file], dir);
    const parsed = await run(['parse', '--json', file], dir);
    assert.equal(parsed.status, 0, parsed.stderr);
    const fromCheck = JSON.parse(checked.stdout).map((r: { line: number; code: string; severity: string; message: string }) => [r.line, r.code, r.severity, r.message]);
    const fromParse = JSON.parse(parsed.stdout).problems.map((p: { line: number; code: string; severity: string; message: string }) => [p.line, p.code, p.severity, p.message]);
    assert.ok(fromCheck.length > 0, file);
    assert.deepEqual(fromParse, fromCheck, file);
  }
});

test('check and fix refuse a named file that is not a regular file (/dev/zero, a named pipe) at once, reading nothing', async () => {
  const dir = workspace({ 'requirements.txt': 'six==1.16.0\n' });
  const fifo = `${dir}/pipe.txt`;
  execFileSync('mkfifo', [fifo]);
  for (const [command, name] of [['check', '/dev/zero'], ['check', 'pipe.txt'], ['fix', '/dev/zero']]) {
    const result = await run([command, '--no-index-checks', name].filter((a) => command === 'check' || a !== '--no-index-checks'), dir);
    assert.equal(result.status, 2, `${command} ${name}: ${result.stderr}`);
    assert.match(result.stderr, /cannot read .*: is not a regular file \((a character device|a named pipe)\)/);
  }
});
