/**
 * The layer boundaries are enforced by the lint configuration (eslint.config.mjs): each planted
 * import below is linted through ESLint's Node API as if it lived at `filePath` (no file is
 * written), and must be reported by `import-x/no-restricted-paths` or `no-restricted-imports` —
 * while the allowed imports next to them pass.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function boundaryFindings(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const planted = 1;\n`, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'import-x/no-restricted-paths' || message.ruleId === 'no-restricted-imports' || message.fatal)
    .map((message) => `${message.ruleId ?? 'fatal'}: ${message.message}`);
}

describe('lint: layer boundaries', () => {
  const violations: Array<[string, string, string]> = [
    ['renderer → server service', 'renderer/src/pages/planted.ts', "import '../../../server/services/sessions.service';"],
    ['renderer → server store', 'renderer/src/planted.ts', "import '../../server/store/classroom-store';"],
    ['renderer → electron main', 'renderer/src/planted.ts', "import '../../electron/main/tray';"],
    ['renderer → Node built-in', 'renderer/src/planted.ts', "import 'node:fs';"],
    ['renderer → electron package', 'renderer/src/planted.ts', "import 'electron';"],
    ['renderer → test helper', 'renderer/src/planted.ts', "import '../../tests/helpers/session-fixtures';"],
    ['renderer → server by dynamic import', 'renderer/src/planted.ts', "void import('../../server/config');"],
    ['server → electron main', 'server/services/planted.ts', "import '../../electron/main/credentials';"],
    ['server → electron package', 'server/services/planted.ts', "import 'electron';"],
    ['server → renderer', 'server/http/planted.ts', "import '../../renderer/src/app/routes';"],
    ['server → test helper', 'server/planted.ts', "import '../tests/helpers/test-server';"],
    ['server → bench', 'server/planted.ts', "import '../bench/common';"],
    ['contract → server service', 'server/contract/planted.ts', "import '../services/errors';"],
    ['contract → Node built-in', 'server/contract/planted.ts', "import 'node:crypto';"],
    ['electron main → server internals', 'electron/main/planted.ts', "import '../../server/services/sessions.service';"],
    ['electron main → server internals via the app', 'electron/main/planted.ts', "import '../../server/app';"],
    ['electron main → renderer', 'electron/main/planted.ts', "import '../../renderer/src/app/routes';"],
    ['electron preload → main', 'electron/preload/planted.ts', "import '../main/ipc';"],
    ['electron main → test helper', 'electron/main/planted.ts', "import '../../tests/helpers/secret-service';"],
  ];

  it.each(violations)('reports %s', async (_name, filePath, source) => {
    expect(await boundaryFindings(filePath, source)).not.toEqual([]);
  });

  const allowed: Array<[string, string, string]> = [
    ['renderer → contract (alias)', 'renderer/src/planted.ts', "import '@contract/api';"],
    ['renderer → renderer', 'renderer/src/pages/planted.ts', "import '../app/routes';"],
    ['server → contract', 'server/services/planted.ts', "import '../contract/domain';"],
    ['server → its store', 'server/services/planted.ts', "import '../store/classroom-store';"],
    ['electron main → contract', 'electron/main/planted.ts', "import '@contract/ipc';"],
    ['electron main → server entry', 'electron/main/planted.ts', "import '../../server/index';"],
    ['tests → anything', 'tests/unit/planted.test.ts', "import '../../server/services/errors';"],
  ];

  it.each(allowed)('allows %s', async (_name, filePath, source) => {
    expect(await boundaryFindings(filePath, source)).toEqual([]);
  });
});
