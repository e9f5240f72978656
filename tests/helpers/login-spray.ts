/**
 * A password spray from a separate process (as an attacker's machine would be): `concurrency`
 * loops POSTing logins with random user ids for `durationMs`, all claiming one client address
 * through X-Forwarded-For. Resolves with every status and latency. Loopback only, bounded in time.
 */
import { spawn } from 'node:child_process';

export interface SprayResult {
  statuses: number[];
  latenciesMs: number[];
}

const SCRIPT = `
const [url, concurrency, durationMs, address] = process.argv.slice(1);
const deadline = Date.now() + Number(durationMs);
const statuses = [], latencies = [];
let n = 0;
async function loop() {
  while (Date.now() < deadline) {
    const t0 = performance.now();
    try {
      const r = await fetch(url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ userId: 'spray' + (n++) + Math.random().toString(36).slice(2, 8), password: 'Password1' }) });
      await r.arrayBuffer();
      statuses.push(r.status);
    } catch { statuses.push(0); }
    latencies.push(performance.now() - t0);
  }
}
Promise.all(Array.from({ length: Number(concurrency) }, loop)).then(() => process.stdout.write(JSON.stringify({ statuses, latenciesMs: latencies })));
`;

export function sprayLogins(url: string, options: { concurrency: number; durationMs: number; address: string }): Promise<SprayResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SCRIPT, url, String(options.concurrency), String(options.durationMs), options.address], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as SprayResult) : reject(new Error(`spray exited ${code}`))));
  });
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
