/**
 * pino logger. Secrets never reach a log line: auth headers and every field named like a token,
 * password or secret are redacted, and request URLs are logged without their query string (the
 * web client's meeting route carries a room token there).
 */
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.token',
  '*.accessToken',
  '*.password',
  '*.secret',
  '*.serverSecret',
  'token',
  'accessToken',
  'password',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'classroom-server' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: unknown }) => ({
          id: req.id,
          method: req.method,
          url: (req.url ?? '').split('?')[0],
        }),
      },
    },
    destination,
  );
}
