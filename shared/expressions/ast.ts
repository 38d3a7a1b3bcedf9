/**
 * The syntax tree of an expression (Microsoft Learn "Reference for writing expressions for attribute mappings", "Syntax
 * overview"). Every node carries its [start, end) offsets in the text.
 */
export type Node = CallNode | AttributeNode | StringNode | NumberNode | IdentifierNode | ComparisonNode | EmptyNode;

interface Span {
  start: number;
  end: number;
}

export interface CallNode extends Span {
  type: 'call';
  /** the name as typed; the checker resolves it against the catalogue */
  name: string;
  nameEnd: number;
  args: Node[];
}

interface AttributeNode extends Span {
  type: 'attribute';
  name: string;
}

interface StringNode extends Span {
  type: 'string';
  /** the value after unescaping */
  value: string;
}

/** A decimal literal, kept as typed: Graph stores numeric literals as string constants (§1.4). */
interface NumberNode extends Span {
  type: 'number';
  text: string;
  /** set for VB hex literals such as &HF7 */
  hex?: bigint;
}

/** A bare word such as vbTextCompare (§2.2) */
interface IdentifierNode extends Span {
  type: 'identifier';
  name: string;
}

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

interface ComparisonNode extends Span {
  type: 'comparison';
  operator: ComparisonOperator;
  left: Node;
  right: Node;
}

/** Nothing between two commas: "parameter not supplied", which differs from "" (§2.2) */
interface EmptyNode extends Span {
  type: 'empty';
}

/** Calls every node below (and including) `node`, parents before children. */
export function walk(node: Node, visit: (node: Node, parent: Node | null) => void, parent: Node | null = null): void {
  visit(node, parent);
  if (node.type === 'call') for (const arg of node.args) walk(arg, visit, node);
  else if (node.type === 'comparison') {
    walk(node.left, visit, node);
    walk(node.right, visit, node);
  }
}
