/**
 * Electronegativity over the Electron code (main + preload), gating on its findings: the CLI
 * always exits 0, so we call its runner and fail on any finding of MEDIUM severity or above.
 * Reviewed exceptions are marked in the source with `eng-disable` and a reason.
 *
 * One global check is answered elsewhere: CSP_GLOBAL_CHECK recognises a CSP only as a string
 * literal in a webRequest callback or an HTML meta tag. Ours has one source (`@contract/csp`) and
 * the app's protocol handler puts it on every renderer response — the desktop runtime suite
 * (tests/desktop) reads that header from the running app.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const MEDIUM = 2;

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { value: number; name: string };
  description: string;
}

describe('Electronegativity', () => {
  it('reports nothing of medium severity or above in electron/', async () => {
    const electronVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
    // The runner's messages go through the CLI's translation helper; load it as the CLI does.
    const loadTranslations = (await import('@doyensec/electronegativity/dist/locales/i18n.js' as string)).default as () => Promise<void>;
    await loadTranslations().catch(() => undefined); // offline: falls back to the bundled English strings
    const run = (await import('@doyensec/electronegativity/dist/runner.js' as string)).default as (options: object, forCli: boolean) => Promise<{ issues: Finding[]; errors: unknown[] }>;
    const result = await run({ input: path.join(ROOT, 'electron'), electronVersionOverride: electronVersion, isRelative: true }, false);
    const ANSWERED_ELSEWHERE = new Set(['CSP_GLOBAL_CHECK']);
    const serious = result.issues
      .filter((issue) => issue.severity.value >= MEDIUM && !ANSWERED_ELSEWHERE.has(issue.id))
      .map((issue) => `${issue.severity.name} ${issue.id} ${issue.file}:${issue.location.line} ${issue.description}`);
    expect(serious).toEqual([]);
    expect(result.issues.length).toBeLessThan(10); // the scan really ran over the files
  }, 120_000);
});
