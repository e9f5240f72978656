/**
 * The one error type services throw for expected refusals. The HTTP layer turns it into the
 * envelope with its status; anything else becomes a sanitised 500.
 */
import type { ErrorCode } from '@contract/api';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 421 | 429 | 500 | 503;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: ErrorStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const unauthenticated = (message = 'Sign in first: the access token is missing, expired or revoked.') =>
  new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message);
