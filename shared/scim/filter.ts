/**
 * SCIM filter grammar (RFC 7644 §3.4.2.2): tokenize → parse → validate → evaluate. The Entra dialect adds two forms the
 * RFC does not allow (Microsoft Learn "Develop a SCIM endpoint for user provisioning", "Retrieving Resources"; RFC 7644
 * §3.4.2.2): `emails[type eq "work"].value eq "x"` (a value path followed by a sub-attribute) and unquoted values
 * (`externalId eq jyoung`, shown in one Microsoft doc example and in Microsoft's Postman suite).
 */
import { badRequest } from './errors.ts';
import { ownValue } from './own-properties.ts';
import { splitAttributeToken, type AttrRef, type AttributeDef, type ResolvedAttribute } from './schemas.ts';

type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
type FilterValue = string | number | boolean | null;

export type FilterNode =
  | { kind: 'compare'; path: AttrRef; op: CompareOp; value: FilterValue }
  | { kind: 'present'; path: AttrRef }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  /** `attr[filter]`: true when some element of the multi-valued `attr` satisfies `filter` (relative paths) */
  | { kind: 'valuePath'; path: AttrRef; filter: FilterNode };

export interface FilterSyntaxOptions {
  /**
   * accept `attr[filter].sub op value` and unquoted values (Microsoft Learn "Develop a SCIM endpoint for user
   * provisioning", "Retrieving Resources")
   */
  entraForms: boolean;
}

const COMPARE_OPS = new Set<CompareOp>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const ORDERING_OPS = new Set<CompareOp>(['gt', 'ge', 'lt', 'le']);

// ---------------------------------------------------------------------------------------------
// Tokenizer

export type Token =
  | { kind: '(' | ')' | '[' | ']'; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'word'; text: string; at: number };

const invalidFilter = (detail: string, rule = 'filter.syntax') => badRequest('invalidFilter', detail, rule);

export function tokenizeFilter(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c, at: i });
      i++;
    } else if (c === '"') {
      const start = i;
      i++;
      let raw = '"';
      let closed = false;
      while (i < input.length) {
        const d = input[i]!;
        if (d === '\\') {
          raw += d + (input[i + 1] ?? '');
          i += 2;
          continue;
        }
        raw += d;
        i++;
        if (d === '"') {
          closed = true;
          break;
        }
      }
      if (!closed) throw invalidFilter(`unterminated string starting at position ${start + 1}`);
      let text: string;
      try {
        text = JSON.parse(raw) as string;
      } catch {
        throw invalidFilter(`invalid escape in string starting at position ${start + 1}`);
      }
      tokens.push({ kind: 'string', text, at: start });
    } else {
      const start = i;
      while (i < input.length && !' \t\n\r()[]"'.includes(input[i]!)) i++;
      tokens.push({ kind: 'word', text: input.slice(start, i), at: start });
    }
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser (recursive descent; precedence not > and > or, RFC 7644 §3.4.2.2)

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly options: FilterSyntaxOptions,
  ) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) throw invalidFilter('the filter is empty');
    const node = this.parseOr(false);
    const extra = this.tokens[this.pos];
    if (extra) throw invalidFilter(`unexpected ${describe(extra)} at position ${extra.at + 1}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private parseOr(inValuePath: boolean): FilterNode {
    let left = this.parseAnd(inValuePath);
    while (this.isKeyword(this.peek(), 'or')) {
      this.pos++;
      left = { kind: 'or', left, right: this.parseAnd(inValuePath) };
    }
    return left;
  }

  private parseAnd(inValuePath: boolean): FilterNode {
    let left = this.parseUnary(inValuePath);
    while (this.isKeyword(this.peek(), 'and')) {
      this.pos++;
      left = { kind: 'and', left, right: this.parseUnary(inValuePath) };
    }
    return left;
  }

  private parseUnary(inValuePath: boolean): FilterNode {
    const token = this.peek();
    if (!token) throw invalidFilter('the filter ends where an expression was expected');
    if (this.isKeyword(token, 'not') && this.tokens[this.pos + 1]?.kind === '(') {
      this.pos++;
      return { kind: 'not', operand: this.parseGroup(inValuePath) };
    }
    if (token.kind === '(') return this.parseGroup(inValuePath);
    return this.parseAttributeExpression(inValuePath);
  }

  private parseGroup(inValuePath: boolean): FilterNode {
    this.expect('(');
    const inner = this.parseOr(inValuePath);
    this.expect(')');
    return inner;
  }

  private expect(kind: '(' | ')' | '[' | ']'): void {
    const token = this.peek();
    if (token?.kind !== kind) {
      throw invalidFilter(token ? `expected "${kind}" at position ${token.at + 1}` : `missing "${kind}"`);
    }
    this.pos++;
  }

  private parseAttributeExpression(inValuePath: boolean): FilterNode {
    const token = this.peek();
    if (token?.kind !== 'word') throw invalidFilter(token ? `expected an attribute at position ${token.at + 1}` : 'expected an attribute');
    const path = splitAttributeToken(token.text);
    if (!path) throw invalidFilter(`"${token.text}" is not an attribute path`);
    this.pos++;

    if (this.peek()?.kind === '[') {
      if (inValuePath) throw invalidFilter('value paths cannot be nested');
      if (path.sub !== undefined) throw invalidFilter(`a value filter cannot follow the sub-attribute "${token.text}"`);
      this.pos++;
      const inner = this.parseOr(true);
      this.expect(']');
      const after = this.peek();
      if (after?.kind === 'word' && after.text.startsWith('.')) {
        // Entra's matching query: emails[type eq "work"].value eq "x" (Microsoft Learn "Customize user provisioning
        // attribute-mappings", "Matching users in the source and target systems")
        if (!this.options.entraForms) {
          throw invalidFilter('a sub-attribute after a value filter is not valid RFC 7644 filter syntax', 'filter.entra-valuepath-subattribute');
        }
        const sub = splitAttributeToken(after.text.slice(1));
        if (!sub || sub.schema !== undefined || sub.sub !== undefined) throw invalidFilter(`"${after.text}" is not a sub-attribute`);
        this.pos++;
        const tail = this.parseOperator({ attr: sub.attr });
        return { kind: 'valuePath', path, filter: { kind: 'and', left: inner, right: tail } };
      }
      return { kind: 'valuePath', path, filter: inner };
    }
    return this.parseOperator(path);
  }

  private parseOperator(path: AttrRef): FilterNode {
    const opToken = this.peek();
    if (opToken?.kind !== 'word') throw invalidFilter(`an operator is missing after "${formatRef(path)}"`);
    const op = opToken.text.toLowerCase();
    this.pos++;
    if (op === 'pr') return { kind: 'present', path };
    if (!COMPARE_OPS.has(op as CompareOp)) throw invalidFilter(`"${opToken.text}" is not a filter operator`);
    return { kind: 'compare', path, op: op as CompareOp, value: this.parseValue(path, op) };
  }

  private parseValue(path: AttrRef, op: string): FilterValue {
    const token = this.peek();
    if (!token || (token.kind !== 'string' && token.kind !== 'word')) {
      throw invalidFilter(`a value is missing after "${formatRef(path)} ${op}"`);
    }
    this.pos++;
    if (token.kind === 'string') return token.text;
    const lower = token.text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token.text)) return Number(token.text);
    if (this.options.entraForms) return token.text;
    throw invalidFilter(`the value ${token.text} must be quoted`, 'filter.unquoted-value');
  }
}

function describe(token: Token): string {
  return token.kind === 'word' || token.kind === 'string' ? `"${token.text}"` : `"${token.kind}"`;
}

function formatRef(ref: AttrRef): string {
  return `${ref.schema ? ref.schema + ':' : ''}${ref.attr}${ref.sub ? '.' + ref.sub : ''}`;
}

export function parseFilter(input: string, options: FilterSyntaxOptions): FilterNode {
  return new Parser(tokenizeFilter(input), options).parse();
}

/** Parses an already tokenized filter (PATCH paths reuse the tokenizer for their `[...]` part). */
export function parseFilterTokens(tokens: Token[], options: FilterSyntaxOptions): FilterNode {
  return new Parser(tokens, options).parse();
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Resolves attribute references for one resource type (see schemas.resolveAttribute). */
export type AttributeResolver = (ref: AttrRef) => ResolvedAttribute | undefined;

type Json = Record<string, unknown>;

/** The raw value of an attribute (no sub-attribute), extension members looked up under their URN. */
export function attributeValue(resource: Json, ref: AttrRef, resolve: AttributeResolver): { value: unknown; resolved?: ResolvedAttribute } {
  const resolved = resolve({ ...(ref.schema !== undefined ? { schema: ref.schema } : {}), attr: ref.attr });
  if (resolved) {
    const container = resolved.topLevel ? resource : ownValue(resource, resolved.schema);
    return { value: ownValue(container, resolved.def.name), resolved };
  }
  const container = ref.schema !== undefined ? ownValue(resource, ref.schema) : resource;
  return { value: ownValue(container, ref.attr) };
}

interface Leaf {
  values: unknown[];
  def: AttributeDef | undefined;
}

/** Values to compare for `path` on `subject`; multi-valued attributes compare element-wise (RFC 7644 §3.4.2.2). */
function leafValues(subject: Json, path: AttrRef, resolve: AttributeResolver | undefined, parentDef: AttributeDef | undefined): Leaf {
  let value: unknown;
  let def: AttributeDef | undefined;
  if (resolve) {
    const found = attributeValue(subject, path, resolve);
    value = found.value;
    def = found.resolved?.def;
  } else {
    // inside a value filter: paths are sub-attributes of the element
    value = ownValue(subject, path.attr);
    def = parentDef?.subAttributes?.find((a) => a.name.toLowerCase() === path.attr.toLowerCase());
  }
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (path.sub !== undefined) {
    const subDef = def?.subAttributes?.find((a) => a.name.toLowerCase() === path.sub!.toLowerCase());
    return { values: items.map((item) => ownValue(item, path.sub!)).filter((v) => v !== undefined && v !== null), def: subDef };
  }
  if (def?.type === 'complex' || items.some((item) => item !== null && typeof item === 'object')) {
    // a complex attribute without a sub-attribute compares on its "value" (RFC 7644 §3.4.2.2)
    const valueDef = def?.subAttributes?.find((a) => a.name === 'value');
    return { values: items.map((item) => ownValue(item, 'value')).filter((v) => v !== undefined && v !== null), def: valueDef };
  }
  return { values: items, def };
}

/** Accepts .NET-style timestamps with 7 fractional digits (Microsoft's Postman suite) by trimming to ms. */
export function parseDateTime(text: string): number {
  const trimmed = text.replace(/(\.\d{3})\d+/, '$1');
  return Date.parse(trimmed);
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function compareOne(actual: unknown, op: CompareOp, expected: FilterValue, def: AttributeDef | undefined): boolean {
  if (expected === null) return false;
  const type = def?.type;
  if (typeof actual === 'boolean' || type === 'boolean') {
    let want = expected;
    if (typeof want === 'string' && /^(true|false)$/i.test(want)) want = want.toLowerCase() === 'true';
    if (op === 'eq') return actual === want;
    return false;
  }
  if (typeof actual === 'number' || type === 'integer' || type === 'decimal') {
    const a = Number(actual);
    const b = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    return ordered(op, a === b ? 0 : a < b ? -1 : 1);
  }
  if (typeof actual !== 'string') return false;
  if (type === 'dateTime' && (ORDERING_OPS.has(op) || op === 'eq')) {
    const a = parseDateTime(actual);
    const b = parseDateTime(String(expected));
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    return ordered(op, a === b ? 0 : a < b ? -1 : 1);
  }
  const caseExact = def?.caseExact ?? false;
  const a = caseExact ? actual : actual.toLowerCase();
  const b = caseExact ? String(expected) : String(expected).toLowerCase();
  switch (op) {
    case 'eq':
      return a === b;
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    default:
      return ordered(op, a === b ? 0 : a < b ? -1 : 1);
  }
}

function ordered(op: CompareOp, sign: number): boolean {
  switch (op) {
    case 'eq':
      return sign === 0;
    case 'gt':
      return sign > 0;
    case 'ge':
      return sign >= 0;
    case 'lt':
      return sign < 0;
    case 'le':
      return sign <= 0;
    default:
      return false;
  }
}

function evaluate(node: FilterNode, subject: Json, resolve: AttributeResolver | undefined, parentDef: AttributeDef | undefined): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, subject, resolve, parentDef) && evaluate(node.right, subject, resolve, parentDef);
    case 'or':
      return evaluate(node.left, subject, resolve, parentDef) || evaluate(node.right, subject, resolve, parentDef);
    case 'not':
      return !evaluate(node.operand, subject, resolve, parentDef);
    case 'present': {
      const leaf = leafValues(subject, node.path, resolve, parentDef);
      return leaf.values.some(isPresent);
    }
    case 'compare': {
      const leaf = leafValues(subject, node.path, resolve, parentDef);
      if (node.value === null) {
        const present = leaf.values.some(isPresent);
        return node.op === 'ne' ? present : node.op === 'eq' ? !present : false;
      }
      if (node.op === 'ne') return !leaf.values.some((v) => compareOne(v, 'eq', node.value, leaf.def));
      return leaf.values.some((v) => compareOne(v, node.op, node.value, leaf.def));
    }
    case 'valuePath': {
      if (!resolve) return false;
      const { value, resolved } = attributeValue(subject, node.path, resolve);
      const elements = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
      return elements.some(
        (element) => element !== null && typeof element === 'object' && evaluate(node.filter, element as Json, undefined, resolved?.def),
      );
    }
  }
}

/** Does `resource` satisfy `filter`? Call validateFilter first so type errors surface as invalidFilter. */
export function matchesFilter(filter: FilterNode, resource: Json, resolve: AttributeResolver): boolean {
  return evaluate(filter, resource, resolve, undefined);
}

/** Does one element of a multi-valued attribute satisfy a value filter (PATCH paths)? */
export function matchesElement(filter: FilterNode, element: unknown, parentDef: AttributeDef | undefined): boolean {
  return element !== null && typeof element === 'object' && evaluate(filter, element as Json, undefined, parentDef);
}

/**
 * Static checks that need the schema: ordering operators on booleans or binaries are invalid
 * (RFC 7644 §3.4.2.2: "gt … boolean … SHALL be rejected with invalidFilter").
 */
export function validateFilter(filter: FilterNode, resolve: AttributeResolver, parentDef?: AttributeDef): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      validateFilter(filter.left, resolve, parentDef);
      validateFilter(filter.right, resolve, parentDef);
      return;
    case 'not':
      validateFilter(filter.operand, resolve, parentDef);
      return;
    case 'present':
      return;
    case 'valuePath': {
      const resolved = resolve(filter.path);
      validateFilter(filter.filter, resolve, resolved?.def ?? { name: filter.path.attr, type: 'complex' } as AttributeDef);
      return;
    }
    case 'compare': {
      let def: AttributeDef | undefined;
      if (parentDef) {
        def = parentDef.subAttributes?.find((a) => a.name.toLowerCase() === filter.path.attr.toLowerCase());
      } else {
        const resolved = resolve(filter.path);
        def = resolved?.subDef ?? resolved?.def;
      }
      if (def && (def.type === 'boolean' || def.type === 'binary') && ORDERING_OPS.has(filter.op)) {
        throw invalidFilter(`"${filter.op}" cannot compare the ${def.type} attribute "${formatRef(filter.path)}"`, 'filter.ordering-on-boolean');
      }
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sorting (RFC 7644 §3.4.2.3)

type SortKey = string | number | boolean;

/** The value a resource sorts by: a multi-valued attribute sorts by its primary element, else its first. */
function sortKeyOf(resource: Json, ref: AttrRef, resolve: AttributeResolver): SortKey | undefined {
  const { value, resolved } = attributeValue(resource, ref, resolve);
  let items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (items.length > 1) {
    const primary = items.find((item) => ownValue(item, 'primary') === true);
    if (primary !== undefined) items = [primary];
  }
  let item: unknown = items[0];
  let def = resolved?.def;
  if (ref.sub !== undefined) {
    item = ownValue(item, ref.sub);
    def = def?.subAttributes?.find((a) => a.name.toLowerCase() === ref.sub!.toLowerCase());
  } else if (item !== null && typeof item === 'object') {
    item = ownValue(item, 'value');
    def = def?.subAttributes?.find((a) => a.name === 'value');
  }
  if (item === undefined || item === null || item === '' || typeof item === 'object') return undefined;
  if (def?.type === 'dateTime' && typeof item === 'string') {
    const time = parseDateTime(item);
    return Number.isNaN(time) ? item : time;
  }
  // strings compare without case unless the attribute is caseExact (RFC 7644 §3.4.2.3)
  if (typeof item === 'string' && !def?.caseExact) return item.toLowerCase();
  return item as SortKey;
}

/**
 * A comparator for `sortBy` / `sortOrder`. Resources without a value sort last in either order (the RFC
 * leaves it open; last keeps them out of the first page, where an admin looks); ties keep storage order.
 */
export function resourceComparator(ref: AttrRef, resolve: AttributeResolver, descending: boolean): (a: Json, b: Json) => number {
  const keys = new Map<Json, SortKey | undefined>();
  const keyOf = (resource: Json) => {
    if (!keys.has(resource)) keys.set(resource, sortKeyOf(resource, ref, resolve));
    return keys.get(resource);
  };
  return (a, b) => {
    const left = keyOf(a);
    const right = keyOf(b);
    if (left === undefined || right === undefined) return left === right ? 0 : left === undefined ? 1 : -1;
    if (typeof left !== typeof right) return String(left) < String(right) ? -1 : 1;
    const order = left < right ? -1 : left > right ? 1 : 0;
    return descending ? -order : order;
  };
}
