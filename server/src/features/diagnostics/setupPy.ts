// Library rules for setup.py: a library states the range of versions it supports, so an exact pin
// there is a smell (it forces every user onto one version) and no bound at all is worth a note.
// Pins and hashes belong in the requirements file of the application that deploys it.
import { parseRequirement } from '../../parser/pep508';
import { isPyWhitespace, splitPyLines } from '../../parser/pyText';
import type { SetupItem, SetupKeywordResult, SetupPyAnalysis } from '../../parser/setupPy';
import type { Span } from '../../parser/types';
import type { Finding } from './requirements';

export function checkSetupPy(analysis: SetupPyAnalysis): Finding[] {
  const findings: Finding[] = [];
  if (analysis.syntaxError) {
    findings.push({
      code: 'unresolved-install-requires',
      message: `setup.py is not valid Python (${analysis.syntaxError.message}), so its dependencies cannot be read.`,
      span: analysis.syntaxError.span,
    });
    return findings;
  }
  for (const call of analysis.calls) {
    // Keywords that may hide in one unreadable **kwargs share its range: say so once, naming them all.
    const unknown = Object.values(call.keywords).filter((result) => result.status === 'unknown');
    if (unknown.length > 0) {
      findings.push({
        code: 'unresolved-install-requires',
        message: `${unknown.map((r) => r.keyword).join(', ')} may be passed through **kwargs that cannot be read without running setup.py; those dependencies are not checked.`,
        span: unknown[0].expressionSpan ?? call.span,
      });
    }
    for (const result of Object.values(call.keywords)) {
      checkKeyword(result, call.span, findings);
    }
  }
  return findings;
}

function checkKeyword(result: SetupKeywordResult, callSpan: Span, findings: Finding[]): void {
  if (result.status === 'unresolved' || result.status === 'partial') {
    const what = result.status === 'partial' ? 'part of it is computed' : 'it is computed';
    const reasons = [...new Set(result.items.filter((i) => i.kind === 'dynamic' && i.reason).map((i) => i.reason))];
    findings.push({
      code: 'unresolved-install-requires',
      message: `${result.keyword} cannot be read without running setup.py (${what}${reasons.length ? `: ${reasons.join('; ')}` : ' at run time'}); those dependencies are not checked.`,
      span: result.expressionSpan ?? callSpan,
    });
  }
  for (const item of result.items) {
    if (item.kind === 'dynamic') continue;
    checkItem(result, item, findings);
  }
}

/**
 * The requirement strings of one item as setuptools reads them (pkg_resources' yield_lines and
 * drop_comment): lines are stripped, blank lines and '#' lines are skipped, and ' #' starts a
 * comment. So '' or '# note' in a list is not an invalid requirement, and 'a\nb' is two.
 * `offset` is where the text starts in `item.value`.
 */
export function requirementLines(item: SetupItem): { text: string; offset: number }[] {
  const lines: { text: string; offset: number }[] = [];
  for (const line of splitPyLines(item.value)) {
    let start = line.start;
    let end = line.end;
    while (start < end && isPyWhitespace(item.value.charCodeAt(start))) start++;
    while (end > start && isPyWhitespace(item.value.charCodeAt(end - 1))) end--;
    if (start === end || item.value[start] === '#') continue;
    const comment = item.value.indexOf(' #', start);
    if (comment >= 0 && comment < end) end = comment;
    lines.push({ text: item.value.slice(start, end), offset: start });
  }
  return lines;
}

/** A span of `item.value` in the document: inside the string when its text is exactly the value, else the whole literal. */
export function itemSpan(item: SetupItem, span: Span): Span {
  return item.contentSpan ? { start: item.contentSpan.start + span.start, end: item.contentSpan.start + span.end } : item.span;
}

function checkItem(result: SetupKeywordResult, item: SetupItem, findings: Finding[]): void {
  for (const line of requirementLines(item)) checkRequirementText(result, item, line.text, line.offset, findings);
}

function checkRequirementText(result: SetupKeywordResult, item: SetupItem, text: string, offset: number, findings: Finding[]): void {
  const parsed = parseRequirement(text, offset);
  const at = (span: Span): Span => itemSpan(item, span);
  if (!parsed.ok) {
    findings.push({ code: 'syntax', message: `Invalid requirement '${text}' in ${result.keyword}: ${parsed.message}`, span: at(parsed.span) });
    return;
  }
  const requirement = parsed.value;
  const exact = requirement.specifiers.find((clause) => clause.operator === '===' || (clause.operator === '==' && !clause.version.endsWith('.*')));
  if (exact) {
    findings.push({
      code: 'exact-pin-in-library',
      message: `${requirement.name}${exact.text} pins a library dependency to one version: every project that installs this package is forced onto it and conflicts follow. State the range you support (e.g. >=${exact.version}) and pin in the application's requirements file instead.`,
      span: at(exact.span),
    });
  } else if (requirement.specifiers.length === 0 && !requirement.url) {
    findings.push({
      code: 'unbounded',
      message: `${requirement.name} has no version constraint: any future release, including one with breaking changes, satisfies it. State the oldest version you support (>=…).`,
      span: at(requirement.nameSpan),
    });
  }
}
