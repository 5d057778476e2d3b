// PEP 508 marker evaluation exactly as packaging 26.2 (pip 26's vendored copy) does it, against a
// target environment instead of the running Python: version variables compare as PEP 440
// specifiers when `OP VALUE` is a valid specifier, everything else with packaging's string
// operators (`==`, `!=`, `in`, `not in`; `<`/`>` are false and `<=`/`>=` mean equality; `~=`
// and `===` are undefined there); `extra` values are normalized (PEP 685).
import { parseMarker, parseSpecifier, withNormalizedExtra, canonicalizeName, type MarkerComparison, type MarkerExpression, type MarkerInfo, type MarkerOperand } from '../parser/pep508';
import type { MarkerEnvironment } from './environment';
import { clauseContains } from './specifiers';
import { remembered } from './versions';

export type MarkerResult = { readonly ok: true; readonly value: boolean } | { readonly ok: false; readonly message: string };

/** Variables whose values packaging compares as versions when the other side is a valid specifier. */
const VERSION_VARIABLES: ReadonlySet<string> = new Set(['implementation_version', 'platform_release', 'python_full_version', 'python_version']);

const STRING_OPERATORS: Readonly<Record<string, (left: string, right: string) => boolean>> = {
  in: (left, right) => right.includes(left),
  'not in': (left, right) => !right.includes(left),
  '<': () => false,
  '<=': (left, right) => left === right,
  '==': (left, right) => left === right,
  '!=': (left, right) => left !== right,
  '>=': (left, right) => left === right,
  '>': () => false,
};

/** A marker failed to evaluate (packaging raises UndefinedComparison / a missing-variable error). */
class MarkerFailure {
  constructor(readonly message: string) {}
}

/**
 * `Marker.evaluate({'extra': extra})` in packaging's default "metadata" context, with `environment`
 * in place of the running Python's. `extra` '' means none requested.
 */
export function evaluateMarker(marker: MarkerInfo | MarkerExpression, environment: MarkerEnvironment, extra = ''): MarkerResult {
  const expression = 'expression' in marker ? marker.expression : marker;
  const values: Readonly<Record<string, string>> = { ...environment, python_full_version: repairedFullVersion(environment.python_full_version), extra: extra ? canonicalizeName(extra) : '' };
  try {
    return { ok: true, value: evaluateList(expression, values, true) };
  } catch (error) {
    if (error instanceof MarkerFailure) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * How pip judges a dependency's marker: `Requires-Dist` is evaluated as written (for each
 * requested extra, or with none), then the requirement is printed and parsed again and evaluated
 * once more (`str(req)` moves a parenthesized `extra` comparison to the top level, where packaging
 * normalizes it); true when both say so for some extra.
 */
export function dependencyMarkerApplies(marker: MarkerInfo, environment: MarkerEnvironment, extras: readonly string[]): MarkerResult {
  const contexts = extras.length ? extras : [''];
  const reparsed = reparsedMarker(marker);
  const applies = (candidate: MarkerInfo | MarkerExpression): MarkerResult => {
    for (const extra of contexts) {
      const result = evaluateMarker(candidate, environment, extra);
      if (!result.ok || result.value) return result;
    }
    return { ok: true, value: false };
  };
  const first = applies(marker);
  if (!first.ok || !first.value) return first;
  return applies(reparsed);
}

function reparsedMarker(marker: MarkerInfo): MarkerExpression {
  if (marker.normalized === marker.text) return marker.expression;
  const parsed = parseMarker(marker.normalized);
  return parsed.ok ? parsed.value.expression : marker.expression;
}

/** packaging turns `3.12.1+` (an untagged CPython build) into `3.12.1+local`, a valid version. */
function repairedFullVersion(version: string): string {
  return version.endsWith('+') ? `${version}local` : version;
}

// `and` binds tighter than `or`: the list is split into `or` groups of `and`ed items.
function evaluateList(expression: MarkerExpression, values: Readonly<Record<string, string>>, topLevel: boolean): boolean {
  const groups: boolean[][] = [[]];
  for (const node of expression) {
    if (node === 'or') groups.push([]);
    else if (node === 'and') continue;
    else if (node.kind === 'group') groups[groups.length - 1].push(evaluateList(node.items, values, false));
    else groups[groups.length - 1].push(evaluateComparison(node, values, topLevel));
  }
  return groups.some((group) => group.every(Boolean));
}

function evaluateComparison(node: MarkerComparison, values: Readonly<Record<string, string>>, topLevel: boolean): boolean {
  const { left, right } = topLevel ? withNormalizedExtra(node) : node;
  // packaging reads the variable's value on one side and takes the other side's text as written
  // (a variable's name, when both sides are variables).
  const key = left.kind === 'variable' ? left.name : operandText(right);
  const leftValue = left.kind === 'variable' ? valueOf(left.name, values) : left.value;
  const rightValue = left.kind === 'variable' ? operandText(right) : valueOf(operandText(right), values);
  return compareValues(leftValue, node.operator, rightValue, key);
}

function operandText(operand: MarkerOperand): string {
  return operand.kind === 'variable' ? operand.name : operand.value;
}

function valueOf(name: string, values: Readonly<Record<string, string>>): string {
  const value = values[name];
  if (value === undefined) throw new MarkerFailure(`the marker variable '${name}' is not defined when installing (it exists only in lock files)`);
  return value;
}

/** `Specifier(text)` of a marker comparison; the same few are asked for again and again. */
const markerSpecifier = remembered((text: string) => parseSpecifier(text));

function compareValues(left: string, operator: string, right: string, key: string): boolean {
  if (VERSION_VARIABLES.has(key)) {
    const specifier = markerSpecifier(`${operator}${right}`);
    if (specifier) return clauseContains(specifier, left, true);
  }
  const compare = STRING_OPERATORS[operator];
  if (!compare) throw new MarkerFailure(`the marker operator '${operator}' is undefined for '${left}' and '${right}'`);
  return compare(left, right);
}
