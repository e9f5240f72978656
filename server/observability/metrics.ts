/**
 * Prometheus metrics (prom-client), one registry per application instance so several servers in
 * one process (tests) do not collide.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type SessionEventName = 'created' | 'notified' | 'delivered' | 'joined' | 'declined' | 'rung_again' | 'ended' | 'expired';

export interface Metrics {
  registry: Registry;
  sessionEvents: Counter<'event'>;
  httpRequests: Histogram<'method' | 'route' | 'status'>;
  connectedSockets: Gauge<'role'>;
  storeWrites: Histogram;
  storeWriteCoalesced: Histogram;
  notificationAckSeconds: Histogram;
  refusedConnections: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'classroom_' });
  return {
    registry,
    refusedConnections: new Counter({
      name: 'classroom_refused_connections_total',
      help: 'Connections closed at once because their address already held the most allowed.',
      registers: [registry],
    }),
    sessionEvents: new Counter({
      name: 'classroom_session_events_total',
      help: 'Session lifecycle events (created, notified, delivered, joined, ended, expired).',
      labelNames: ['event'],
      registers: [registry],
    }),
    httpRequests: new Histogram({
      name: 'classroom_http_request_duration_seconds',
      help: 'HTTP request duration by route and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    connectedSockets: new Gauge({
      name: 'classroom_connected_sockets',
      help: 'Authenticated Socket.IO connections by role.',
      labelNames: ['role'],
      registers: [registry],
    }),
    storeWrites: new Histogram({
      name: 'classroom_store_write_duration_seconds',
      help: 'Durable store file writes (write + fsync + rename + fsync of the folder).',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    storeWriteCoalesced: new Histogram({
      name: 'classroom_store_write_coalesced_changes',
      help: 'How many changes one durable file write carried.',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    notificationAckSeconds: new Histogram({
      name: 'classroom_notification_ack_seconds',
      help: 'From emitting session_notification to the student app acknowledging it.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
  };
}
