// The `reqguard` command: the language server's engine on files, for CI and terminals.
//   reqguard parse --json FILE
//   reqguard check [--format text|json] [--fail-on error|warning] [--offline] [--isolated] FILE...
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../documents';
import { computeDiagnostics } from '../features/diagnostics';
import { resolveIncludes } from '../includes';
import { diskPathProbe, diskReader, packageVersion } from '../nodeIo';
import { decodeRequirementsBytes } from '../parser/pyText';
import { DEFAULT_SETTINGS, REQUIREMENTS_LANGUAGE_ID } from '../protocol';
import { describeParse } from './parseJson';
import { formatCheckJson, formatCheckText, toCheckRecords, type CheckRecord } from './checkOutput';

const USAGE = `Usage:
  reqguard check [--format text|json] [--fail-on error|warning] [--offline] [--isolated] FILE...
  reqguard parse --json FILE

check   reports unpinned and unhashed requirements, pip syntax errors and unsafe index settings
        in requirements files and setup.py. Exit status: 0 when nothing reaches --fail-on
        (default: error), 1 when something does, 2 for usage or file errors.
parse   prints what pip reads in a requirements file (or setup.py), as JSON.
`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Uint8Array;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
}

class UsageError extends Error {}

interface CheckArgs {
  format: 'text' | 'json';
  failOn: 'error' | 'warning';
  files: string[];
}

export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout)(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-V') {
      io.stdout(`reqguard ${io.version}\n`);
      return 0;
    }
    if (command === 'check') return check(parseCheckArgs(rest), io);
    if (command === 'parse') return parse(rest, io);
    throw new UsageError(`unknown command '${command}'`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`reqguard: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`reqguard: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

function parseCheckArgs(args: readonly string[]): CheckArgs {
  const result: CheckArgs = { format: 'text', failOn: 'error', files: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not '${v}'`);
        result.format = v;
        break;
      }
      case '--fail-on': {
        const v = value();
        if (v !== 'error' && v !== 'warning') throw new UsageError(`--fail-on must be error or warning, not '${v}'`);
        result.failOn = v;
        break;
      }
      // Accepted now so scripts can rely on them; they govern index access, which check does not do yet.
      case '--offline':
      case '--isolated':
        break;
      case '--':
        result.files.push(...args.slice(i + 1));
        i = args.length;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        result.files.push(arg);
    }
  }
  if (result.files.length === 0) throw new UsageError('check needs at least one FILE');
  return result;
}

/** Reads a file for the CLI; undefined (with a message on stderr) when it cannot. */
function readText(path: string, io: CliIo): { text: string; warning?: string } | undefined {
  try {
    const decoded = decodeRequirementsBytes(io.readFile(resolve(io.cwd, path)));
    return { text: decoded.text, warning: decoded.error };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    io.stderr(`reqguard: cannot read ${path}: ${reason}\n`);
    return undefined;
  }
}

function check(args: CheckArgs, io: CliIo): number {
  const records: CheckRecord[] = [];
  let ioFailed = false;
  for (const file of args.files) {
    const read = readText(file, io);
    if (!read) {
      ioFailed = true;
      continue;
    }
    if (read.warning) io.stderr(`reqguard: ${file}: ${read.warning}\n`);
    const absolute = resolve(io.cwd, file);
    const document = TextDocument.create(pathToFileURL(absolute).href, REQUIREMENTS_LANGUAGE_ID, 1, read.text);
    const analysis = analyzeDocument(document, absolute, io.env);
    const includes = analysis.kind === 'setup-py' ? undefined : resolveIncludes(analysis.parsed, absolute, diskReader, io.env);
    const diagnostics = computeDiagnostics(analysis, DEFAULT_SETTINGS, { includes, paths: diskPathProbe(absolute) });
    records.push(...toCheckRecords(file, diagnostics));
  }
  io.stdout(args.format === 'json' ? formatCheckJson(records) : formatCheckText(records));
  if (ioFailed) return 2;
  const failing = args.failOn === 'warning' ? ['error', 'warning'] : ['error'];
  return records.some((record) => failing.includes(record.severity)) ? 1 : 0;
}

function parse(args: readonly string[], io: CliIo): number {
  const files = args.filter((a) => a !== '--json');
  const unknown = files.filter((a) => a.startsWith('-'));
  if (unknown.length) throw new UsageError(`unknown option '${unknown[0]}'`);
  if (!args.includes('--json')) throw new UsageError('parse prints JSON only: add --json');
  if (files.length !== 1) throw new UsageError('parse takes exactly one FILE');
  const read = readText(files[0], io);
  if (!read) return 2;
  const absolute = resolve(io.cwd, files[0]);
  const document = TextDocument.create(pathToFileURL(absolute).href, REQUIREMENTS_LANGUAGE_ID, 1, read.text);
  const analysis = analyzeDocument(document, absolute, io.env);
  io.stdout(JSON.stringify(describeParse(files[0], absolute, analysis), null, 2) + '\n');
  return 0;
}

if (require.main === module) {
  const version = packageVersion();
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path),
    cwd: process.cwd(),
    env: process.env,
    version,
  });
}
