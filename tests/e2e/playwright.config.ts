/**
 * End-to-end: the built web client served by the real bundled server, driven in Debian's
 * Chromium with a fake camera and microphone (Playwright's own browser download is not
 * reachable here). One server for the run, fresh data folder, tests in series.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const root = path.resolve(__dirname, '../..');
const port = Number(process.env.E2E_PORT ?? 4810);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'classroom-e2e-'));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: __dirname,
  testMatch: /.*\.spec\.ts$/,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: path.join(os.tmpdir(), 'classroom-e2e-results'),
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'en-US',
    timezoneId: 'Asia/Ho_Chi_Minh',
    trace: 'off',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        // Gather 127.0.0.1 candidates too: the specs keep ICE on loopback.
        '--allow-loopback-in-peer-connection',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `node --import tsx server/index.ts`,
    cwd: root,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      CLASSROOM_DATA_DIR: dataDir,
      CLASSROOM_DEMO: '1',
      CLASSROOM_LOG_LEVEL: 'warn',
      // Short rings, so a missed ring and Ring again are tested in seconds (the default is 3 minutes).
      CLASSROOM_RING_SECONDS: '12',
    },
  },
});
