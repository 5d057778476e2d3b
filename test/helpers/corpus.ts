// Locates the corpus of real files (test/corpus, or $REQGUARD_CORPUS) and its manifest.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');

/** The corpus folder: $REQGUARD_CORPUS when set, else the repository's own test/corpus. */
export function corpusPath(): string {
  const fromEnv = process.env.REQGUARD_CORPUS;
  return fromEnv ? resolve(fromEnv) : join(REPO_ROOT, 'test', 'corpus');
}

/** corpusPath(), checked: it must hold MANIFEST.tsv. */
export function corpusDir(): string {
  const dir = corpusPath();
  if (!existsSync(join(dir, 'MANIFEST.tsv'))) {
    throw new Error(`corpus not found at ${dir}: set REQGUARD_CORPUS to the folder holding MANIFEST.tsv`);
  }
  return dir;
}

export interface ManifestRow {
  /** Path relative to the corpus folder, e.g. requirements/x__y.txt. */
  readonly file: string;
  readonly repo: string;
  /** Original path inside its repository. */
  readonly path: string;
}

export function readManifest(dir = corpusDir()): ManifestRow[] {
  const lines = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const header = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    const row: Record<string, string> = {};
    header.forEach((name, i) => (row[name] = cells[i]));
    return { file: row.file, repo: row.repo, path: row.path };
  });
}

export function readExpected(dir: string, file: string): any {
  const name = file.split('/').pop()!;
  return JSON.parse(readFileSync(join(dir, 'expected', `${name}.json`), 'utf8'));
}

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Offsets to LSP positions, as the oracles' `lsp` ranges give them: 0-based line (breaks at \n, \r\n, \r) and UTF-16 character. */
export class Lines {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (c === '\n' || c === '\r') this.starts.push(i + 1);
    }
  }
  position(offset: number): { line: number; character: number } {
    let line = 0;
    while (line + 1 < this.starts.length && this.starts[line + 1]! <= offset) line++;
    return { line, character: offset - this.starts[line]! };
  }
  range(span: { readonly start: number; readonly end: number }): LspRange {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
}
