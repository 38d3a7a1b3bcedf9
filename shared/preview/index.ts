export * from './types.ts';
export * from './compile.ts';
export * from './engine.ts';
export * from './run.ts';
