/**
 * `npm run typecheck` checks the two projects of tsconfig.json (Node side, web side). A source file
 * that neither project includes would never be type-checked — as every .tsx once was — so this
 * test lists the repository's script files and requires each to belong to one of them.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const NOT_SOURCE = new Set(['node_modules', 'out', 'dist', 'data', '.git']);
const SCRIPT = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

function projectFiles(configName: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, configName), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error(`${configName} did not parse`);
  return parsed.fileNames.map((file) => path.relative(ROOT, file));
}

function repositoryScripts(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!NOT_SOURCE.has(entry.name)) walk(relative);
      } else if (SCRIPT.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(relative);
    }
  };
  walk('');
  return found.sort();
}

describe('type-check coverage', () => {
  it('the solution references exactly the Node and web projects', () => {
    const solution = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config as { files: string[]; references: Array<{ path: string }> };
    expect(solution.files).toEqual([]);
    expect(solution.references.map((reference) => reference.path).sort()).toEqual(['./tsconfig.node.json', './tsconfig.web.json']);
  });

  it('every script file of the repository is in the Node or the web project', () => {
    const checked = new Set([...projectFiles('tsconfig.node.json'), ...projectFiles('tsconfig.web.json')]);
    const unchecked = repositoryScripts().filter((file) => !checked.has(file));
    expect(unchecked).toEqual([]);
  });

  it('the renderer and its tests are checked with the DOM library, not with Node types', () => {
    const web = projectFiles('tsconfig.web.json');
    expect(web).toContain('renderer/src/pages/meeting/MeetingPage.tsx');
    expect(web).toContain('tests/unit/renderer/settings-form.test.tsx');
    expect(projectFiles('tsconfig.node.json').filter((file) => file.startsWith('renderer/'))).toEqual([]);
  });
});
