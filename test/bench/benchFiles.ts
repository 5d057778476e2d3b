// Files the benchmarks read: real pip-compile output from the corpus, grown to a given size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRequirementsBytes } from '../../server/src/parser/pyText';
import { corpusDir } from '../helpers/corpus';

/** A corpus requirements file's text, by its corpus name. */
export function corpusRequirements(name: string): string {
  return decodeRequirementsBytes(readFileSync(join(corpusDir(), 'requirements', name))).text;
}

/** warehouse's main.txt (pip-compile, hashes), repeated and cut at an entry boundary near `lines`. */
export function warehouseLines(lines: number): string {
  const warehouse = corpusRequirements('pypi__warehouse__requirements__main.txt').split('\n');
  const repeated: string[] = [];
  while (repeated.length <= lines) for (const line of warehouse) repeated.push(line);
  let cut = lines;
  while (cut > 0 && /^\s/.test(repeated[cut])) cut--;
  return repeated.slice(0, cut).join('\n') + '\n';
}
