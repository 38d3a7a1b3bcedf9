/**
 * The few host globals shared/ may use beyond ECMAScript: each is present in every runtime shared/
 * runs in (browsers, Node >= 17, Electron) but is specified by HTML, not ECMA-262, so lib ES2023 lacks it.
 * Keep this list short; anything else a shared/ module needs from its host is passed in.
 */

/** HTML Living Standard, "Safe passing of structured data": a deep copy of plain data. */
declare function structuredClone<T>(value: T): T;
