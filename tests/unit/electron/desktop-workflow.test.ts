/**
 * The real-Electron workflow (.github/workflows/desktop.yml) cannot run here (no Electron binary,
 * no GitHub): this checks that it is valid YAML and does what it promises on every desktop OS.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { developmentServerUrl } from '../../../electron/main/settings';

const ROOT = path.resolve(__dirname, '../../..');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; strategy: { matrix: { os: string[] } }; env: Record<string, string>; steps: Step[] }>;
}

const workflow = yaml.load(readFileSync(path.join(ROOT, '.github/workflows/desktop.yml'), 'utf8')) as Workflow;
const job = workflow.jobs.desktop!;
const runs = job.steps.map((step) => step.run ?? '').join('\n');

describe('the real-Electron workflow', () => {
  it('runs on Linux, Windows and macOS, on pushes to main and pull requests', () => {
    expect(job.strategy.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
  });

  it('installs with the Electron binary (nothing skips its download) and builds first', () => {
    expect(runs).toContain('npm ci');
    expect(JSON.stringify(workflow)).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(runs.indexOf('npm run build')).toBeGreaterThan(runs.indexOf('npm ci'));
  });

  it('runs the Electron spec against the server it starts, under xvfb on Linux', () => {
    const e2e = job.steps.filter((step) => step.run?.includes('electron.spec.ts'));
    expect(e2e.map((step) => step.if)).toEqual(["runner.os == 'Linux'", "runner.os != 'Linux'"]);
    expect(e2e[0]!.run).toMatch(/^xvfb-run /);
    expect(existsSync(path.join(ROOT, 'tests/e2e/electron.spec.ts'))).toBe(true);
    // The spec points the app at that server through the variable main reads in development builds.
    const spec = readFileSync(path.join(ROOT, 'tests/e2e/electron.spec.ts'), 'utf8');
    expect(spec).toContain('CLASSROOM_SERVER_URL: baseURL');
    expect(developmentServerUrl({ CLASSROOM_SERVER_URL: 'http://127.0.0.1:4810' }, false)).toBe('http://127.0.0.1:4810');
    expect(developmentServerUrl({ CLASSROOM_SERVER_URL: 'http://127.0.0.1:4810' }, true)).toBeNull();
  });

  it('builds the installers without publishing and keeps them as artifacts; signs only with secrets', () => {
    expect(runs).toContain('electron-builder --publish never');
    const upload = job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(String(upload?.with?.path)).toMatch(/\.exe[\s\S]*\.msi[\s\S]*\.dmg[\s\S]*\.AppImage[\s\S]*\.deb/);
    for (const name of ['CSC_LINK', 'WIN_CSC_LINK', 'APPLE_ID']) expect(job.env[name]).toBe(`\${{ secrets.${name} }}`);
  });
});
