import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, relativeImports } from './import-graph.ts';

// A cycle means two modules cannot be understood, tested or loaded one without the other (issue 17).
describe('import cycles', () => {
  it('shared/, renderer/ and electron/ have none', () => {
    const graph = importGraph(process.cwd(), ['shared', 'renderer', 'electron']);
    expect(graph.size).toBeGreaterThan(200);
    const cycles = importCycles(graph);
    expect(cycles, `Import cycles:\n  ${cycles.join('\n  ')}`).toEqual([]);
  });

  it('reads static, type-only, multi-line, re-export and dynamic imports, and skips packages and comments', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      'import {',
      '  c,',
      "} from './c.ts';",
      "export * from './d.ts';",
      "const e = await import('./e.ts');",
      "import './f.css';",
      "import { z } from 'zod';",
      "// import { g } from './g.ts';",
      "/* import { h } from './h.ts'; */",
    ].join('\n');
    expect(relativeImports(text).sort()).toEqual(['../b.ts', './a.ts', './c.ts', './d.ts', './e.ts', './f.css']);
  });

  it('finds each cycle once and shows the way round', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
      ['f.ts', ['d.ts']],
    ]);
    expect(importCycles(graph)).toEqual(['a.ts -> b.ts -> c.ts -> a.ts', 'e.ts -> e.ts']);
  });
});
