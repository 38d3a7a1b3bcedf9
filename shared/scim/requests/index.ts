export * from './target-path.ts';
export * from './wire.ts';
export * from './render.ts';
export * from './user.ts';
