import { tokenize, type Token } from '../expressions/lexer.ts';
import { sourceExpressionOf } from '../mapping/model.ts';
import type { AttributeMapping } from '../mapping/schema.ts';

/**
 * Comparing a row's source with the source a vendor guide names. Guides and the portal space and quote
 * expressions differently (`Switch([IsSoftDeleted], , "False", …)` vs `Switch([IsSoftDeleted],,"False",…)`),
 * so rows are compared token by token, not as text.
 */
function tokenKey(token: Token): string {
  switch (token.type) {
    case 'string':
      return `s:${token.value}`;
    case 'attribute':
      return `a:${token.name}`;
    case 'number':
      return `n:${token.text}`;
    case 'identifier':
      // Function names are matched ignoring case by the engine (Microsoft Learn "Reference for writing expressions for
      // attribute mappings", "Syntax overview").
      return `i:${token.name.toLowerCase()}`;
    case 'op':
      return `o:${token.op}`;
    default:
      return token.type;
  }
}

export function canonicalExpression(expression: string): string {
  try {
    return tokenize(expression)
      .tokens.filter((token) => token.type !== 'eof')
      .map(tokenKey)
      .join(' ');
  } catch {
    return expression.trim();
  }
}

export function sameExpression(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false;
  return canonicalExpression(a) === canonicalExpression(b);
}

/** The single source attribute a Direct-like row reads (`[mailNickname]` → mailNickname), else null. */
export function singleSourceAttribute(mapping: AttributeMapping): string | null {
  const expression = sourceExpressionOf(mapping);
  if (expression === null) return null;
  try {
    const tokens = tokenize(expression).tokens.filter((token) => token.type !== 'eof');
    const only = tokens[0];
    return tokens.length === 1 && only?.type === 'attribute' ? only.name : null;
  } catch {
    return null;
  }
}

/**
 * Whether the row's expression reads `[name]` anywhere (attribute names are case-sensitive, Microsoft Learn "Reference
 * for writing expressions for attribute mappings").
 */
export function readsAttribute(mapping: AttributeMapping, name: string): boolean {
  const expression = sourceExpressionOf(mapping);
  if (expression === null) return false;
  try {
    return tokenize(expression).tokens.some((token) => token.type === 'attribute' && token.name === name);
  } catch {
    return false;
  }
}
