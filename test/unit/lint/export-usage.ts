import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { resolveImport, sourceFiles, withoutComments } from './import-graph.ts';

const DECLARED =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\s*\*?|const|let|var|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/gm;
const LOCAL_LIST = /^export\s+(?:type\s+)?\{([^}]*)\}\s*(?!\s*from)/gm;

/** The names a file exports from its own declarations and its local `export { a as b }` lists. */
export function declaredExports(text: string): string[] {
  const code = withoutComments(text);
  const names = new Set<string>();
  for (const match of code.matchAll(DECLARED)) names.add(match[1]!);
  for (const match of code.matchAll(LOCAL_LIST)) {
    if (/^\s*from\b/.test(code.slice(match.index + match[0].length))) continue;
    for (const name of specifierNames(match[1]!)) names.add(name);
  }
  if (/^export\s+default\b/m.test(code)) names.add('default');
  return [...names];
}

/** `a, type b, c as d` -> the names on the right of `as` (the ones the outside sees). */
function specifierNames(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim().replace(/^type\s+/, ''))
    .filter(Boolean)
    .map((part) => part.split(/\s+as\s+/).pop()!.trim());
}

/** `a, type b, c as d` -> the names on the left of `as` (the ones the imported module declares). */
function importedNames(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim().replace(/^type\s+/, ''))
    .filter(Boolean)
    .map((part) => part.split(/\s+as\s+/)[0]!.trim());
}

/**
 * How a file uses another module: by name (`import { a }`, `import x` = default, `export { a } from`),
 * wholesale (`export * from`: whatever is asked of this file), or by any word of the file
 * (`import * as ns`, dynamic `import()`: `ns.a`, `(await import(...)).a`, `const { a } = await import(...)`).
 */
export interface ModuleUse {
  specifier: string;
  names: string[];
  reexportsAll: boolean;
  byWord: boolean;
}

export function moduleUses(text: string): ModuleUse[] {
  const code = withoutComments(text);
  const uses: ModuleUse[] = [];
  const use = (specifier: string, names: string[], reexportsAll = false, byWord = false) => {
    if (specifier.startsWith('.')) uses.push({ specifier, names, reexportsAll, byWord });
  };
  const staticImport = /\bimport\s+(?:type\s+)?([^'";]*?)\s*\bfrom\s*['"]([^'"]+)['"]/g;
  for (const [, clause, specifier] of code.matchAll(staticImport)) {
    const names: string[] = [];
    const braces = /\{([^}]*)\}/.exec(clause!);
    if (braces) names.push(...importedNames(braces[1]!));
    const head = clause!.replace(/\{[^}]*\}/, '').replace(/,/g, ' ').trim();
    const namespace = /\*\s*as\s+[\w$]+/.test(head);
    if (head && !namespace && !head.startsWith('*')) names.push('default');
    use(specifier!, names, false, namespace);
  }
  for (const [, list, specifier] of code.matchAll(/\bexport\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)) {
    use(specifier!, importedNames(list!));
  }
  for (const [, specifier] of code.matchAll(/\bexport\s*\*\s*from\s*['"]([^'"]+)['"]/g)) use(specifier!, [], true);
  for (const [, specifier] of code.matchAll(/\bexport\s*\*\s*as\s+[\w$]+\s*from\s*['"]([^'"]+)['"]/g)) use(specifier!, [], false, true);
  for (const [, specifier] of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) use(specifier!, [], false, true);
  return uses;
}

/**
 * Every export of a file under `declaring` that no other file under `using` imports: "file: name".
 * A barrel's `export * from` passes a request for a name on to the modules it re-exports.
 */
export function unusedExports(root: string, declaring: readonly string[], using: readonly string[]): string[] {
  const name = (path: string) => relative(root, path).split('\\').join('/');
  const files = sourceFiles(root, using).map((path) => ({ path: name(path), text: readFileSync(path, 'utf8') }));
  const exports = new Map(files.map((file) => [file.path, new Set(declaredExports(file.text))]));
  const barrels = new Map<string, string[]>();
  const resolved = files.map((file) => {
    const uses = moduleUses(file.text).flatMap((use) => {
      const target = resolveImport(`${root}/${file.path}`, use.specifier);
      return target === null ? [] : [{ ...use, target: name(target) }];
    });
    barrels.set(
      file.path,
      uses.filter((use) => use.reexportsAll).map((use) => use.target),
    );
    return { ...file, uses };
  });
  const used = new Set<string>();
  const markUsed = (file: string, exported: string, seen = new Set<string>()) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (exports.get(file)?.has(exported)) used.add(`${file}: ${exported}`);
    for (const target of barrels.get(file) ?? []) markUsed(target, exported, seen);
  };
  const reachable = (file: string, seen = new Set<string>()): string[] => {
    if (seen.has(file)) return [];
    seen.add(file);
    return [file, ...(barrels.get(file) ?? []).flatMap((target) => reachable(target, seen))];
  };
  for (const file of resolved) {
    for (const use of file.uses) {
      for (const exported of use.names) markUsed(use.target, exported);
      if (!use.byWord) continue;
      const words = new Set(withoutComments(file.text).match(/[A-Za-z_$][\w$]*/g) ?? []);
      for (const target of reachable(use.target)) for (const exported of exports.get(target) ?? []) if (words.has(exported)) used.add(`${target}: ${exported}`);
    }
  }
  const inScope = (path: string) => declaring.some((folder) => path.startsWith(`${folder}/`));
  return [...exports]
    .filter(([path]) => inScope(path))
    .flatMap(([path, names]) => [...names].map((exported) => `${path}: ${exported}`))
    .filter((entry) => !used.has(entry))
    .sort();
}
