/** The response envelope of docs/interface.md §2 and the error handling that guarantees it. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorCode, ErrorEnvelope, SuccessEnvelope } from '@contract/api';
import { AppError } from '../services/errors';

export const ok = <T>(data: T): SuccessEnvelope<T> => ({ success: true, data });

export function failure(code: ErrorCode, message: string, details?: unknown): ErrorEnvelope {
  return { success: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** Fastify's own client-error codes → ours. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send JSON with Content-Type: application/json.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_JSON', message: 'The Content-Length does not match the body.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'The JSON body is empty.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'The body is not valid JSON.' },
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      const retryAfter = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
      return reply.code(error.status).send(failure(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        path: [error.validationContext, ...String(issue.instancePath).split('/').filter(Boolean)].join('.'),
        message: issue.message,
      }));
      const first = details[0];
      return reply.code(400).send(failure('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : 'The request is not valid.', details));
    }
    if (error.statusCode === 429) {
      return reply.code(429).send(failure('RATE_LIMITED', 'Too many attempts: wait a minute and try again.'));
    }
    const known = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (known) return reply.code(known.status).send(failure(known.code, known.message));
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return reply.code(400).send(failure('INVALID_JSON', 'The body is not valid JSON.'));
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(failure('VALIDATION_FAILED', 'The request could not be understood.'));
    }
    // Anything else is ours to fix: log it whole, tell the client nothing internal.
    request.log.error({ err: isResponseSerializationError(error) ? { message: 'response did not match its schema', issues: error.cause.issues } : error }, 'request failed');
    return reply.code(500).send(failure('INTERNAL_ERROR', 'Something went wrong on the server; the request was not completed.'));
  });

}

/** A request for a file (a name with an extension, or under /assets/), which the app shell never answers. */
const isFilePath = (pathname: string) => pathname.includes('/assets/') || /\.[A-Za-z0-9]+$/.test(pathname);

/**
 * Unknown API paths get the 404 envelope. With a web client (`spaShell`), other GET paths get the
 * app shell instead, so client-side routes like /meeting?… load on a reload or a deep link; a
 * missing file is a 404 (as HTML it would be run as a script and fail as a blank page).
 */
export function installNotFound(app: FastifyInstance, spaShell: ((reply: FastifyReply) => FastifyReply) | null): void {
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (spaShell && request.method === 'GET' && !pathname.startsWith('/api/') && pathname !== '/metrics' && !isFilePath(pathname)) return spaShell(reply);
    return reply.code(404).send(failure('NOT_FOUND', `There is no ${request.method} ${pathname}.`));
  });
}
