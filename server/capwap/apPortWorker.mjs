// Worker threads do not inherit the parent's TypeScript loader (tsx or Vitest), so the worker
// brings its own, scoped to the modules it imports.
import { tsImport } from 'tsx/esm/api';

await tsImport('./apPortWorker.ts', import.meta.url);
