// `reqguard check --format sarif`: SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/),
// the format GitHub code scanning uploads. One rule per diagnostic code, described by the same
// text as the code's setting; results point into files relative to the folder check ran in.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, MultiformatMessageString, ReportingDescriptor, Result } from 'sarif';
import { DIAGNOSTIC_CODES, isDiagnosticCode, type DefaultSeverity, type DiagnosticCode, type Severity } from '../settings';
import { terminalSafeJson } from '../features/diagnostics/safeText';
import type { CheckRecord } from './checkOutput';
import type { ToolInfo } from './manifest';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Results' paths are relative to this base, which code scanning maps to the repository checkout. */
export const SOURCE_ROOT = '%SRCROOT%';

const LEVELS: Record<DefaultSeverity, Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note', off: 'none' };

const CODES = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];

/** SARIF's message form: plain text without markdown's code marks, and the markdown where it has any. */
function markdownText(markdown: string): MultiformatMessageString {
  const text = markdown.replace(/`/g, '');
  return text === markdown ? { text } : { text, markdown };
}

function rule(code: DiagnosticCode, descriptions: ToolInfo['codeDescriptions']): ReportingDescriptor {
  const markdown = descriptions[code];
  return {
    id: code,
    shortDescription: markdown === undefined ? { text: code } : markdownText(markdown),
    defaultConfiguration: { level: LEVELS[DIAGNOSTIC_CODES[code]] },
  };
}

/** A file below `cwd` as a relative URI on the source root; any other as an absolute file: URI. */
function artifactLocation(file: string, cwd: string): ArtifactLocation {
  const absolute = resolve(cwd, file);
  const path = relative(cwd, absolute);
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return { uri: pathToFileURL(absolute).href };
  return { uri: path.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

export function formatCheckSarif(records: readonly CheckRecord[], options: { tool: ToolInfo; cwd: string }): string {
  const { tool, cwd } = options;
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'reqguard',
            version: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: CODES.map((code) => rule(code, tool.codeDescriptions)),
          },
        },
        // Lets local viewers find the files; code scanning uses its checkout instead.
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(cwd).href.replace(/\/?$/, '/') } },
        // LSP's columns, which the records carry.
        columnKind: 'utf16CodeUnits',
        results: records.map((record): Result => ({
          ruleId: record.code,
          ...(isDiagnosticCode(record.code) ? { ruleIndex: CODES.indexOf(record.code) } : {}),
          level: LEVELS[record.severity satisfies Severity],
          message: { text: record.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(record.file, cwd),
                region: { startLine: record.line, startColumn: record.column, endLine: record.endLine, endColumn: record.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return terminalSafeJson(log);
}
