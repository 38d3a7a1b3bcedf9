// Module shapes Vite provides at build time (Vite's own client types would bring more globals than the renderer uses).

/** `import Worker from './x.js?worker'`: Vite bundles the file as a worker and exports its constructor. */
declare module '*?worker' {
  const WorkerConstructor: new (options?: { name?: string }) => Worker;
  export default WorkerConstructor;
}

/** Monaco's editor core with every editor contribution (suggest, hover, parameter hints, code actions) and no languages. */
declare module 'monaco-editor/esm/vs/editor/edcore.main.js' {
  export * from 'monaco-editor';
}
