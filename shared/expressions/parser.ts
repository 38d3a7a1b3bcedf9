import type { CallNode, ComparisonOperator, Node } from './ast.ts';
import { ParseError } from './diagnostics.ts';
import { tokenize, type LenientEscape, type Token } from './lexer.ts';

/**
 * Deeper nesting than this is refused: Entra documents no limit, but a 10,000-character expression
 * could otherwise nest ~5,000 calls and exhaust the stack of every recursive phase after parsing.
 */
export const MAX_NESTING = 200;

interface ParseResult {
  root: Node;
  lenientEscapes: LenientEscape[];
}

/**
 * Recursive descent over the expression syntax (Microsoft Learn "Reference for writing expressions for attribute
 * mappings", "Syntax overview"); throws the first ParseError.
 */
export function parse(text: string): ParseResult {
  const { tokens, lenientEscapes } = tokenize(text);
  const parser = new Parser(tokens);
  const root = parser.parseTop();
  return { root, lenientEscapes };
}

const OPERAND_END = new Set(['string', 'attribute', 'number', 'identifier', ')']);

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private get current(): Token {
    return this.tokens[this.index]!;
  }

  private previous(): Token | undefined {
    return this.tokens[this.index - 1];
  }

  parseTop(): Node {
    if (this.current.type === 'eof') throw new ParseError('EMPTY_EXPRESSION', 'The expression is empty', 0, this.current.end);
    const node = this.parseArgument(false);
    const next: Token = this.current;
    if (next.type !== 'eof') this.unexpected('after the end of the expression', true);
    return node;
  }

  private parseArgument(allowEmpty: boolean): Node {
    const token = this.current;
    if (token.type === ',' || token.type === ')') {
      if (!allowEmpty) this.unexpected('where a value was expected');
      return { type: 'empty', start: token.start, end: token.start };
    }
    const left = this.parseOperand();
    if (this.current.type !== 'op') return left;
    const opToken = this.current as Extract<Token, { type: 'op' }>;
    this.index++;
    const right = this.parseOperand();
    if (this.current.type === 'op') {
      // §2.3: comparisons are non-associative
      throw new ParseError('CHAINED_COMPARISON', 'Comparisons cannot be chained: nest IIF calls instead', this.current.start, this.current.end);
    }
    const operator: ComparisonOperator = opToken.op;
    return { type: 'comparison', operator, left, right, start: left.start, end: right.end };
  }

  private parseOperand(): Node {
    const token = this.current;
    switch (token.type) {
      case 'string':
        this.index++;
        return { type: 'string', value: token.value, start: token.start, end: token.end };
      case 'attribute':
        this.index++;
        return { type: 'attribute', name: token.name, start: token.start, end: token.end };
      case 'number': {
        this.index++;
        return token.hex === undefined
          ? { type: 'number', text: token.text, start: token.start, end: token.end }
          : { type: 'number', text: token.text, hex: token.hex, start: token.start, end: token.end };
      }
      case 'identifier': {
        this.index++;
        if (this.current.type === '(') return this.parseCall(token);
        return { type: 'identifier', name: token.name, start: token.start, end: token.end };
      }
      default:
        return this.unexpected('where a value was expected');
    }
  }

  private parseCall(nameToken: Extract<Token, { type: 'identifier' }>): CallNode {
    if (++this.depth > MAX_NESTING) {
      throw new ParseError('NESTING_TOO_DEEP', `Function calls are nested more than ${MAX_NESTING} levels deep`, nameToken.start, nameToken.end);
    }
    this.index++; // "("
    const args: Node[] = [];
    if (this.current.type === ')') {
      this.index++;
    } else {
      for (;;) {
        args.push(this.parseArgument(true));
        const token = this.current;
        if (token.type === ',') {
          this.index++;
          continue;
        }
        if (token.type === ')') {
          this.index++;
          break;
        }
        if (token.type === 'eof') {
          throw new ParseError('MISSING_PAREN', `${nameToken.name}( is not closed: add ")"`, nameToken.start, token.end, ')');
        }
        this.unexpected(`in the arguments of ${nameToken.name}: expected "," or ")"`);
      }
    }
    this.depth--;
    return { type: 'call', name: nameToken.name, nameEnd: nameToken.end, args, start: nameToken.start, end: this.previous()!.end };
  }

  private unexpected(where: string, topLevel = false): never {
    const token = this.current;
    const prev = this.previous();
    if (token.type === 'eof') {
      throw new ParseError('UNEXPECTED_END', `The expression ends too early (${where})`, token.start, token.end);
    }
    if (token.type === 'identifier' && /^(and|or)$/i.test(token.name) && prev && OPERAND_END.has(prev.type)) {
      // FN IIF known limitations: no logical operators
      throw new ParseError(
        'UNSUPPORTED_OPERATOR',
        `${token.name.toUpperCase()} is not supported: nest IIF along the ${/^and$/i.test(token.name) ? 'true' : 'false'} branch instead`,
        token.start,
        token.end,
      );
    }
    if (token.type === 'number' && token.text.startsWith('-') && prev && OPERAND_END.has(prev.type)) {
      throw new ParseError('UNSUPPORTED_OPERATOR', 'The expression language has no arithmetic: "-" is not an operator', token.start, token.start + 1);
    }
    if (prev?.type === 'identifier' && token.type !== ',' && token.type !== ')') {
      throw new ParseError('MISSING_PAREN', `Expected "(" after the function name ${prev.name}`, token.start, token.end, '(');
    }
    if (topLevel) {
      throw new ParseError('TRAILING_TEXT', `Unexpected ${describe(token)} after the end of the expression: an expression is one value`, token.start, token.end);
    }
    if (prev && OPERAND_END.has(prev.type) && token.type !== ',' && token.type !== ')' && token.type !== '(') {
      throw new ParseError('MISSING_COMMA', `Expected "," before ${describe(token)} ${where}`, token.start, token.end, ',');
    }
    throw new ParseError('UNEXPECTED_TOKEN', `Unexpected ${describe(token)} ${where}`, token.start, token.end);
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case 'string':
      return 'string';
    case 'attribute':
      return `attribute [${token.name}]`;
    case 'number':
      return `number ${token.text}`;
    case 'identifier':
      return `name ${token.name}`;
    case 'op':
      return `"${token.op}"`;
    case 'eof':
      return 'end of expression';
    default:
      return `"${token.type}"`;
  }
}
