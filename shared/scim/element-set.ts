/**
 * The elements of one multi-valued attribute, keyed by identity, so that a PATCH adding n elements costs O(n) rather
 * than comparing each new element with every held one (issue 19: 10,000 `add` operations on `emails` took 24 s).
 * Re-adding an element is a no-op (RFC 7644 §3.5.2.1: a value already present is not added twice); a new primary clears
 * the others.
 */
import { isPlainObject, type Json } from './schemas-values.ts';

export class ElementSet {
  /** members are one per `value`: identity → position of the element to merge into */
  private readonly memberPositions = new Map<string, number>();
  /** other elements are equal when their JSON is: identity → how many elements have it */
  private readonly counts = new Map<string, number>();
  /** elements currently marked primary (normally one) */
  private primaries: Json[] = [];

  constructor(
    readonly elements: unknown[],
    private readonly isMembers: boolean,
  ) {
    elements.forEach((element, position) => this.track(element, position));
  }

  /** Adds `item` unless an equal element is held (members: merges into the held one). */
  add(item: unknown): void {
    const key = this.identity(item);
    if (this.isMembers) {
      const position = this.memberPositions.get(key);
      if (position !== undefined) {
        const held = this.elements[position];
        if (isPlainObject(item) && isPlainObject(held)) this.elements[position] = { ...held, ...item };
        return;
      }
    } else if (this.counts.has(key)) return;
    if (isPlainObject(item) && item.primary === true) this.clearPrimaries();
    this.elements.push(item);
    this.track(item, this.elements.length - 1);
  }

  private identity(element: unknown): string {
    return this.isMembers && isPlainObject(element) ? `value:${String(element.value)}` : JSON.stringify(element);
  }

  private track(element: unknown, position: number): void {
    const key = this.identity(element);
    if (this.isMembers) {
      if (!this.memberPositions.has(key)) this.memberPositions.set(key, position);
    } else this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (isPlainObject(element) && element.primary === true) this.primaries.push(element);
  }

  private clearPrimaries(): void {
    for (const element of this.primaries) {
      if (element.primary !== true) continue;
      // Clearing the flag changes the element's JSON, so its identity moves with it.
      const before = this.identity(element);
      element.primary = false;
      if (this.isMembers) continue;
      const left = (this.counts.get(before) ?? 1) - 1;
      if (left === 0) this.counts.delete(before);
      else this.counts.set(before, left);
      const after = this.identity(element);
      this.counts.set(after, (this.counts.get(after) ?? 0) + 1);
    }
    this.primaries = [];
  }
}
