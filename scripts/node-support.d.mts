// Types for scripts/node-support.mjs (plain Node, so `npm start` runs it without a TypeScript loader).
export declare const NODE_FOR_APP: readonly [number, number];
export declare const NODE_FOR_ELECTRON_TOOLCHAIN: readonly [number, number];
export declare function describeNodeSupport(version: string): { ok: boolean; electronToolchain: boolean; line: string };
