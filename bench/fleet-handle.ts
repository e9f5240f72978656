/** The parent's side of bench/fleet.ts: a process of student apps. */
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { exited, nextMessage, spawnTs, stop } from './common';

export interface FleetReport {
  droppedAt: number[];
  onlineAgainAt: number[];
  offline: number;
  online: number;
}

export class Fleet {
  /** sessionId → when an app of the student first showed its ring. */
  readonly arrivals = new Map<string, number>();
  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: { type: string; sessionId?: string; at?: number }) => {
      if (message.type === 'notified' && !this.arrivals.has(message.sessionId!)) this.arrivals.set(message.sessionId!, message.at!);
    });
  }

  static async start(): Promise<Fleet> {
    const child = spawnTs(path.join(__dirname, 'fleet.ts'));
    await nextMessage(child, 'up', 60_000);
    return new Fleet(child);
  }

  async connect(url: string, apps: Array<{ id: string; token: string }>, concurrency = 500): Promise<{ connected: number; failed: number; elapsedMs: number }> {
    const reply = nextMessage<{ connected: number; failed: number; elapsedMs: number }>(this.child, 'connected');
    this.child.send({ type: 'connect', url, apps, concurrency });
    return reply;
  }

  async watch(): Promise<void> {
    const reply = nextMessage(this.child, 'watching');
    this.child.send({ type: 'watch' });
    await reply;
  }

  async report(): Promise<FleetReport> {
    const reply = nextMessage<FleetReport>(this.child, 'report', 60_000);
    this.child.send({ type: 'report' });
    return reply;
  }

  /** Resolves with the arrival time, or undefined after `timeoutMs`. */
  async arrival(sessionId: string, timeoutMs = 5000): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (!this.arrivals.has(sessionId) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    return this.arrivals.get(sessionId);
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.send({ type: 'stop' });
    await Promise.race([exited(this.child), new Promise((r) => setTimeout(r, 5000))]);
    await stop(this.child, 'SIGKILL');
  }
}
