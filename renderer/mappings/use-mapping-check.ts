import { useEffect, useState } from 'react';
import type { RowCheckDto } from '../../shared/api.ts';
import { api, onEvent } from '../api-client.ts';

/**
 * The newest check against Microsoft of a saved revision, by target attribute (lower case); empty when never checked.
 * Read again when a check of that revision started from the app finishes (or is cancelled: it keeps what it checked).
 */
export function useMappingCheck(revision: number | null, fail: (error: Error) => void): ReadonlyMap<string, RowCheckDto> {
  const [checks, setChecks] = useState<ReadonlyMap<string, RowCheckDto>>(new Map());
  const [finished, setFinished] = useState(0);
  useEffect(() => onEvent('synchronization.check.finished', (status) => status.revision === revision && setFinished((n) => n + 1)), [revision]);
  useEffect(() => {
    if (revision === null) {
      setChecks(new Map());
      return;
    }
    let current = true;
    api['synchronization.mappingCheck']({ revision }).then((check) => {
      if (current) setChecks(new Map((check?.rows ?? []).map((row) => [row.targetAttribute.toLowerCase(), row])));
    }, fail);
    return () => {
      current = false;
    };
  }, [revision, fail, finished]);
  return checks;
}
