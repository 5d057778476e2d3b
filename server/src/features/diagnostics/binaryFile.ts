// A file that is not text (an executable, an archive, UTF-16 without a byte-order mark) named as a
// requirements file: one finding instead of a syntax error per line of noise. The parser does not
// read such a file (parser/documentKinds.ts), so nothing else is reported for it.
import { BINARY_SNIFF_LENGTH, binaryEvidence } from '../../parser/pyText';
import type { Finding } from './requirements';

export function binaryFileFinding(text: string): Finding | undefined {
  const evidence = binaryEvidence(text);
  if (!evidence) return undefined;
  const window = `its first ${BINARY_SNIFF_LENGTH / 1024} KiB`;
  const why = evidence.kind === 'nul'
    ? `it has a NUL byte in ${window}, as executables, archives and UTF-16 files without a byte-order mark do`
    : `${Math.round(evidence.share * 100)}% of ${window} could not be decoded`;
  return {
    code: 'binary-file',
    message: `Not a text file: ${why}. Nothing in it was checked. If it is a requirements file in another encoding, save it as UTF-8.`,
    span: { start: evidence.offset, end: evidence.offset + 1 },
  };
}
