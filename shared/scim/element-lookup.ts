/**
 * Candidates for `attr[sub eq "x"]` among a multi-valued attribute's elements without scanning them all, so
 * that a PATCH of 10,000 `remove members[value eq "…"]` operations (Entra's member removal with
 * aadOptscim062020) costs O(n) lookups rather than O(n²) filter evaluations (issue 19). Candidates are a
 * superset of the matches: callers still test each with the filter, so its semantics stay in filter.ts.
 */
import type { FilterNode } from './filter.ts';
import { ownValue } from './own-properties.ts';
import { findAttributeIn, type AttributeDef } from './schemas.ts';
import type { Json } from './schemas-values.ts';

/** `sub eq "text"` on a string sub-attribute: the only filter shape worth an index. */
export function indexableEquality(filter: FilterNode, def: AttributeDef): { sub: string; value: string } | undefined {
  if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
  if (filter.path.schema !== undefined || filter.path.sub !== undefined) return undefined;
  const subDef = findAttributeIn(def.subAttributes, filter.path.attr);
  if (!subDef || (subDef.type !== 'string' && subDef.type !== 'reference')) return undefined;
  return { sub: subDef.name, value: filter.value };
}

export class ElementLookup {
  /** lower-cased string value → elements holding it (case-exact or not, a match is among them) */
  private readonly byValue = new Map<string, Json[]>();
  /** elements whose sub-attribute is not a string: always candidates */
  private readonly others: Json[] = [];
  /** removed from the lookup but still in the array until flush(): one compaction per run, not per removal */
  private readonly pending = new Set<unknown>();

  constructor(
    readonly elements: unknown[],
    readonly sub: string,
    /** where the array lives, to drop the attribute once no element is left (RFC 7643 §2.5: empty is unassigned) */
    private readonly container: Json,
    private readonly key: string,
  ) {
    for (const element of elements) {
      if (element === null || typeof element !== 'object' || Array.isArray(element)) continue;
      const value = ownValue(element, sub);
      if (typeof value !== 'string') this.others.push(element as Json);
      else {
        const key = value.toLowerCase();
        const bucket = this.byValue.get(key);
        if (bucket) bucket.push(element as Json);
        else this.byValue.set(key, [element as Json]);
      }
    }
  }

  candidates(value: string): Json[] {
    return [...(this.byValue.get(value.toLowerCase()) ?? []), ...this.others];
  }

  /** Writes the removals into the array (in place, keeping order); call before anything else reads it. */
  flush(): void {
    if (this.pending.size === 0) return;
    let kept = 0;
    for (const element of this.elements) if (!this.pending.has(element)) this.elements[kept++] = element;
    this.elements.length = kept;
    this.pending.clear();
    if (kept === 0 && this.container[this.key] === this.elements) delete this.container[this.key];
  }

  /** Removes elements from the lookup at once and from the array at the next flush(). */
  remove(removed: Iterable<unknown>): void {
    for (const element of removed) {
      this.pending.add(element);
      const value = ownValue(element, this.sub);
      const list = typeof value === 'string' ? this.byValue.get(value.toLowerCase()) : this.others;
      if (!list) continue;
      const at = list.indexOf(element as Json);
      if (at >= 0) list.splice(at, 1);
    }
  }
}
