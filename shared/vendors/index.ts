export * from './profile-schema.ts';
export * from './builtin.ts';
export * from './rules.ts';
export * from './fixes.ts';
export * from './mock-behaviour.ts';
export { canonicalExpression, sameExpression } from './expressions.ts';
export * from './user-rules.ts';
