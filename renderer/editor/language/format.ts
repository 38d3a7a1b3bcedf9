import type { Node } from '../../../shared/expressions/ast.ts';
import { ParseError } from '../../../shared/expressions/diagnostics.ts';
import { parse } from '../../../shared/expressions/parser.ts';

/**
 * "Format expression": prints the syntax tree again, one argument per line for any call that does not fit the width,
 * indented by nesting. Literals are copied from the source text as typed (escapes and number spelling kept), so the
 * formatted text parses to the same tree. Whitespace between tokens is insignificant to the grammar (Microsoft Learn
 * "Reference for writing expressions for attribute mappings", "Syntax overview").
 */
const FORMAT_WIDTH = 60;
const INDENT = '  ';

type FormatResult = { ok: true; text: string } | { ok: false; message: string };

export function formatExpression(text: string, width = FORMAT_WIDTH): FormatResult {
  let root: Node;
  try {
    root = parse(text).root;
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, message: `Fix the syntax error first: ${error.message}` };
    throw error;
  }
  return { ok: true, text: print(root, text, 0, width) };
}

function flat(node: Node, source: string): string {
  switch (node.type) {
    case 'call':
      return `${node.name}(${node.args.map((arg) => flat(arg, source)).join(', ')})`;
    case 'comparison':
      return `${flat(node.left, source)} ${node.operator} ${flat(node.right, source)}`;
    case 'empty':
      return '';
    case 'attribute':
      return `[${node.name}]`;
    default:
      // strings, numbers and bare words exactly as typed
      return source.slice(node.start, node.end);
  }
}

function print(node: Node, source: string, depth: number, width: number): string {
  const oneLine = flat(node, source);
  const indent = INDENT.repeat(depth);
  if (indent.length + oneLine.length <= width || node.type !== 'call' || node.args.length === 0) {
    if (node.type === 'comparison' && indent.length + oneLine.length > width) {
      return `${print(node.left, source, depth, width)} ${node.operator} ${print(node.right, source, depth, width).trimStart()}`;
    }
    return oneLine;
  }
  const inner = INDENT.repeat(depth + 1);
  const args = node.args.map((arg) => (arg.type === 'empty' ? inner.trimEnd() : `${inner}${print(arg, source, depth + 1, width)}`));
  return `${node.name}(\n${args.join(',\n')}\n${indent})`;
}

/** The tree without source offsets: what "round-trips to the same AST" compares. */
export function treeShape(node: Node): unknown {
  switch (node.type) {
    case 'call':
      return { call: node.name, args: node.args.map(treeShape) };
    case 'comparison':
      return { op: node.operator, left: treeShape(node.left), right: treeShape(node.right) };
    case 'attribute':
      return { attribute: node.name };
    case 'string':
      return { string: node.value };
    case 'number':
      return { number: node.text };
    case 'identifier':
      return { identifier: node.name };
    case 'empty':
      return { empty: true };
  }
}
