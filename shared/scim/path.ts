/**
 * PATCH attribute paths (RFC 7644 §3.5.2): `PATH = attrPath / valuePath [subAttr]`, e.g. `name.givenName`,
 * `members[value eq "2819c223"]`, `addresses[type eq "work"].streetAddress`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, or an extension URN on its own.
 */
import { badRequest, ScimError } from './errors.ts';
import { parseFilterTokens, tokenizeFilter, type FilterNode, type Token } from './filter.ts';
import { extensionUrn, splitAttributeToken, type AttrRef, type ResourceTypeDef } from './schemas.ts';

export interface PatchPath {
  text: string;
  /** set when the path names a whole extension object (`urn:…:enterprise:2.0:User`) */
  extension?: string;
  /** the attribute (with `.sub` when there is no value filter) */
  ref?: AttrRef;
  /** value selection filter, relative to the elements of `ref` */
  filter?: FilterNode;
  /** sub-attribute after the value filter (`emails[type eq "work"].value`) */
  subAttribute?: string;
}

const invalidPath = (text: string, why: string) => badRequest('invalidPath', `invalid path "${text}": ${why}`, 'patch.invalid-path');

/** A PATCH path: a whole extension object named by its URN, or an attribute path (parseAttributePath). */
export function parsePatchPath(text: string, type: ResourceTypeDef): PatchPath {
  const trimmed = text.trim();
  if (trimmed === '') throw invalidPath(text, 'it is empty');
  const urn = extensionUrn(type, trimmed);
  if (urn) return { text, extension: urn };
  return parseAttributePath(text);
}

/**
 * The attribute path grammar alone, without a schema: `attr`, `attr.sub`, `urn:…:attr`, `attr[filter]` and
 * `attr[filter].sub` (RFC 7644 §3.10). The one parser behind PATCH paths and Entra's target attribute names.
 */
export function parseAttributePath(text: string): PatchPath {
  const trimmed = text.trim();
  if (trimmed === '') throw invalidPath(text, 'it is empty');
  let tokens: Token[];
  try {
    tokens = tokenizeFilter(trimmed);
  } catch (error) {
    throw invalidPath(text, error instanceof Error ? error.message : 'cannot be read');
  }
  const head = tokens[0];
  if (head?.kind !== 'word') throw invalidPath(text, 'it must start with an attribute name');
  const ref = splitAttributeToken(head.text);
  if (!ref) throw invalidPath(text, `"${head.text}" is not an attribute name`);
  if (tokens.length === 1) return { text, ref };

  if (tokens[1]?.kind !== '[' || ref.sub !== undefined) throw invalidPath(text, 'unexpected text after the attribute name');
  const close = tokens.findIndex((t) => t.kind === ']');
  if (close < 0) throw invalidPath(text, 'the value filter is not closed with "]"');
  let filter: FilterNode;
  try {
    filter = parseFilterTokens(tokens.slice(2, close), { entraForms: false });
  } catch (error) {
    if (error instanceof ScimError) throw invalidPath(text, error.message);
    throw error;
  }
  const path: PatchPath = { text, ref, filter };
  const rest = tokens.slice(close + 1);
  if (rest.length === 0) return path;
  const tail = rest[0];
  if (rest.length > 1 || tail?.kind !== 'word' || !tail.text.startsWith('.')) throw invalidPath(text, 'unexpected text after "]"');
  const sub = splitAttributeToken(tail.text.slice(1));
  if (!sub || sub.schema !== undefined || sub.sub !== undefined) throw invalidPath(text, `"${tail.text}" is not a sub-attribute`);
  path.subAttribute = sub.attr;
  return path;
}

/** Equality constraints of a value filter (`type eq "work" and primary eq true`): the element Entra wants created. */
export function equalitiesOf(filter: FilterNode): Record<string, string | number | boolean> | undefined {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.value !== null && filter.path.sub === undefined && filter.path.schema === undefined) {
    return { [filter.path.attr]: filter.value };
  }
  if (filter.kind === 'and') {
    const left = equalitiesOf(filter.left);
    const right = equalitiesOf(filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  return undefined;
}
