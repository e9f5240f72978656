/**
 * The preflight that starts `npm test` (scripts/preflight.mjs), run as a real process: on this
 * machine everything is present; with tools hidden from PATH, or libsecret hidden from pkg-config
 * (as on a fresh machine), it names every missing Debian package and prints the one install line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts/preflight.mjs');
const temp = mkdtempSync(path.join(os.tmpdir(), 'classroom-preflight-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A project folder whose node_modules has no keytar: npm skipped it (its build failed). */
function projectWithoutKeytar(): string {
  const dir = path.join(temp, 'project');
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"name":"fresh"}');
  return dir;
}

function preflight(cwd: string, env: Record<string, string | undefined>) {
  const result = spawnSync(process.execPath, [SCRIPT], { cwd, env: { ...process.env, CLASSROOM_PREFLIGHT_INSTALL: undefined, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm test preflight', () => {
  it('passes on this machine, where every package is installed and keytar is built', () => {
    const result = preflight(ROOT, {});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('names each missing package and prints the exact install line', () => {
    const result = preflight(projectWithoutKeytar(), { PATH: path.join(temp, 'empty-bin'), CHROMIUM_PATH: path.join(temp, 'no-chromium') });
    expect(result.status).toBe(1);
    for (const pkg of ['chromium', 'redis-server', 'gnome-keyring', 'dbus', 'pkg-config', 'libsecret-1-dev', 'make', 'g++', 'python3']) {
      expect(result.stderr).toContain(`  - ${pkg}: `);
    }
    const root = process.getuid?.() === 0;
    expect(result.stderr).toContain(`\n  ${root ? '' : 'sudo '}apt-get install -y chromium redis-server gnome-keyring dbus pkg-config libsecret-1-dev make g++ python3\n`);
    expect(result.stderr).toContain('run `npm ci` again so keytar is built');
  });

  it('on a machine without libsecret (hidden from pkg-config) asks for libsecret-1-dev only', () => {
    const result = preflight(projectWithoutKeytar(), { PKG_CONFIG_LIBDIR: path.join(temp, 'empty-pkgconfig'), PKG_CONFIG_PATH: '' });
    expect(result.status).toBe(1);
    expect(result.stderr.match(/^ {2}- /gm)).toHaveLength(1);
    expect(result.stderr).toContain('  - libsecret-1-dev: ');
    expect(result.stderr).toMatch(/apt-get install -y libsecret-1-dev\n/);
  });
});
