/**
 * The parent's side of bench/fleet.ts: student apps in as many processes as it takes to keep each
 * process well below its open-file limit (an app reconnecting may briefly hold two descriptors; a
 * process at its limit would fail its apps' reconnects and measure itself, not the server).
 */
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { exited, nextMessage, spawnTs, stop } from './common';

export const APPS_PER_PROCESS = 10_000;

export interface FleetReport {
  droppedAt: number[];
  onlineAgainAt: number[];
  offline: number;
  online: number;
}

interface Member {
  child: ChildProcess;
  apps: number;
}

export class Fleet {
  /** sessionId → when an app of the student first showed its ring. */
  readonly arrivals = new Map<string, number>();
  private readonly members: Member[] = [];

  static async start(): Promise<Fleet> {
    return new Fleet();
  }

  private async spawn(): Promise<Member> {
    const child = spawnTs(path.join(__dirname, 'fleet.ts'));
    await nextMessage(child, 'up', 60_000);
    child.on('message', (message: { type: string; sessionId?: string; at?: number }) => {
      if (message.type === 'notified' && !this.arrivals.has(message.sessionId!)) this.arrivals.set(message.sessionId!, message.at!);
    });
    const member = { child, apps: 0 };
    this.members.push(member);
    return member;
  }

  /** Connects more apps (filling processes up to APPS_PER_PROCESS each), 500 at a time per process. */
  async connect(url: string, apps: Array<{ id: string; token: string }>, concurrency = 500): Promise<{ connected: number; failed: number; elapsedMs: number }> {
    const slices: Array<[Member, Array<{ id: string; token: string }>]> = [];
    let next = 0;
    while (next < apps.length) {
      const member = this.members.find((m) => m.apps < APPS_PER_PROCESS) ?? (await this.spawn());
      const slice = apps.slice(next, next + APPS_PER_PROCESS - member.apps);
      member.apps += slice.length;
      next += slice.length;
      slices.push([member, slice]);
    }
    const replies = await Promise.all(
      slices.map(([member, slice]) => {
        const reply = nextMessage<{ connected: number; failed: number; elapsedMs: number }>(member.child, 'connected');
        member.child.send({ type: 'connect', url, apps: slice, concurrency: Math.ceil(concurrency / slices.length) });
        return reply;
      }),
    );
    return {
      connected: replies.reduce((sum, r) => sum + r.connected, 0),
      failed: replies.reduce((sum, r) => sum + r.failed, 0),
      elapsedMs: Math.max(0, ...replies.map((r) => r.elapsedMs)),
    };
  }

  async watch(): Promise<void> {
    await Promise.all(
      this.members.map((member) => {
        const reply = nextMessage(member.child, 'watching');
        member.child.send({ type: 'watch' });
        return reply;
      }),
    );
  }

  async report(): Promise<FleetReport> {
    const reports = await Promise.all(
      this.members.map((member) => {
        const reply = nextMessage<FleetReport>(member.child, 'report', 60_000);
        member.child.send({ type: 'report' });
        return reply;
      }),
    );
    return {
      droppedAt: reports.flatMap((r) => r.droppedAt),
      onlineAgainAt: reports.flatMap((r) => r.onlineAgainAt),
      offline: reports.reduce((sum, r) => sum + r.offline, 0),
      online: reports.reduce((sum, r) => sum + r.online, 0),
    };
  }

  /** Resolves with the arrival time, or undefined after `timeoutMs`. */
  async arrival(sessionId: string, timeoutMs = 5000): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (!this.arrivals.has(sessionId) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    return this.arrivals.get(sessionId);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.members.map(async ({ child }) => {
        if (child.connected) child.send({ type: 'stop' });
        await Promise.race([exited(child), new Promise((r) => setTimeout(r, 5000))]);
        await stop(child, 'SIGKILL');
      }),
    );
  }
}
