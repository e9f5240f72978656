/**
 * How the HTTP server itself is built: timeouts that close stalled connections, which proxies may
 * name the client's address, body size, and the envelope for what Node's parser or the router
 * refuses before a route runs.
 */
import { LogController, type FastifyBaseLogger, type FastifyHttpOptions, type FastifyReply } from 'fastify';
import type { Server } from 'node:http';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import { failure } from './envelope';

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export function fastifyOptions(config: Config, logger: Logger): FastifyHttpOptions<Server, FastifyBaseLogger> {
  const { limits } = config;
  return {
    loggerInstance: logger as FastifyBaseLogger,
    // Per-request lines are ours (onResponse, at debug, without query strings).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // The idle socket timeout is what closes a stalled body on a keep-alive connection (Node's
    // requestTimeout alone did not, once the socket had served a request); requestTimeout and
    // headersTimeout bound a request that trickles.
    connectionTimeout: limits.idleTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks headersTimeout and requestTimeout only every connectionsCheckingInterval (30 s by
    // default): a trickled request then lived up to 30 s past its limit.
    http: { headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs), connectionsCheckingInterval: 1000 },
    // A hop count trusts that many proxies in front of us whoever they are (Fastify itself refuses
    // a bare number): right only when the server is reachable through the balancer alone.
    trustProxy: typeof limits.trustProxy === 'number' ? trustHops(limits.trustProxy) : limits.trustProxy,
    // Router-level refusals (a malformed URL, an overlong id in the path) in the envelope too.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void (reply as FastifyReply).code(tooLong ? 414 : 400).send(failure('VALIDATION_FAILED', tooLong ? 'An id in the path is too long.' : 'The URL is malformed.'));
    },
    // Requests Node's HTTP parser refuses before Fastify sees them still get the envelope.
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return;
      const code = (error as NodeJS.ErrnoException).code;
      const tooLarge = code === 'HPE_HEADER_OVERFLOW';
      const timedOut = code === 'ERR_HTTP_REQUEST_TIMEOUT';
      const status = tooLarge ? 431 : timedOut ? 408 : 400;
      const reason = tooLarge ? 'Request Header Fields Too Large' : timedOut ? 'Request Timeout' : 'Bad Request';
      const message = tooLarge ? 'The request line or headers are too large.' : timedOut ? 'The request took too long to arrive.' : 'The request could not be parsed.';
      const body = JSON.stringify(failure('VALIDATION_FAILED', message));
      socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    },
  };
}
