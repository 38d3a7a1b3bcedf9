// Types for scripts/renderer-stamp.mjs (plain Node, so `npm start` runs it without a TypeScript loader).
export declare const STAMP_FILE: string;
export declare function rendererInputsHash(root: string): string;
export declare function isRendererBuildCurrent(root: string, outDir: string): boolean;
