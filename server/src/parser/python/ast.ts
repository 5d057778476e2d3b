// The subset of Python's `ast` that static setup.py analysis needs. Node kinds and child order
// follow CPython's class names and `_fields`, and every node's [start, end) matches the
// (lineno, col_offset)..(end_lineno, end_col_offset) range `ast.parse` gives it, as UTF-16 offsets.
// Ours: no npm Python parser builds CPython's ast classes with its ranges (tree-sitter-python has its own).

import type { StringParts } from './strings';

interface Base {
  readonly start: number;
  readonly end: number;
}

export type ConstantType = 'str' | 'bytes' | 'int' | 'float' | 'complex' | 'bool' | 'NoneType' | 'ellipsis';

export interface Constant extends Base {
  readonly kind: 'Constant';
  readonly type: ConstantType;
  /** Value of a str constant (after implicit concatenation), when it could be decoded. */
  readonly str?: string;
  /** Why a str constant has no value here (a `\N{...}` name this tool does not know). */
  readonly undecodable?: string;
  /** Value of an int or bool constant, clamped to a safe integer. */
  readonly int?: number;
  /** The string tokens a str/bytes constant was made from (more than one: implicit concatenation). */
  readonly pieces?: readonly StringParts[];
}

export interface JoinedStr extends Base {
  readonly kind: 'JoinedStr';
  readonly values: readonly Expr[];
}

export interface FormattedValue extends Base {
  readonly kind: 'FormattedValue';
  readonly value: Expr;
  readonly formatSpec?: JoinedStr;
}

export interface Name extends Base {
  readonly kind: 'Name';
  readonly id: string;
}

export interface Sequence extends Base {
  readonly kind: 'List' | 'Tuple' | 'Set';
  readonly elts: readonly Expr[];
}

export interface Dict extends Base {
  readonly kind: 'Dict';
  /** `null` for a `**mapping` entry. */
  readonly keys: readonly (Expr | null)[];
  readonly values: readonly Expr[];
}

export interface Starred extends Base {
  readonly kind: 'Starred';
  readonly value: Expr;
}

export type BinOperator =
  | 'Add' | 'Sub' | 'Mult' | 'MatMult' | 'Div' | 'Mod' | 'Pow' | 'LShift' | 'RShift' | 'BitOr' | 'BitXor'
  | 'BitAnd' | 'FloorDiv';

export interface BinOp extends Base {
  readonly kind: 'BinOp';
  readonly left: Expr;
  readonly op: BinOperator;
  readonly right: Expr;
}

export interface UnaryOp extends Base {
  readonly kind: 'UnaryOp';
  readonly operand: Expr;
}

export interface BoolOp extends Base {
  readonly kind: 'BoolOp';
  readonly values: readonly Expr[];
}

export interface Compare extends Base {
  readonly kind: 'Compare';
  readonly left: Expr;
  readonly comparators: readonly Expr[];
}

export interface IfExp extends Base {
  readonly kind: 'IfExp';
  readonly test: Expr;
  readonly body: Expr;
  readonly orelse: Expr;
}

export interface Lambda extends Base {
  readonly kind: 'Lambda';
  readonly body: Expr;
}

export interface NamedExpr extends Base {
  readonly kind: 'NamedExpr';
  readonly target: Expr;
  readonly value: Expr;
}

export interface Attribute extends Base {
  readonly kind: 'Attribute';
  readonly value: Expr;
  readonly attr: string;
}

export interface Subscript extends Base {
  readonly kind: 'Subscript';
  readonly value: Expr;
  readonly slice: Expr;
}

export interface Slice extends Base {
  readonly kind: 'Slice';
  readonly lower?: Expr;
  readonly upper?: Expr;
  readonly step?: Expr;
}

export interface Keyword extends Base {
  readonly kind: 'keyword';
  /** `null` for `**mapping`. */
  readonly arg: string | null;
  readonly value: Expr;
}

export interface Call extends Base {
  readonly kind: 'Call';
  readonly func: Expr;
  readonly args: readonly Expr[];
  readonly keywords: readonly Keyword[];
}

export interface Comprehension {
  readonly target: Expr;
  readonly iter: Expr;
  readonly ifs: readonly Expr[];
}

export interface Comp extends Base {
  readonly kind: 'ListComp' | 'SetComp' | 'GeneratorExp';
  readonly elt: Expr;
  readonly generators: readonly Comprehension[];
}

export interface DictComp extends Base {
  readonly kind: 'DictComp';
  readonly key: Expr;
  readonly value: Expr;
  readonly generators: readonly Comprehension[];
}

export interface ValueWrapper extends Base {
  readonly kind: 'Await' | 'Yield' | 'YieldFrom';
  readonly value?: Expr;
}

export type Expr =
  | Constant | JoinedStr | FormattedValue | Name | Sequence | Dict | Starred | BinOp | UnaryOp | BoolOp
  | Compare | IfExp | Lambda | NamedExpr | Attribute | Subscript | Slice | Call | Comp | DictComp
  | ValueWrapper;

// ---------------------------------------------------------------------------------------------
// Statements

export interface FunctionDef extends Base {
  readonly kind: 'FunctionDef' | 'AsyncFunctionDef';
  readonly name: string;
  readonly body: readonly Stmt[];
}

export interface ClassDef extends Base {
  readonly kind: 'ClassDef';
  readonly name: string;
  readonly body: readonly Stmt[];
}

export interface Assign extends Base {
  readonly kind: 'Assign';
  readonly targets: readonly Expr[];
  readonly value: Expr;
}

export interface AugAssign extends Base {
  readonly kind: 'AugAssign';
  readonly target: Expr;
  readonly op: BinOperator;
  readonly value: Expr;
}

export interface AnnAssign extends Base {
  readonly kind: 'AnnAssign';
  readonly target: Expr;
  readonly annotation: Expr;
  readonly value?: Expr;
}

export interface ExprStmt extends Base {
  readonly kind: 'Expr';
  readonly value: Expr;
}

export interface If extends Base {
  readonly kind: 'If' | 'While';
  readonly test: Expr;
  readonly body: readonly Stmt[];
  readonly orelse: readonly Stmt[];
}

export interface For extends Base {
  readonly kind: 'For' | 'AsyncFor';
  readonly target: Expr;
  readonly iter: Expr;
  readonly body: readonly Stmt[];
  readonly orelse: readonly Stmt[];
}

export interface WithItem {
  readonly contextExpr: Expr;
  readonly optionalVars?: Expr;
}

export interface With extends Base {
  readonly kind: 'With' | 'AsyncWith';
  readonly items: readonly WithItem[];
  readonly body: readonly Stmt[];
}

export interface ExceptHandler extends Base {
  readonly type?: Expr;
  readonly name?: string;
  readonly body: readonly Stmt[];
}

export interface Try extends Base {
  readonly kind: 'Try' | 'TryStar';
  readonly body: readonly Stmt[];
  readonly handlers: readonly ExceptHandler[];
  readonly orelse: readonly Stmt[];
  readonly finalbody: readonly Stmt[];
}

export interface MatchCase {
  readonly guard?: Expr;
  readonly body: readonly Stmt[];
}

export interface Match extends Base {
  readonly kind: 'Match';
  readonly subject: Expr;
  readonly cases: readonly MatchCase[];
}

export interface Alias {
  readonly name: string;
  readonly asname?: string;
}

export interface Import extends Base {
  readonly kind: 'Import' | 'ImportFrom';
  readonly names: readonly Alias[];
}

/** Statements whose only interesting parts are expressions (return, raise, del, assert, ...). */
export interface OtherStmt extends Base {
  readonly kind: 'Return' | 'Delete' | 'Raise' | 'Assert' | 'Global' | 'Nonlocal' | 'Pass' | 'Break' | 'Continue';
  readonly exprs: readonly Expr[];
}

export type Stmt =
  | FunctionDef | ClassDef | Assign | AugAssign | AnnAssign | ExprStmt | If | For | With | Try | Match
  | Import | OtherStmt;

export type Node = Expr | Stmt | Keyword;

/**
 * The direct children of a node in CPython's `ast.iter_child_nodes` order, restricted to
 * expressions, keywords and statements. Function and class definitions report none (nothing
 * here looks inside them this way). With `skipBlocks`, a compound statement reports only its
 * header expressions, not its body/orelse/handlers/finalbody statements.
 */
export function childNodes(node: Node, skipBlocks = false): Node[] {
  if (skipBlocks) {
    switch (node.kind) {
      case 'If':
      case 'While':
        return [node.test];
      case 'For':
      case 'AsyncFor':
        return [node.target, node.iter];
      case 'With':
      case 'AsyncWith':
        return node.items.flatMap((i) => (i.optionalVars ? [i.contextExpr, i.optionalVars] : [i.contextExpr]));
      case 'Try':
      case 'TryStar':
        return [];
      default:
        break;
    }
  }
  switch (node.kind) {
    case 'Constant':
    case 'Name':
    case 'Lambda':
      return [];
    case 'JoinedStr':
      return [...node.values];
    case 'FormattedValue':
      return node.formatSpec ? [node.value, node.formatSpec] : [node.value];
    case 'List':
    case 'Tuple':
    case 'Set':
      return [...node.elts];
    case 'Dict':
      return [...node.keys.filter((k): k is Expr => k !== null), ...node.values];
    case 'Starred':
    case 'keyword':
      return [node.value];
    case 'BinOp':
      return [node.left, node.right];
    case 'UnaryOp':
      return [node.operand];
    case 'BoolOp':
      return [...node.values];
    case 'Compare':
      return [node.left, ...node.comparators];
    case 'IfExp':
      return [node.test, node.body, node.orelse];
    case 'NamedExpr':
      return [node.target, node.value];
    case 'Attribute':
      return [node.value];
    case 'Subscript':
      return [node.value, node.slice];
    case 'Slice':
      return [node.lower, node.upper, node.step].filter((e): e is Expr => e !== undefined);
    case 'Call':
      return [node.func, ...node.args, ...node.keywords];
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
      return [node.elt, ...comprehensionChildren(node.generators)];
    case 'DictComp':
      return [node.key, node.value, ...comprehensionChildren(node.generators)];
    case 'Await':
    case 'Yield':
    case 'YieldFrom':
      return node.value ? [node.value] : [];
    case 'FunctionDef':
    case 'AsyncFunctionDef':
    case 'ClassDef':
      return [];
    case 'Assign':
      return [...node.targets, node.value];
    case 'AugAssign':
      return [node.target, node.value];
    case 'AnnAssign':
      return node.value ? [node.target, node.annotation, node.value] : [node.target, node.annotation];
    case 'Expr':
      return [node.value];
    case 'If':
    case 'While':
      return [node.test, ...node.body, ...node.orelse];
    case 'For':
    case 'AsyncFor':
      return [node.target, node.iter, ...node.body, ...node.orelse];
    case 'With':
    case 'AsyncWith':
      return [
        ...node.items.flatMap((i) => (i.optionalVars ? [i.contextExpr, i.optionalVars] : [i.contextExpr])),
        ...node.body,
      ];
    case 'Try':
    case 'TryStar':
      return [
        ...node.body,
        ...node.handlers.flatMap((h) => (h.type ? [h.type, ...h.body] : [...h.body])),
        ...node.orelse,
        ...node.finalbody,
      ];
    case 'Match':
      return [node.subject, ...node.cases.flatMap((c) => (c.guard ? [c.guard, ...c.body] : [...c.body]))];
    case 'Import':
    case 'ImportFrom':
      return [];
    default:
      return [...node.exprs];
  }
}

function comprehensionChildren(gens: readonly Comprehension[]): Expr[] {
  return gens.flatMap((g) => [g.target, g.iter, ...g.ifs]);
}
