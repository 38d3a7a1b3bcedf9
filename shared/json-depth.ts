/**
 * How deep parsed JSON nests. JSON.parse accepts any depth, but every recursive walk after it (copying,
 * serialising, normalising) overflows the call stack on a few thousand levels, so request bodies and
 * imported files are checked once, right after parsing, with this loop that uses no recursion.
 */

/** Far beyond any SCIM resource or Graph user (a handful of levels), far below a stack overflow. */
export const MAX_JSON_DEPTH = 100;

/** True when `value` nests objects or arrays more than `limit` levels deep; stops at the first such path. */
export function exceedsJsonDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') pending.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}
