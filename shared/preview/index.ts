export * from './types.ts';
export * from './compile.ts';
export * from './engine.ts';
export * from './run.ts';
export * from './summary.ts';
export * from './chunk.ts';
export * from './groups.ts';
export * from './group-decision.ts';
