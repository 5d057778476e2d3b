// PEP 440 ordering for index data. semver would order 2.0rc1 after 2.0 and reject 1!2.0 or
// 1.2.3.4, so every comparison of Python versions goes through @renovatebot/pep440.
import { compare, valid } from '@renovatebot/pep440';

/** Newest first; versions that are not PEP 440 (legacy names from old uploads) go last, in input order. */
export function sortVersionsDescending(versions: Iterable<string>): string[] {
  const valid440: string[] = [];
  const legacy: string[] = [];
  for (const version of new Set(versions)) (valid(version) ? valid440 : legacy).push(version);
  return [...valid440.sort((a, b) => compare(b, a)), ...legacy];
}
