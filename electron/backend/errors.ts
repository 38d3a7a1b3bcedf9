import type { ApiErrorCode } from '../../shared/api.ts';

/** A failure the admin can act on; its message is shown as is, its code tells the screens what happened. */
export class UserFacingError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function notFound(message: string): UserFacingError {
  return new UserFacingError('not-found', message);
}
