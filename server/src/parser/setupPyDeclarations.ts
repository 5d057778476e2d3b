// setup.py as a manifest: the strings of setup()'s dependency keywords (install_requires,
// extras_require, setup_requires, tests_require), read with setuptools' line rules, and why any
// of them cannot be read without running the file.
import { setuptoolsRequirements, type Declarations, type DeclaredString } from './declared';
import { analyzeSetupPy, type SetupKeywordResult, type SetupPyAnalysis } from './setupPy';
import type { Problem, Span } from './types';

export function setupPyDeclarations(text: string): Declarations {
  return declarationsOf(analyzeSetupPy(text));
}

export function declarationsOf(analysis: SetupPyAnalysis): Declarations {
  const problems: Problem[] = [];
  const strings: DeclaredString[] = [];
  if (analysis.syntaxError) {
    problems.push({
      code: 'unresolved-install-requires',
      message: `setup.py is not valid Python (${analysis.syntaxError.message}), so its dependencies cannot be read.`,
      span: analysis.syntaxError.span,
    });
    return { strings, requirements: [], problems };
  }
  for (const call of analysis.calls) {
    // Keywords that may hide in one unreadable **kwargs share its range: say so once, naming them all.
    const unknown = Object.values(call.keywords).filter((result) => result.status === 'unknown');
    if (unknown.length > 0) {
      problems.push({
        code: 'unresolved-install-requires',
        message: `${unknown.map((r) => r.keyword).join(', ')} may be passed through **kwargs that cannot be read without running setup.py; those dependencies are not checked.`,
        span: unknown[0].expressionSpan ?? call.span,
      });
    }
    for (const result of Object.values(call.keywords)) readKeyword(result, call.span, strings, problems);
  }
  return { strings, requirements: setuptoolsRequirements(strings), problems };
}

function readKeyword(result: SetupKeywordResult, callSpan: Span, strings: DeclaredString[], problems: Problem[]): void {
  if (result.status === 'unresolved' || result.status === 'partial') {
    const what = result.status === 'partial' ? 'part of it is computed' : 'it is computed';
    const reasons = [...new Set(result.items.filter((i) => i.kind === 'dynamic' && i.reason).map((i) => i.reason))];
    problems.push({
      code: 'unresolved-install-requires',
      message: `${result.keyword} cannot be read without running setup.py (${what}${reasons.length ? `: ${reasons.join('; ')}` : ' at run time'}); those dependencies are not checked.`,
      span: result.expressionSpan ?? callSpan,
    });
  }
  for (const item of result.items) {
    if (item.kind === 'dynamic') continue;
    strings.push({
      group: result.keyword,
      ...(item.extra !== undefined ? { extra: item.extra } : {}),
      value: item.value,
      span: item.span,
      ...(item.contentSpan ? { contentSpan: item.contentSpan } : {}),
      conditional: item.conditional,
    });
  }
}
