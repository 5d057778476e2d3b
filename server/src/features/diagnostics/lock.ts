// pylock.toml's offline findings: what PEP 751 forbids, as packaging.pylock (and so pip) refuses
// it (parser/pylock.ts, with pip/pylock.ts for the version in a file's name), the file-name rule,
// and packages whose wheels miss one of the file's `environments`.
// Nothing here asks for pins or hashes: a lock file has them by construction, and regenerating it
// is the lock command's job.
import { pylockFileNameProblem } from '../../parser/documentKinds';
import type { PylockDocument } from '../../parser/pylock';
import { pylockVersionProblems, uncoveredEnvironments } from '../../pip/pylock';
import { isDiagnosticCode } from '../../settings';
import type { Finding } from './requirements';

export function checkPylock(lock: PylockDocument, filePath: string | undefined): Finding[] {
  const findings: Finding[] = [...lock.problems, ...pylockVersionProblems(lock)].map((problem) => ({
    code: isDiagnosticCode(problem.code) ? problem.code : 'syntax',
    message: problem.message,
    span: problem.span,
  }));
  const badName = filePath === undefined ? undefined : pylockFileNameProblem(filePath);
  if (badName) findings.push({ code: 'pylock-file-name', message: badName, span: { start: 0, end: 0 } });
  for (const pkg of lock.packages) {
    for (const { environment, example } of uncoveredEnvironments(lock, pkg)) {
      findings.push({
        code: 'pylock-environments',
        message: `${pkg.name?.value ?? `packages[${pkg.position}]`} has no wheel for the environment ${JSON.stringify(environment.value)} (such as ${example.name}) and no sdist, though its wheels suit another of this file's environments: installing from this lock fails there. pip lock writes a lock for the environment it runs in; lock once per environment (pylock.<name>.toml).`,
        span: pkg.name?.span ?? pkg.span,
        related: { span: environment.span, message: 'The environment this file claims.' },
      });
    }
  }
  return findings.sort((a, b) => a.span.start - b.span.start);
}
