import { formatCount } from './labels.ts';
import type { RunProgress } from './use-preview-run.ts';

/** The running preview: a real progress bar once the backend reports totals, and Cancel. */
export function PreviewProgress({ progress, onCancel }: { progress: RunProgress | null; onCancel(): void }) {
  const known = progress !== null && progress.total > 0;
  return (
    <div className="preview-progress">
      <progress
        aria-label="Preview progress"
        max={known ? progress.total : undefined}
        value={known ? progress.done : undefined}
      />
      <span role="status" className="progress-text">
        {known ? `Previewing ${formatCount(progress.done)} of ${formatCount(progress.total)} users…` : 'Starting the preview…'}
      </span>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
