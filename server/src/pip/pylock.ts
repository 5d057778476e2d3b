// PEP 751's rule that needs PEP 440 order, which the parser does not have: the version a wheel or
// sdist file name gives must equal the package's `version` (packaging.pylock refuses the file
// otherwise). With parser/pylock.ts's problems, this makes packaging's verdict.
import { PYLOCK_INVALID, type PylockDocument } from '../parser/pylock';
import type { Problem } from '../parser/types';
import { compare, valid } from './versions';

/** `Version in 'a-1.0-py3-none-any.whl' is not consistent with package version '1.1'`, once per file. */
export function pylockVersionProblems(document: PylockDocument): Problem[] {
  const problems: Problem[] = [];
  for (const pkg of document.packages) {
    const version = pkg.version?.value;
    if (version === undefined || !valid(version)) continue;
    const files = [...pkg.wheels.map((wheel, i) => ({ file: wheel, where: `wheels[${i}]` })), ...(pkg.sdist ? [{ file: pkg.sdist, where: 'sdist' }] : [])];
    for (const { file, where } of files) {
      if (file.nameVersion === undefined || !valid(file.nameVersion) || compare(file.nameVersion, version) === 0) continue;
      problems.push({
        code: PYLOCK_INVALID,
        message: `packages[${pkg.position}].${where}: Version in ${JSON.stringify(file.fileName)} is not consistent with package version ${JSON.stringify(version)}.`,
        span: file.name?.span ?? file.path?.span ?? file.url?.span ?? file.span,
      });
    }
  }
  return problems;
}
