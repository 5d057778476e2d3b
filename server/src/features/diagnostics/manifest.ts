// Library rules for manifests (setup.py, setup.cfg, pyproject.toml): a library states the range of
// versions it supports, so an exact pin there is a smell (it forces every user onto one version)
// and no bound at all is worth a note. Pins and hashes belong in the requirements file of the
// application that deploys it. A PEP 735 dependency group is not part of the package (a
// development tool list, like a requirements file): these rules leave it alone.
import { declarationProblems, declaredSpan, type Declarations, type DeclaredRequirement } from '../../parser/declared';
import { isDiagnosticCode } from '../../settings';
import type { Span } from '../../parser/types';
import type { Finding } from './requirements';

export function checkManifest(declarations: Declarations): Finding[] {
  const findings: Finding[] = [];
  for (const problem of declarationProblems(declarations)) {
    if (isDiagnosticCode(problem.code)) findings.push({ code: problem.code, message: problem.message, span: problem.span });
  }
  for (const requirement of declarations.requirements) checkRequirement(requirement, findings);
  return findings;
}

function checkRequirement({ string, parsed }: DeclaredRequirement, findings: Finding[]): void {
  if (!parsed.ok || string.dependencyGroup !== undefined) return;
  const at = (span: Span): Span => declaredSpan(string, span);
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
