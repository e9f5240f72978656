/**
 * scrypt off the event loop *and* off libuv's shared thread pool: a few worker threads of our own,
 * fed from a bounded queue that is fair per client address. A password spray from one address fills
 * only that address's lane; a real sign-in from anywhere else waits for at most the hashes already
 * running, and the store's fsyncs (which use libuv's pool) never queue behind scrypt.
 *
 * Hand-written rather than piscina: the queue must be fair per key, and the worker is an inline
 * script so the bundled server (one file in the desktop app) carries it without an extra entry.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from './errors';
import { hashPassword, SCRYPT_MAX_MEMORY, verifyPassword, type Derive, type DeriveRequest } from './passwords';
import type { PasswordHasher } from './auth.service';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
parentPort.on('message', ({ id, password, salt, N, r, p, keyLength, maxmem }) => {
  try {
    const key = scryptSync(password, Buffer.from(salt), keyLength, { N, r, p, maxmem });
    parentPort.postMessage({ id, key });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

export interface PasswordPoolOptions {
  threads: number;
  /** Waiting hashes one client address may have; more → 429. */
  maxQueuedPerKey: number;
  /** Waiting hashes in all; more → 503 (the server is saturated, try again shortly). */
  maxQueued: number;
}

export const DEFAULT_PASSWORD_POOL_OPTIONS: PasswordPoolOptions = { threads: 2, maxQueuedPerKey: 8, maxQueued: 256 };

interface Task {
  request: DeriveRequest;
  resolve: (key: Buffer) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  task: (Task & { id: number }) | null;
}

export class PasswordWorkerPool implements PasswordHasher {
  private readonly options: PasswordPoolOptions;
  private readonly slots: Slot[] = [];
  /** Waiting tasks per key, and the keys in round-robin order. */
  private readonly lanes = new Map<string, Task[]>();
  private readonly rotation: string[] = [];
  private queued = 0;
  private nextId = 1;
  private closed = false;

  constructor(options: Partial<PasswordPoolOptions> = {}) {
    this.options = { ...DEFAULT_PASSWORD_POOL_OPTIONS, ...options };
    for (let i = 0; i < this.options.threads; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const slot: Slot = { worker, task: null };
    worker.on('message', (message: { id: number; key?: Uint8Array; error?: string }) => {
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      slot.task = null;
      if (message.key) task.resolve(Buffer.from(message.key));
      else task.reject(new Error(message.error ?? 'scrypt failed'));
      this.pump();
    });
    worker.on('error', (error) => {
      // A dead worker fails only its own task and is replaced.
      slot.task?.reject(error);
      slot.task = null;
      if (this.closed) return;
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.pump();
    });
    return slot;
  }

  /** The derive function for passwords.ts, with the client address that asked. */
  derive(key: string): Derive {
    return (request) => this.enqueue(key, request);
  }

  verify(password: string, storedHash: string, key: string): Promise<boolean> {
    return verifyPassword(password, storedHash, this.derive(key));
  }

  hash(password: string, key: string): Promise<string> {
    return hashPassword(password, this.derive(key));
  }

  /** Hashes waiting or running (for metrics and tests). */
  get pending(): number {
    return this.queued + this.slots.filter((s) => s.task).length;
  }

  private enqueue(key: string, request: DeriveRequest): Promise<Buffer> {
    if (this.closed) return Promise.reject(new AppError(503, 'SERVER_BUSY', 'The server is shutting down.'));
    const lane = this.lanes.get(key) ?? [];
    if (lane.length >= this.options.maxQueuedPerKey) {
      return Promise.reject(new AppError(429, 'RATE_LIMITED', 'Too many sign-in attempts at once from your address: wait a moment and try again.'));
    }
    if (this.queued >= this.options.maxQueued) {
      return Promise.reject(new AppError(503, 'SERVER_BUSY', 'The server is busy signing people in: try again in a few seconds.'));
    }
    return new Promise<Buffer>((resolve, reject) => {
      lane.push({ request, resolve, reject });
      if (lane.length === 1) {
        this.lanes.set(key, lane);
        this.rotation.push(key);
      }
      this.queued++;
      this.pump();
    });
  }

  /** Hands waiting tasks to idle workers, one key at a time in turn. */
  private pump(): void {
    for (const slot of this.slots) {
      if (slot.task || this.rotation.length === 0) continue;
      const key = this.rotation.shift()!;
      const lane = this.lanes.get(key)!;
      const task = lane.shift()!;
      this.queued--;
      if (lane.length > 0) this.rotation.push(key);
      else this.lanes.delete(key);
      const id = this.nextId++;
      slot.task = { ...task, id };
      const { password, salt, N, r, p, keyLength } = task.request;
      slot.worker.postMessage({ id, password, salt, N, r, p, keyLength, maxmem: SCRYPT_MAX_MEMORY });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const lane of this.lanes.values()) for (const task of lane) task.reject(new AppError(503, 'SERVER_BUSY', 'The server is shutting down.'));
    this.lanes.clear();
    this.rotation.length = 0;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
