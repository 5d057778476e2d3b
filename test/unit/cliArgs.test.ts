// The CLI's option reading (server/src/cli/args.ts): optparse's rules, as the command modules use them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flag, parseArgs, UsageError, valued, type OptionSpecs } from '../../server/src/cli/args';

const SPECS: OptionSpecs = { '--json': flag, '--offline': flag, '--index-url': valued, '--timeout': valued, '--requirement': { ...valued, short: '-r' } };

const usageError = (argv: string[]) => {
  try {
    parseArgs(argv, SPECS);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.message;
  }
  assert.fail(`no usage error for ${argv.join(' ')}`);
};

test('values: --name value, --name=value, a short alias; repeated values kept in order; positionals anywhere', () => {
  const args = parseArgs(['a.txt', '--index-url', 'https://one/simple', '-r', 'req.txt', '--json', 'b.txt', '--index-url=https://two/simple', '--timeout='], SPECS);
  assert.deepEqual(args.positionals, ['a.txt', 'b.txt']);
  assert.equal(args.last('--index-url'), 'https://two/simple');
  assert.deepEqual(args.all('--index-url'), ['https://one/simple', 'https://two/simple']);
  assert.equal(args.last('--requirement'), 'req.txt');
  assert.equal(args.last('--timeout'), '');
  assert.ok(args.has('--json'));
  assert.ok(!args.has('--offline'));
  assert.equal(args.last('--offline'), undefined);
  assert.deepEqual(args.all('--offline'), []);
});

test('as optparse: a value may start with a dash, "--" ends the options, "-" is a positional', () => {
  const args = parseArgs(['--index-url', '--offline', '--timeout', '-1', '-', '--', '--json', '-r'], SPECS);
  assert.equal(args.last('--index-url'), '--offline');
  assert.ok(!args.has('--offline'));
  assert.equal(args.last('--timeout'), '-1');
  assert.ok(!args.has('--json'));
  assert.deepEqual(args.positionals, ['-', '--json', '-r']);
  assert.equal(parseArgs(['--index-url', '--'], SPECS).last('--index-url'), '--');
  // A short option's value may be attached, as in optparse (`-rFILE`).
  assert.equal(parseArgs(['-rreq.txt'], SPECS).last('--requirement'), 'req.txt');
});

test('usage errors: unknown options, a missing value, a value for a flag; passwords are not echoed', () => {
  assert.equal(usageError(['--bogus', 'a']), "unknown option '--bogus'");
  assert.equal(usageError(['--bogus=https://user:s3cret@host/simple']), "unknown option '--bogus'");
  assert.equal(usageError(['-x']), "unknown option '-x'");
  assert.equal(usageError(['--timeout']), '--timeout needs a value');
  assert.equal(usageError(['a.txt', '-r']), '-r needs a value');
  assert.equal(usageError(['--offline=yes']), '--offline takes no value');
  assert.equal(usageError(['--json=']), '--json takes no value');
  assert.doesNotMatch(usageError(['--https://user:s3cret@host/simple']), /s3cret/);
});
