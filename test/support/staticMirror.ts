// Static index trees for tests, written from the same fixtures as the test package index: a
// pip2pi/dir2pi-style PEP 503 tree (served as plain files by nginx, or read as file://) and a
// flat --find-links folder. Nothing here negotiates or computes on request: that is the point.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtureFiles, escapeHtml, normalizeName, yankedOf, type BuiltFile, type IndexFixture } from './testIndex';

export interface StaticMirrorOptions {
  /** Append `#sha256=<hex>` to file links (default true). */
  hashFragments?: boolean;
  /**
   * What file hrefs start with, verbatim (default `../../packages/`, relative to the project
   * page on purpose). Files are always written to `<root>/packages/`; set this to `/packages/`
   * or an absolute URL to test other href forms.
   */
  packagesPrefix?: string;
}

const page = (title: string, body: string[]) =>
  // XHTML-compatible on purpose, so tests can check well-formedness with an XML parser.
  `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.0" />\n    <title>${escapeHtml(title)}</title>\n  </head>\n  <body>\n` +
  body.map((line) => `    ${line}\n`).join('') +
  '  </body>\n</html>\n';

function writeFiles(files: BuiltFile[], dir: string) {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.filename), f.body);
}

/**
 * Writes `<root>/simple/index.html`, `<root>/simple/<normalized>/index.html` and
 * `<root>/packages/<files>` (plus `<wheel>.metadata` siblings, announced per PEP 658/714).
 */
export function writeStaticMirror(
  fixture: IndexFixture,
  root: string,
  options: StaticMirrorOptions = {},
): { simpleDir: string; files: BuiltFile[] } {
  const { hashFragments = true, packagesPrefix = '../../packages/' } = options;
  const files = buildFixtureFiles(fixture);
  const simpleDir = join(root, 'simple');
  const packagesDir = join(root, 'packages');
  writeFiles(files, packagesDir);

  const names = Object.keys(fixture.projects).sort();
  mkdirSync(simpleDir, { recursive: true });
  writeFileSync(
    join(simpleDir, 'index.html'),
    page('Simple index', names.map((n) => `<a href="${escapeHtml(normalizeName(n))}/">${escapeHtml(n)}</a><br />`)),
  );

  for (const name of names) {
    const normalized = normalizeName(name);
    const anchors = files
      .filter((f) => f.project === normalized)
      .map((f) => {
        const href = packagesPrefix + f.filename + (hashFragments ? `#sha256=${f.sha256}` : '');
        const attrs = [`href="${escapeHtml(href)}"`];
        if (f.spec.requiresPython !== undefined) attrs.push(`data-requires-python="${escapeHtml(f.spec.requiresPython)}"`);
        const yanked = yankedOf(f.spec);
        if (yanked !== false) attrs.push(`data-yanked="${escapeHtml(yanked)}"`);
        if (f.kind === 'wheel') {
          // Only wheels get a metadata sibling, so only they announce one.
          writeFileSync(join(packagesDir, `${f.filename}.metadata`), f.metadata);
          attrs.push(`data-dist-info-metadata="sha256=${f.metadataSha256}"`, `data-core-metadata="sha256=${f.metadataSha256}"`);
        }
        return `<a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a><br />`;
      });
    const dir = join(simpleDir, normalized);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.html'), page(`Links for ${name}`, [`<h1>Links for ${escapeHtml(name)}</h1>`, ...anchors]));
  }
  return { simpleDir, files };
}

/** A flat folder of the fixture's distribution files, as `--find-links ./wheelhouse` expects. */
export function writeFindLinksDir(fixture: IndexFixture, dir: string): BuiltFile[] {
  const files = buildFixtureFiles(fixture);
  writeFiles(files, dir);
  return files;
}
