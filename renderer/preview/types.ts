import type { PreviewRunSummary, PreviewUserRow } from '../../shared/api.ts';

// shared/api/preview.ts exports these as zod schemas only; the renderer needs their value types.
export type UserAction = PreviewUserRow['action'];
export type Dialect = PreviewRunSummary['dialect'];
