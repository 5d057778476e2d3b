// Links on -r/-c targets (`-r base.txt`, `--requirement=base.txt`, `-c constraints.txt`), so
// included files open with a click. Paths resolve as pip opens them (includes.ts): relative to
// the including file's folder; http(s) and file: URLs are linked as written.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './document';
import { includeTargetPath } from '../pip/includes';
import { redactUrl } from '../index/urls';
import { rangeOf } from './diagnostics';

const WHAT: Record<'requirements' | 'constraints', string> = {
  requirements: 'included requirements file',
  constraints: 'constraints file',
};

/**
 * The links of a requirements file; `path` is the file's own path (undefined for an unsaved
 * document, whose relative targets cannot be resolved and get no link).
 */
export function documentLinks(analysis: AnalyzedDocument, path: string | undefined): DocumentLink[] {
  if (analysis.family !== 'requirements') return [];
  const links: DocumentLink[] = [];
  for (const entry of analysis.parsed.entries) {
    // Every -r/-c of a line is linked, even those pip ignores: the link is navigation, not a claim.
    for (const option of entry.options) {
      const dest = option.spec.dest;
      if ((dest !== 'requirements' && dest !== 'constraints') || !option.value || !option.valueSpan) continue;
      if (option.valueSpan.start === option.valueSpan.end) continue;
      const target = linkTarget(option.value, path);
      if (!target) continue;
      links.push({ range: rangeOf(analysis.document, option.valueSpan), target: target.uri, tooltip: `Open the ${WHAT[dest]} ${target.label}` });
    }
  }
  return links;
}

/** The URI to open, and how the tooltip names it (URLs redacted: they may carry credentials). */
function linkTarget(value: string, from: string | undefined): { uri: string; label: string } | undefined {
  const local = from !== undefined ? includeTargetPath(from, value) : isAbsolute(value) ? value : undefined;
  if (local !== undefined) return { uri: pathToFileURL(local).href, label: local };
  // includeTargetPath leaves only pip's URL schemes unresolved (http, https, file).
  if (/^(http|https|file):/i.test(value)) return { uri: value, label: redactUrl(value) };
  return undefined;
}
